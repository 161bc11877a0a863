"""Event log tables: reading a log and normalising its events.

A log has one row per event, from a pandas DataFrame, a CSV file or an XES
file (read by `intcust.graph.eventlog.xes`). `read_events` checks the columns, applies
the policies for missing values and for events out of time order, parses the
timestamps (to UTC when they carry offsets) and pairs lifecycle start and
complete events. It returns the complete events of each case in time order:
what the hand-off mining of `intcust.graph.eventlog.mining` consumes.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from intcust.errors import ParameterError, ReadError, quote
from intcust.graph.eventlog.places import Places, utf8_problem
from intcust.graph.io.files import check_readable

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Events", "read_events"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_NAT = np.iinfo(np.int64).min
#: The times int64 nanoseconds hold (pandas' Timestamp range), and unit sizes in ns.
_LIMIT = np.iinfo(np.int64).max - 1
_FIRST, _LAST = "1677-09-22", "2262-04-11"
_NS_PER = {
    "ns": 1,
    "us": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
    "D": 86_400_000_000_000,
    "W": 604_800_000_000_000,
}
_OFFSET = r"(?:[Zz]|[+-]\d\d:?\d\d)$"


@dataclass(frozen=True, eq=False)
class Events:
    """The complete events of a log, each case's in time order.

    Build one with `read_events`.
    """

    frame: pd.DataFrame  #: the complete events' columns, in log order
    order: IntArray  #: positions in `frame`, sorted by (case, completion time)
    case: IntArray  #: the case code of each event, in that order
    start: IntArray  #: start times (ns); the completion time where unknown
    end: IntArray  #: completion times (ns)
    known: BoolArray  #: whether the start time is known
    aware: bool  #: whether the timestamps carried UTC offsets (now converted to UTC)
    source: str  #: a name for the log in messages
    stats: dict[str, Any]  #: events, ignored_events, dropped_events, reordered_cases

    def column(self, name: str) -> NDArray[Any]:
        """The values of column `name`, in (case, completion time) order."""
        return self.frame[name].to_numpy()[self.order]


def read_events(
    log: object,
    *,
    case: str,
    activity: str,
    node: str,
    timestamp: str,
    start_timestamp: str | None,
    lifecycle: str | None,
    group: str | None,
    missing: str,
    unsorted: str,
    progress: Callable[[int, int], None] | None,
    func: str,
) -> Events:
    """The complete events of an event log, normalised, each case's in time order.

    Parameters
    ----------
    log : pandas.DataFrame or path
        One row per event: a DataFrame, a ``.csv`` / ``.csv.gz`` file, or an
        ``.xes`` / ``.xes.gz`` file.
    case, activity, node, timestamp : str
        The required columns: case, activity, node label and completion time.
    start_timestamp : str or None
        A required column of start times; None pairs lifecycle events instead.
    lifecycle, group : str or None
        Optional columns, kept when the log has them.
    missing : {"raise", "drop"}
        Whether an event lacking a required value raises or is dropped.
    unsorted : {"sort", "error"}
        Whether events out of time order within a case are sorted or raise.
    progress : callable or None
        Called as ``progress(done, total)`` with bytes read from a file.
    func : str
        The public function these options belong to, named in messages.

    Returns
    -------
    Events
        The complete events; ``stats`` counts the events read, the lifecycle
        events ignored, the events dropped and the cases sorted.

    Raises
    ------
    ReadError
        If the file cannot be read, a column is absent, a value is missing
        (``missing="raise"``), timestamps cannot be parsed or mix time zones,
        or events are out of order (``unsorted="error"``).
    ParameterError
        If `log` is neither a DataFrame nor a path.

    Notes
    -----
    `intcust.graph.eventlog.mining.from_event_log` documents the lifecycle pairing,
    the waits and the time zones.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "case": ["1", "1", "2"],
    ...     "act": ["a", "b", "a"],
    ...     "who": ["x", "y", "x"],
    ...     "time": ["2024-01-01 10:00", "2024-01-01 09:00", "2024-01-02 09:00"],
    ... })
    >>> ev = read_events(log, case="case", activity="act", node="who", timestamp="time",
    ...                  start_timestamp=None, lifecycle=None, group=None, missing="raise",
    ...                  unsorted="sort", progress=None, func="example")
    >>> ev.column("who").tolist(), ev.stats["reordered_cases"]
    (['y', 'x', 'x'], 1)
    """
    import pandas as pd

    required = list(dict.fromkeys([case, activity, node, timestamp]))
    if start_timestamp is not None:
        required.append(start_timestamp)
    optional = [c for c in (lifecycle, group) if c is not None and c not in required]
    frame, places = _load(log, required, optional, progress, func)
    source = places.source
    stats: dict[str, Any] = {"events": len(frame)}
    is_done, is_start = _lifecycle(frame, lifecycle, stats)
    keep = _present(frame, [case, activity, node, timestamp], is_done, missing, places)
    keep_start = _present(frame, [case, activity, timestamp], is_start, missing, places)
    stats["dropped_events"] = int(np.count_nonzero(is_done & ~keep)) + int(
        np.count_nonzero(is_start & ~keep_start)
    )
    is_done, is_start = is_done & keep, is_start & keep_start
    used = frame[is_done | is_start]
    t_all, aware = _times(used[timestamp], timestamp, places)
    case_all, _ = pd.factorize(used[case], sort=False)
    done = is_done[is_done | is_start]
    if start_timestamp is not None:
        t_start, _ = _times(used[start_timestamp][done], start_timestamp, places, missing_ok=True)
    else:
        act_all, _ = pd.factorize(used[activity], sort=False)
        t_start = _paired_starts(case_all, act_all, t_all, done)
    frame = used[done]
    t_end, case_codes = t_all[done], case_all[done]
    known = t_start != _NAT
    t_start = np.where(known, t_start, t_end)

    order = np.lexsort((t_end, case_codes))
    back = np.flatnonzero(np.diff(order) < 0)
    reordered = np.unique(case_codes[order[back]]) if len(back) else np.empty(0, np.int64)
    if len(reordered) and unsorted == "error":
        first = np.flatnonzero(case_codes == reordered[0])[0]
        raise ReadError(
            f"{source}, {places(int(frame.index[int(first)]))}: events of case "
            f"{quote(frame[case].iloc[int(first)])} are not in time order "
            "(unsorted='error'; pass unsorted='sort' to sort them)"
        )
    stats["reordered_cases"] = len(reordered)
    return Events(
        frame=frame,
        order=order,
        case=case_codes[order],
        start=t_start[order],
        end=t_end[order],
        known=known[order],
        aware=aware,
        source=source,
        stats=stats,
    )


def _load(
    log: object,
    required: list[str],
    optional: list[str],
    progress: Callable[[int, int], None] | None,
    func: str,
    *,
    kind: str = "event log",
) -> tuple[pd.DataFrame, Places]:
    """The needed columns of `log` as a DataFrame, and how to name its rows in messages
    (a frame is called `kind`)."""
    import pandas as pd

    wanted = required + optional
    if isinstance(log, pd.DataFrame):
        frame, columns = log, list(log.columns)
        places = Places("frame", kind, list(log.index))
    elif isinstance(log, str | os.PathLike):
        source = os.fspath(log)
        check_readable(source)
        lower = source.lower()
        if lower.endswith((".xes", ".xes.gz")):
            from intcust.graph.eventlog.xes import read_xes_columns

            cols, _ = read_xes_columns(source, wanted, progress=progress)
            columns = [k for k, v in cols.items() if any(x is not None for x in v)]
            frame = pd.DataFrame({k: cols[k] for k in columns}, dtype=object)
            places = Places("xes", source)
        elif lower.endswith((".csv", ".csv.gz")):
            frame, columns = _read_csv(source, wanted)
            places = Places("csv", source)
            if progress is not None:
                size = os.path.getsize(source)
                progress(size, size)
        else:
            raise ReadError(f"{source}: an {kind} must be a .csv, .xes or .xes.gz file")
    else:
        raise ParameterError(
            f"The 'log' parameter of {func} must be a pandas DataFrame or a path; "
            f"got {type(log).__name__}."
        )
    absent = [c for c in required if c not in columns]
    if absent:
        raise ReadError(
            f"{places.source}: no column {', '.join(map(quote, absent))}; the log has "
            f"{quote(columns[:20])}" + (" ..." if len(columns) > 20 else "")
        )
    return frame[[c for c in wanted if c in columns]].reset_index(drop=True), places


def _read_csv(source: str, wanted: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The `wanted` columns of a CSV log, as text, and all of its columns."""
    import pandas as pd

    try:
        columns = list(pd.read_csv(source, nrows=0).columns)
        frame = pd.read_csv(
            source,
            usecols=[c for c in wanted if c in columns],
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    except UnicodeDecodeError:
        problem = utf8_problem(source) or "the file is not UTF-8"
        raise ReadError(f"{source}, {problem}") from None
    except (OSError, ValueError, EOFError, zlib.error) as err:
        raise ReadError(f"{source}: cannot read the CSV file ({quote(str(err))[1:-1]})") from None
    return frame, columns


def _lifecycle(
    frame: pd.DataFrame, lifecycle: str | None, stats: dict[str, Any]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which events form the hand-off sequence, and which are start events."""
    n = len(frame)
    if lifecycle is None or lifecycle not in frame.columns:
        stats["ignored_events"] = 0
        return np.ones(n, bool), np.zeros(n, bool)
    lc = frame[lifecycle].astype("string").str.strip().str.lower().fillna("")
    is_start = (lc == "start").to_numpy(bool)
    if not is_start.any():
        stats["ignored_events"] = 0
        return np.ones(n, bool), is_start
    is_done = (lc == "complete").to_numpy(bool)
    stats["ignored_events"] = int(n - np.count_nonzero(is_done | is_start))
    return is_done, is_start


def _present(
    frame: pd.DataFrame,
    columns: list[str],
    rows: NDArray[np.bool_],
    missing: str,
    places: Places,
    *,
    what: str = "event",
) -> NDArray[np.bool_]:
    """Rows of `rows` with every column present; raise for missing="raise" (rows are `what`s)."""
    import pandas as pd

    ok = np.ones(len(frame), bool)
    for col in dict.fromkeys(columns):
        values = frame[col]
        na = values.isna().to_numpy(bool).copy()
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            na |= (values == "").to_numpy(bool)
        bad = na & rows
        if missing == "raise" and bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ReadError(
                f"{places.source}, {places(first)}: the {what} lacks {quote(col)} "
                f"({int(bad.sum())} {what}(s) do); pass missing='drop' to drop them"
            )
        ok &= ~na
    return ok


def _times(
    values: pd.Series, column: str, places: Places, *, missing_ok: bool = False
) -> tuple[IntArray, bool]:
    """Timestamps as int64 nanoseconds (UTC when they carry offsets), and whether they did."""
    import pandas as pd

    source = places.source
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values.dt.tz_convert("UTC").dt.tz_localize(None)
        aware = True
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        parsed, aware = values, False
    else:
        text = values.astype("string")
        present = text.notna() & (text != "")
        offset = text.str.contains(_OFFSET, regex=True).fillna(False).to_numpy(bool)
        n_aware, n_present = int(offset.sum()), int(present.sum())
        if 0 < n_aware < n_present:
            naive = int(np.flatnonzero(present.to_numpy(bool) & ~offset)[0])
            raise ReadError(
                f"{source}, {places(int(values.index[naive]))}: column {quote(column)} mixes "
                f"time zones: {n_aware} timestamps carry a UTC offset and {n_present - n_aware} "
                f"do not (this one, {quote(text.iloc[naive])}, does not)"
            )
        aware = n_aware > 0
        parsed = pd.to_datetime(text.where(present), format="ISO8601", utc=aware, errors="coerce")
        if aware:
            parsed = parsed.dt.tz_localize(None)
        bad = parsed.isna().to_numpy(bool) & present.to_numpy(bool)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ReadError(
                f"{source}, {places(int(values.index[first]))}: column {quote(column)} has "
                f"{quote(text.iloc[first])}, not an ISO 8601 time between {_FIRST} and {_LAST} "
                f"({int(bad.sum())} such timestamp(s))"
            )
    na = parsed.isna().to_numpy(bool)
    if na.any() and not missing_ok:
        first = int(np.flatnonzero(na)[0])
        raise ReadError(
            f"{source}, {places(int(values.index[first]))}: column {quote(column)} has no "
            f"timestamp ({int(na.sum())} event(s) lack one)"
        )
    ns = _nanoseconds(parsed.to_numpy(), na)
    if ns is None:
        arr = parsed.to_numpy()
        unit, _ = np.datetime_data(arr.dtype)
        far = ~na & (np.abs(arr.view(np.int64)) > _LIMIT // _NS_PER[unit])
        first = int(np.flatnonzero(far)[0])
        raise ReadError(
            f"{source}, {places(int(values.index[first]))}: column {quote(column)} has "
            f"{quote(str(values.iloc[first]))}, outside the times intcust can hold "
            f"({_FIRST} to {_LAST}, in nanoseconds)"
        )
    ns[na] = _NAT
    return ns, aware


def _nanoseconds(arr: NDArray[Any], na: NDArray[np.bool_]) -> IntArray | None:
    """datetime64 values as int64 nanoseconds, or None if one does not fit."""
    unit, step = np.datetime_data(arr.dtype)
    factor = _NS_PER[unit] * step
    ticks = arr.view(np.int64)
    if factor != 1 and np.any(~na & (np.abs(ticks) > _LIMIT // factor)):
        return None
    return np.where(na, 0, ticks) * factor


def _paired_starts(
    case: IntArray, act: IntArray, t: IntArray, done: NDArray[np.bool_]
) -> IntArray:
    """For each complete event, the time of the start directly before it in its (case, activity)."""
    idx = np.arange(len(t))
    order = np.lexsort((idx, t, act, case))
    prev, cur = order[:-1], order[1:]
    pair = (case[prev] == case[cur]) & (act[prev] == act[cur]) & ~done[prev] & done[cur]
    start = np.full(len(t), _NAT, dtype=np.int64)
    start[cur[pair]] = t[prev[pair]]
    return start[done]
