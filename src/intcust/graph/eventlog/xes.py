"""A safe, streaming reader of XES event logs (``.xes`` and ``.xes.gz``).

XES (IEEE 1849-2016) stores a log as ``<trace>`` elements holding trace
attributes and ``<event>`` elements, each attribute an element such as
``<string key="org:resource" value="Pete"/>``. `read_xes_columns` streams the
file through expat and keeps only the requested keys of each event, so memory
grows with events × requested keys, never with the whole XML tree.

The parser is configured to refuse any document type declaration (DTD),
entity declaration or external entity wherever it appears (see
`intcust.graph.io.safexml`): a DTD is the only place to declare entities, and
entities are how a small file expands into gigabytes ("billion laughs") or
reads other files. XES never needs one.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable, Sequence
from typing import IO
from xml.parsers import expat

from intcust.errors import ReadError
from intcust.graph.io.safexml import safe_parser

__all__ = ["read_xes_columns"]

_CHUNK = 1 << 16
#: XES nests traces, events and (list or container) attributes a few levels deep.
_MAX_DEPTH = 256


class _Scan:
    """The state of one pass over a log: the columns so far and where the parser is."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.trace_keys = {k[len("case:") :]: k for k in keys if k.startswith("case:")}
        self.event_keys = {k for k in keys if not k.startswith("case:")}
        self.columns: dict[str, list[str | None]] = {k: [] for k in keys}
        self.event_cols = [(k, self.columns[k]) for k in keys if not k.startswith("case:")]
        self.depth = 0
        self.root = ""
        self.trace_depth = 0  # depth of the open <trace>, 0 outside one
        self.event_depth = 0  # depth of the open <event>, 0 outside one
        self.found: dict[str, str | None] = {}
        self.trace_values: dict[str, str | None] = {}
        self.in_trace = 0
        self.n_events = 0
        self.n_traces = 0
        self.stray_events = 0


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
    scan = _Scan(keys)
    parser = safe_parser(name)

    def start(tag: str, attrs: dict[str, str]) -> None:
        scan.depth += 1
        depth = scan.depth
        if depth > _MAX_DEPTH:
            raise ReadError(
                f"{name}, line {parser.CurrentLineNumber}: elements nest deeper than "
                f"{_MAX_DEPTH} levels"
            )
        local = tag.rpartition(" ")[2]
        if depth == 1:
            scan.root = local
        elif scan.event_depth:
            if depth == scan.event_depth + 1:
                key = attrs.get("key")
                if key in scan.event_keys:
                    scan.found[key] = attrs.get("value")
        elif local == "event":
            scan.event_depth = depth
            scan.found = {}
            if not scan.trace_depth:
                scan.stray_events += 1
        elif scan.trace_depth:
            if depth == scan.trace_depth + 1:
                key = attrs.get("key")
                if key in scan.trace_keys:
                    scan.trace_values[scan.trace_keys[key]] = attrs.get("value")
        elif local == "trace" and depth == 2:
            scan.trace_depth = depth
            scan.trace_values = {}
            scan.in_trace = 0

    def end(tag: str) -> None:
        depth = scan.depth
        scan.depth -= 1
        if depth == scan.event_depth:
            scan.event_depth = 0
            for k, col in scan.event_cols:
                col.append(scan.found.get(k))
            scan.n_events += 1
            scan.in_trace += 1
        elif depth == scan.trace_depth:
            scan.trace_depth = 0
            scan.n_traces += 1
            for k in scan.trace_keys.values():
                scan.columns[k].extend([scan.trace_values.get(k)] * scan.in_trace)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        total = os.path.getsize(name)
        with open(name, "rb") as raw:
            gz = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw  # type: ignore[assignment]
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
                if progress is not None:
                    progress(raw.tell(), total)
            parser.Parse(b"", True)
            if progress is not None:
                progress(total, total)
    except expat.ExpatError as err:
        raise ReadError(
            f"{name}, line {err.lineno}, column {err.offset + 1}: not well-formed XML: "
            f"{expat.errors.messages[err.code]}"
        ) from None
    except (OSError, EOFError, zlib.error) as err:
        raise ReadError(f"{name}: cannot read the file ({err})") from None
    if scan.root != "log":
        raise ReadError(f"{name}: not an XES log (the root element must be <log>)")
    if scan.stray_events:
        raise ReadError(f"{name}: events outside any <trace> are not supported")
    columns, n_traces = scan.columns, scan.n_traces
    return columns, n_traces
