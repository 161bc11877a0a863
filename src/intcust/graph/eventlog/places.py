"""Where an event sits in its log, for messages: a file line, an event number, a row label.

Event logs are read in bulk (pandas for CSV, expat for XES), which loses the
lines; only when a message must name a row does `Places` find its line, by
reading the file again with the `csv` module. `utf8_problem` finds the line
and the byte offset (from the start of the file) of the first byte that is
not UTF-8, which pandas reports relative to a chunk of its own.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from intcust.errors import quote

__all__ = ["Places", "utf8_problem"]

_CHUNK = 1 << 20


def _open(path: str) -> IO[bytes]:
    raw = open(path, "rb")  # noqa: SIM115 (closed by the caller's with)
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    raw.seek(0)
    return raw


@dataclass(frozen=True)
class Places:
    """How to name the event in row ``i`` (0-based, in log order) of one log.

    Parameters
    ----------
    kind : {"csv", "xes", "frame"}
        What the log is.
    source : str
        The file's path, or ``"event log"`` for a DataFrame.
    labels : sequence, optional
        The index labels of a DataFrame's rows.
    """

    kind: str
    source: str
    labels: Sequence[Hashable] = ()

    def __call__(self, i: int) -> str:
        """``"line 7"`` (a CSV file), ``"event 6"`` (XES) or ``"row 'x'"`` (a DataFrame)."""
        if self.kind == "csv":
            line = self._csv_line(i)
            return f"line {line}" if line is not None else f"data row {i + 1}"
        if self.kind == "xes":
            return f"event {i + 1}"
        label = self.labels[i] if i < len(self.labels) else i
        return f"row {quote(label)}"

    def _csv_line(self, i: int) -> int | None:
        """The 1-based line where data record ``i`` starts (blank lines are not records)."""
        try:
            with _open(self.source) as f:
                text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="replace", newline="")
                reader = csv.reader(text)
                start = 1
                seen = -1  # the header is record -1
                for cells in _records(reader):
                    if cells:
                        if seen == i:
                            return start
                        seen += 1
                    start = reader.line_num + 1
        except (OSError, EOFError, zlib.error, csv.Error):
            return None
        return None


def _records(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    old = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield from reader
    finally:
        csv.field_size_limit(old)


def utf8_problem(path: str) -> str | None:
    """``"line 3: byte 0xe9 at offset 41 is not UTF-8"`` for the first bad byte, or None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = p.write_bytes(b"case,act\\n1,caf\\xe9\\n")
    >>> utf8_problem(str(p))
    'line 2: byte 0xe9 at offset 14 is not UTF-8'
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    lines = 1
    try:
        with _open(path) as f:
            while True:
                chunk = f.read(_CHUNK)
                pending = decoder.getstate()[0]
                try:
                    decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as err:
                    data = pending + chunk
                    at = offset - len(pending) + err.start
                    line = lines + data[: err.start].count(b"\n")
                    byte = data[err.start] if err.start < len(data) else None
                    what = f"byte {byte:#04x}" if byte is not None else "the end of the file"
                    return f"line {line}: {what} at offset {at} is not UTF-8"
                if not chunk:
                    return None
                offset += len(chunk)
                lines += chunk.count(b"\n")
    except (OSError, EOFError, zlib.error):
        return None
