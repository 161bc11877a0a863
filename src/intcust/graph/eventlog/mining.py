"""Organisations mined from process event logs: the handover-of-work network.

An event log records, per case, which activity was done by whom and when. When
a case moves from resource A's event to the next event, done by B ≠ A, A
handed work to B: A supplies B (van der Aalst, Reijers & Song 2005). The
mined organisation has one edge per such pair, its `volume` the number of
hand-offs and its `lead_time` the empirical distribution of the waits.
Hand-offs against the flow are marked as rework by
`intcust.graph.eventlog.rework`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice, check_int, parameter_error
from intcust.errors import ParameterError, quote
from intcust.graph.durations import Empirical
from intcust.graph.eventlog.rework import _mark_rework
from intcust.graph.eventlog.table import read_events

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LEVELS", "TIME_UNITS", "from_event_log", "sketch"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: What a node of the mined organisation stands for.
LEVELS = ("resource", "group", "activity")
#: Seconds in each time unit the durations can be expressed in.
TIME_UNITS: Mapping[str, float] = {
    "second": 1.0,
    "minute": 60.0,
    "hour": 3600.0,
    "day": 86400.0,
    "week": 604800.0,
}
_FUNC = "from_event_log"


def sketch(
    samples: FloatArray, max_samples: int, *, presorted: bool = False
) -> tuple[Empirical, float]:
    """An `Empirical` of at most `max_samples` values, and its error bound.

    Beyond `max_samples` observations the distribution keeps the ``m =
    max_samples`` evenly spaced quantiles ``F⁻¹((k - ½)/m)``, k = 1..m, of the
    observed (lower-quantile) empirical CDF F. The sketch's CDF then differs
    from F by at most ``1/(2m)`` at every point (Kolmogorov distance), so an
    SLA compliance read from it is within that bound of the exact count.
    ``presorted=True`` skips sorting samples already in increasing order.

    Examples
    --------
    >>> d, err = sketch(np.arange(1000.0), 10)
    >>> len(d.samples), err
    (10, 0.05)
    """
    n = len(samples)
    s = samples if presorted else np.sort(samples)
    if n <= max_samples:
        return Empirical(s), 0.0
    p = (np.arange(1, max_samples + 1) - 0.5) / max_samples
    idx = np.clip(np.ceil(p * n).astype(np.int64) - 1, 0, n - 1)
    return Empirical(s[idx]), 0.5 / max_samples


def from_event_log(
    log: pd.DataFrame | str | os.PathLike[str],
    *,
    case: str = "case:concept:name",
    activity: str = "concept:name",
    resource: str = "org:resource",
    timestamp: str = "time:timestamp",
    start_timestamp: str | None = None,
    lifecycle: str | None = "lifecycle:transition",
    group: str | None = "org:group",
    level: str = "resource",
    missing: str = "raise",
    unsorted: str = "sort",
    time_unit: str = "day",
    customer: str = "case completed",
    max_samples: int = 10_000,
    progress: Callable[[int, int], None] | None = None,
) -> nx.DiGraph:
    """The handover-of-work organisation of an event log.

    Parameters
    ----------
    log : pandas.DataFrame or path
        One row per event: a DataFrame, a ``.csv`` file, or an ``.xes`` /
        ``.xes.gz`` file (read by `intcust.graph.eventlog.xes.read_xes_columns`, which
        refuses DTDs and entities).
    case, activity, resource, timestamp : str, optional
        Column (XES attribute) names; the defaults are the XES standard ones.
    start_timestamp : str, optional
        A column with each event's start time (interval logs). Without it,
        starts come from ``lifecycle`` start/complete pairs where the log has them.
    lifecycle : str or None, optional
        The lifecycle column; ignored when absent or None.
    group : str or None, optional
        The group column: the nodes at ``level="group"``, and each resource's
        ``unit`` (its most frequent group) at ``level="resource"``.
    level : {"resource", "group", "activity"}, optional
        What a node is: a person, a group (a team), or an activity (a team
        doing it; the graph is then the directly-follows graph).
    missing : {"raise", "drop"}, optional
        An event lacking its case, activity, node label or timestamp raises
        `ReadError` (``"raise"``; ``"error"`` is its 0.1.0 spelling) or is
        dropped and counted (``"drop"``).
    unsorted : {"sort", "error"}, optional
        Events out of time order within a case are stably sorted by time
        (ties keep log order) and counted, or raise `ReadError`.
    time_unit : {"second", "minute", "hour", "day", "week"}, optional
        The unit of every duration in the result.
    customer : str, optional
        The external customer node that each case's last event feeds.
    max_samples : int, optional
        Durations with more observations keep a quantile sketch of this size
        (see `sketch`); the bound is stored on the edge as ``lead_time_error``.
    progress : callable, optional
        Called as ``progress(done, total)`` with bytes read while reading a file.

    Returns
    -------
    networkx.DiGraph
        Nodes (kind ``"person"`` for resources, ``"team"`` otherwise) with
        ``work`` where starts are known, ``unit`` and ``events``; edges
        ``A -> B`` with ``volume`` (hand-offs over the window), ``lead_time``
        (an `Empirical`), ``deliverable``, ``lead_time_n``, ``lead_time_error``
        and ``deliverable_share``; back edges of rework loops get ``lag=1``.
        ``G.graph["event_log"]`` keeps the observation window and counts.

    Raises
    ------
    ReadError
        If a column is absent, a value is missing (with ``missing="raise"``),
        timestamps cannot be parsed or mix time zones, or events are out of
        order (with ``unsorted="error"``).
    ParameterError
        If an option is not one of its choices.

    Notes
    -----
    *Hand-offs.* Within a case, sorted by time, event i (node A) followed
    directly by event i + 1 (node B ≠ A) is one hand-off A -> B: pm4py's
    handover-of-work metric with beta = 0 in absolute counts, without
    self-handovers (A -> A) [1]_. With lifecycle start events present, only
    ``complete`` events form the sequence; each is paired with a ``start``
    that directly precedes it among the events of the same case and activity;
    other transitions are counted as ignored.

    *Waits.* A hand-off's wait is B's start minus A's completion, clipped at 0
    (overlaps are counted). An event without a known start is taken as
    instantaneous, so for complete-only logs the wait is the time between the
    two events. A node's ``work`` is the distribution of its complete - start.

    *Deliverable.* The activity of A's event; with several per pair, the most
    frequent (ties: the smallest name), its share kept as ``deliverable_share``.

    *Time zones.* Timestamps with UTC offsets are converted to UTC; naive ones
    are taken as one local clock; a log mixing both raises `ReadError`.

    *Cycles.* Hand-offs go both ways, while blocking edges must be acyclic.
    Nodes are ordered by the weighted greedy feedback-arc-set heuristic of
    Eades, Lin & Smyth (1993) on volume [2]_, and edges against that order
    (rework) get ``lag=1``: they feed the next round.

    References
    ----------
    .. [1] van der Aalst, W. M. P., Reijers, H. A., & Song, M. (2005). Discovering
       social networks from event logs. CSCW 14(6), 549-593.
    .. [2] Eades, P., Lin, X., & Smyth, W. F. (1993). A fast and effective
       heuristic for the feedback arc set problem. IPL 47(6), 319-323.

    Examples
    --------
    >>> import pandas as pd
    >>> import intcust as ic
    >>> log = pd.DataFrame({
    ...     "case:concept:name": ["1", "1", "1", "2", "2"],
    ...     "concept:name": ["register", "check", "decide", "register", "decide"],
    ...     "org:resource": ["Pete", "Mike", "Sara", "Pete", "Sara"],
    ...     "time:timestamp": ["2024-01-01 09:00", "2024-01-01 12:00",
    ...                        "2024-01-02 09:00", "2024-01-03 09:00", "2024-01-03 21:00"],
    ... })
    >>> G = ic.from_event_log(log)
    >>> sorted(G.edges(data="volume"))
    [('Mike', 'Sara', 1), ('Pete', 'Mike', 1), ('Pete', 'Sara', 1), ('Sara', 'case completed', 2)]
    >>> G.edges["Pete", "Mike"]["lead_time"].samples, G.edges["Pete", "Mike"]["deliverable"]
    ((0.125,), 'register')
    >>> G.graph["event_log"]["cases"]
    2
    """
    import pandas as pd

    level = check_choice(level, LEVELS, func=_FUNC, param="level")
    missing = check_choice(missing, ("raise", "drop", "error"), func=_FUNC, param="missing")
    if missing == "error":  # the 0.1.0 spelling of "raise"
        warnings.warn(
            "missing='error' of from_event_log is spelt missing='raise' since intcust 0.2.0, "
            "as everywhere else; the old spelling will be removed in 0.3.0.",
            DeprecationWarning,
            stacklevel=2,
        )
        missing = "raise"
    for param, column in (("case", case), ("activity", activity), ("resource", resource)):
        if not isinstance(column, str):
            raise parameter_error(_FUNC, param, "a column name (a str)", column)
    unsorted = check_choice(unsorted, ("sort", "error"), func=_FUNC, param="unsorted")
    time_unit = check_choice(time_unit, list(TIME_UNITS), func=_FUNC, param="time_unit")
    max_samples = check_int(max_samples, func=_FUNC, param="max_samples", minimum=1)
    node_col = {"resource": resource, "group": group, "activity": activity}[level]
    if node_col is None:
        raise ParameterError(
            f"The 'group' parameter of {_FUNC} must name a column for level='group'; got None."
        )
    events = read_events(
        log,
        case=case,
        activity=activity,
        node=node_col,
        timestamp=timestamp,
        start_timestamp=start_timestamp,
        lifecycle=lifecycle,
        group=group,
        missing=missing,
        unsorted=unsorted,
        progress=progress,
        func=_FUNC,
    )
    stats: dict[str, Any] = {"source": events.source, "level": level, **events.stats}
    c, t_end, t_start, known = events.case, events.end, events.start, events.known
    node_codes, nodes = pd.factorize(events.column(node_col), sort=True)
    act_codes, acts = pd.factorize(events.column(activity), sort=True)
    names = nodes.tolist()
    if customer in set(names):
        raise ParameterError(
            f"The 'customer' parameter of {_FUNC} must not name an existing {level}; "
            f"got {quote(customer)}."
        )
    unit = 1e9 * TIME_UNITS[time_unit]

    G = nx.DiGraph(name=os.path.basename(events.source), time_unit=time_unit)
    kind = "person" if level == "resource" else "team"
    counts = np.bincount(node_codes, minlength=len(names))
    units = None
    if level == "resource" and group is not None and group in events.frame.columns:
        units = _units(events.column(group), node_codes, len(names))
    for i, name in enumerate(names):
        G.add_node(name, kind=kind, events=int(counts[i]))
        if units is not None and units[i] is not None:
            G.nodes[name]["unit"] = units[i]
    work = (t_end - t_start)[known].astype(np.float64) / unit
    _work(G, names, node_codes[known], work, max_samples)

    same = c[1:] == c[:-1]
    hand = same & (node_codes[1:] != node_codes[:-1])
    src, dst = node_codes[:-1][hand], node_codes[1:][hand]
    raw = (t_start[1:] - t_end[:-1])[hand].astype(np.float64) / unit
    stats["overlapping_handoffs"] = int(np.count_nonzero(raw < 0))
    _handoffs(
        G, names, acts.tolist(), src, dst, np.maximum(raw, 0.0), act_codes[:-1][hand], max_samples
    )

    last = np.flatnonzero(np.append(~same, True)) if len(c) else np.empty(0, np.int64)
    G.add_node(customer, kind="external")
    finishers = np.bincount(node_codes[last], minlength=len(names))
    for k in np.flatnonzero(finishers).tolist():
        G.add_edge(names[k], customer, volume=int(finishers[k]), deliverable="completed case")
    _mark_rework(G, customer)

    lo, hi = (int(t_end.min()), int(t_end.max())) if len(t_end) else (0, 0)
    stats.update(
        cases=len(last),
        handoffs=len(src),
        start=_iso(lo, events.aware) if len(t_end) else None,
        end=_iso(hi, events.aware) if len(t_end) else None,
        span=(hi - lo) / unit,
    )
    G.graph["event_log"] = stats
    return G


def _units(groups: NDArray[Any], codes: IntArray, n: int) -> list[Hashable | None]:
    """Each node's most frequent group (ties: the smallest), or None."""
    import pandas as pd

    df = pd.DataFrame({"node": codes, "group": groups}).dropna()
    out: list[Hashable | None] = [None] * n
    if df.empty:
        return out
    size = df.groupby(["node", "group"]).size().reset_index(name="k")
    size = size.sort_values(["node", "k", "group"], ascending=[True, False, True], kind="stable")
    for node, grp in size.drop_duplicates("node")[["node", "group"]].itertuples(index=False):
        out[int(node)] = grp
    return out


def _work(
    G: nx.DiGraph, names: list[Hashable], codes: IntArray, work: FloatArray, max_samples: int
) -> None:
    order = np.argsort(codes, kind="stable")
    codes, work = codes[order], work[order]
    cuts = np.flatnonzero(np.diff(codes)) + 1
    for chunk_codes, chunk in zip(np.split(codes, cuts), np.split(work, cuts), strict=True):
        if len(chunk):
            G.nodes[names[int(chunk_codes[0])]]["work"] = sketch(chunk, max_samples)[0]


def _handoffs(
    G: nx.DiGraph,
    names: list[Hashable],
    acts: list[Hashable],
    src: IntArray,
    dst: IntArray,
    wait: FloatArray,
    act: IntArray,
    max_samples: int,
) -> None:
    """One edge per (supplier, customer) pair with its volume, waits and deliverable."""
    n = len(names)
    pair = src.astype(np.int64) * n + dst
    order = np.lexsort((act, pair))
    pair, wait, act = pair[order], wait[order], act[order]
    cuts = np.flatnonzero(np.diff(pair)) + 1
    for p, w, a in zip(
        np.split(pair, cuts), np.split(wait, cuts), np.split(act, cuts), strict=True
    ):
        if not len(p):
            continue
        values, freq = np.unique(a, return_counts=True)
        best = int(np.argmax(freq))  # first maximum: the smallest activity name
        lead, err = sketch(w, max_samples)
        u, v = names[int(p[0]) // n], names[int(p[0]) % n]
        G.add_edge(
            u,
            v,
            volume=len(p),
            lead_time=lead,
            deliverable=acts[int(values[best])],
            lead_time_n=len(p),
            lead_time_error=err,
            deliverable_share=float(freq[best]) / len(p),
        )


def _iso(ns: int, aware: bool) -> str:
    import pandas as pd

    stamp = pd.Timestamp(ns, unit="ns")
    return stamp.isoformat() + ("Z" if aware else "")
