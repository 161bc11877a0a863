"""A safe, streaming reader of XES event logs (``.xes`` and ``.xes.gz``).

XES (IEEE 1849-2016) stores a log as ``<trace>`` elements holding trace
attributes and ``<event>`` elements, each attribute an element such as
``<string key="org:resource" value="Pete"/>``. `read_xes_columns` streams the
file through expat and keeps only the requested keys of each event, so memory
grows with events × requested keys, never with the whole XML tree.

The reader refuses any document type declaration before parsing: a DTD is
the only place to declare entities, and expat (under ElementTree) would
expand internal entities (the "billion laughs" attack). XES never needs one.
Events are parsed with ElementTree's C parser and cleared once read.
"""

from __future__ import annotations

import gzip
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from typing import IO

from intcust.errors import ReadError

__all__ = ["read_xes_columns"]

_CHUNK = 1 << 14
_PROLOG_LIMIT = 1 << 16


def _check_prolog(head: bytes, name: str) -> None:
    """Refuse a DTD (and so any entity declaration) or a non-UTF-8-compatible encoding."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        raise ReadError(f"{name}: XES must be encoded in UTF-8 (or an ASCII-compatible encoding)")
    text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            end, skip = text.find("?>", pos), 2
        elif text.startswith("<!--", pos):
            end, skip = text.find("-->", pos), 3
        elif text.startswith("<!", pos):
            raise ReadError(
                f"{name}: XES files must not declare a DTD or entities; "
                "refusing to read it (entity expansion is unsafe)"
            )
        else:
            return
        if end < 0:
            raise ReadError(
                f"{name}: the XML prolog does not end within its first {_PROLOG_LIMIT} bytes"
            )
        pos = end + skip


def _chunks(stream: IO[bytes], name: str) -> Iterator[bytes]:
    head = stream.read(_PROLOG_LIMIT)
    _check_prolog(head, name)
    yield head
    while chunk := stream.read(_CHUNK):
        yield chunk


def read_xes_columns(
    path: str | os.PathLike[str],
    keys: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, list[str | None]], int]:
    """The requested attributes of every event of an XES file, as columns of strings.

    Parameters
    ----------
    path : str or path-like
        An ``.xes`` file, or a gzip-compressed one (``.gz``).
    keys : sequence of str
        Event attribute keys to keep. A key ``"case:NAME"`` takes the trace
        attribute ``NAME`` (so ``"case:concept:name"`` is the case id), as in
        the flattened form of pm4py and the CSV exports.
    progress : callable, optional
        Called as ``progress(done, total)`` with the (compressed) bytes read.

    Returns
    -------
    columns : dict of str to list
        One list per key, one entry per event (None where the event lacks it).
    n_traces : int
        The number of traces read.

    Raises
    ------
    ReadError
        If the file is not well-formed XML, is not XES, or declares a DTD or
        entities.

    Notes
    -----
    Nested attributes (XES lists and containers) are not read, and global
    default attributes (``<global>``) are not applied to events, so an event
    without a key reads as None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ('<log><trace><string key="concept:name" value="c1"/>'
    ...         '<event><string key="concept:name" value="a"/></event></trace></log>')
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tiny.xes"
    >>> _ = p.write_text(text)
    >>> read_xes_columns(p, ["case:concept:name", "concept:name"])
    ({'case:concept:name': ['c1'], 'concept:name': ['a']}, 1)
    """
    name = os.fspath(path)
    trace_keys = {k[len("case:") :]: k for k in keys if k.startswith("case:")}
    event_keys = [k for k in keys if not k.startswith("case:")]
    wanted = set(event_keys)
    columns: dict[str, list[str | None]] = {k: [] for k in keys}
    event_cols = [(k, columns[k]) for k in event_keys]
    n_events = 0
    n_traces = 0
    last: ET.Element | None = None
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("end",))
    try:
        total = os.path.getsize(name)
        with open(name, "rb") as raw:
            gz = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw  # type: ignore[assignment]
            for chunk in _chunks(stream, name):
                if progress is not None:
                    progress(raw.tell(), total)
                parser.feed(chunk)
                for item in parser.read_events():
                    el = item[-1]
                    if not isinstance(el, ET.Element):
                        continue
                    last = el
                    tag = el.tag.rpartition("}")[2]
                    if tag == "event":
                        found: dict[str, str | None] = {}
                        for child in el:
                            key = child.get("key")
                            if key in wanted:
                                found[key] = child.get("value")
                        for k, col in event_cols:
                            col.append(found.get(k))
                        n_events += 1
                        el.clear()
                    elif tag == "trace":
                        n_traces += 1
                        values: dict[str, str | None] = {}
                        in_trace = 0
                        for child in el:
                            if child.tag.rpartition("}")[2] == "event":
                                in_trace += 1
                            elif (key := child.get("key")) in trace_keys:
                                values[trace_keys[key]] = child.get("value")
                        for k in trace_keys.values():
                            columns[k].extend([values.get(k)] * in_trace)
                        el.clear()
            parser.close()
            if progress is not None:
                progress(total, total)
    except ET.ParseError as err:
        raise ReadError(f"{name}: not well-formed XML ({err})") from None
    except (OSError, EOFError) as err:
        raise ReadError(f"{name}: cannot read the file ({err})") from None
    if last is None or last.tag.rpartition("}")[2] != "log":
        raise ReadError(f"{name}: not an XES log (the root element must be <log>)")
    if any(len(col) != n_events for col in columns.values()):
        raise ReadError(f"{name}: events outside any <trace> are not supported")
    return columns, n_traces
