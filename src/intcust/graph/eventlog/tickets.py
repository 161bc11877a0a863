"""Organisations read from service-desk tickets: who resolves whose requests, how fast.

A ticket export of an IT or HR service desk has one row per request: who
asked, which team (and agent) handled it, when it was opened and resolved,
often a category, a satisfaction rating and a resolution target. Each ticket
is one delivery of a service from the handling team (or agent) to the
requester (or the requester's unit); `from_tickets` gathers them into an
organisation whose services carry the observed volume, resolution times,
ratings and targets.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import check_choice, check_int, check_number, parameter_error
from intcust.errors import ParameterError, ReadError
from intcust.graph.eventlog.mining import TIME_UNITS, _iso, _units
from intcust.graph.eventlog.rework import _mark_rework
from intcust.graph.eventlog.table import _NAT, _load, _present, _times
from intcust.graph.eventlog.ticket_services import add_services

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["from_tickets"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_FUNC = "from_tickets"


def from_tickets(
    log: pd.DataFrame | str | os.PathLike[str],
    *,
    requester: str = "requester",
    team: str = "team",
    opened: str = "opened",
    resolved: str = "resolved",
    agent: str | None = None,
    requester_unit: str | None = None,
    category: str | None = None,
    satisfaction: str | None = None,
    sla: str | float | Mapping[Hashable, float] | None = None,
    level: str = "person",
    scale: tuple[float, float] = (1.0, 5.0),
    capacity: float | Mapping[Hashable, float] | None = None,
    missing: str = "raise",
    time_unit: str = "day",
    period: float | None = None,
    max_samples: int = 10_000,
    progress: Callable[[int, int], None] | None = None,
) -> nx.DiGraph:
    """The organisation of an internal service desk, from its tickets.

    Parameters
    ----------
    log : pandas.DataFrame or path
        One row per ticket: a DataFrame or a ``.csv`` / ``.csv.gz`` file.
    requester, team, opened, resolved : str, optional
        Columns: who asked, the team that handled the ticket, and when it
        was opened and resolved (ISO 8601; an empty ``resolved`` is an open
        ticket).
    agent : str, optional
        Column of the agent who handled the ticket. At ``level="person"``
        the agents are the suppliers (each with its most frequent team as
        ``unit``); at ``level="unit"`` each team's ``servers`` is the number
        of its agents.
    requester_unit : str, optional
        Column of the requester's unit: each requester's ``unit`` (its most
        frequent), and the customers at ``level="unit"``.
    category : str, optional
        Column of the ticket's category: the service's ``deliverable``, so a
        team gives a requester one service per category. Without it the
        deliverable is the team's name.
    satisfaction : str, optional
        Column of ratings on `scale`; blanks are unrated.
    sla : str, number or mapping, optional
        The resolution target: a column (per ticket; a service takes its
        most frequent target, ties to the smallest), one number for every
        service, or a mapping from category to number (needs `category`).
        In `time_unit`.
    level : {"person", "unit"}, optional
        ``"person"``: agents (or teams, without `agent`) serve requesters;
        ``"unit"``: teams serve the requesters' units (or the requesters,
        without `requester_unit`).
    scale : (low, high), optional
        The rating range, mapped linearly onto [0, 1].
    capacity : number or mapping, optional
        Tickets one server of a supplier resolves per period: for every
        supplier, or per supplier name. Needed by `utilisation`.
    missing : {"raise", "drop"}, optional
        A ticket lacking its requester, team, opening time (or agent or
        category, when those columns are named) raises `ReadError`
        (``"raise"``) or is dropped and counted (``"drop"``).
    time_unit : {"second", "minute", "hour", "day", "week"}, optional
        The unit of resolution times, targets and `period`.
    period : float, optional
        The period that ``volume`` counts tickets per (e.g. 7 days with
        ``time_unit="day"``), over the window from the first to the last
        opening. By default the whole window is one period.
    max_samples : int, optional
        Resolution times beyond this many keep a quantile sketch (see
        `intcust.graph.eventlog.mining.sketch`).
    progress : callable, optional
        Called as ``progress(done, total)`` with bytes read from a file.

    Returns
    -------
    networkx.DiGraph
        Suppliers (kind ``"person"`` for agents, ``"team"`` for teams) and
        customers, each with ``tickets`` (handled or raised). Each service
        ``supplier -> customer`` of one deliverable has ``volume`` (tickets
        per period, open ones included: they are demand), ``lead_time``
        (`Empirical` of the resolution times of the resolved tickets),
        ``lead_time_n``, ``lead_time_error``, ``open_tickets``,
        ``satisfaction`` and ``satisfaction_n`` where rated, and ``sla``
        where a target is known; several deliverables to one customer form a
        ``services`` list. A service whose tickets are all open has no
        lead time and no ``sla``. Services are blocking; those against the
        main direction (units serving each other) get ``lag=1``.
        ``G.graph["tickets"]`` keeps the counts and the window.

    Raises
    ------
    ReadError
        If a column is absent, a required value is missing (with
        ``missing="raise"``), a time cannot be parsed, the two time columns
        mix time zones, a ticket is resolved before it was opened, or a
        rating or target is not a number in range.
    ParameterError
        If an option is invalid.

    Notes
    -----
    A ticket's resolution time is ``resolved - opened``. Tickets still open
    are counted in ``volume`` and ``open_tickets`` but give no resolution
    time (they are censored); ``G.graph["tickets"]["open"]`` totals them.
    The window runs from the first to the last opening; with `period`,
    ``volume = tickets × period / window``. Ratings are averaged per service
    after the linear map ``(r - low) / (high - low)``.

    Examples
    --------
    >>> import pandas as pd
    >>> import intcust as ic
    >>> log = pd.DataFrame({
    ...     "requester": ["ann", "ann", "bob", "bob"],
    ...     "team": ["IT", "IT", "IT", "HR"],
    ...     "opened": ["2024-03-04 09:00", "2024-03-05 09:00", "2024-03-06 09:00",
    ...                "2024-03-11 09:00"],
    ...     "resolved": ["2024-03-04 13:00", "2024-03-05 11:00", "", "2024-03-12 09:00"],
    ...     "rating": [4, 5, None, 2],
    ... })
    >>> G = ic.from_tickets(log, satisfaction="rating", sla=0.25)
    >>> sorted(G.edges(data="volume"))
    [('HR', 'bob', 1), ('IT', 'ann', 2), ('IT', 'bob', 1)]
    >>> e = G.edges["IT", "ann"]
    >>> e["lead_time"].samples, e["satisfaction"], e["sla"]
    ((0.0833..., 0.1666...), 0.875, 0.25)
    >>> G.edges["IT", "bob"]["open_tickets"], G.graph["tickets"]["open"]
    (1, 1)
    """
    import pandas as pd

    level = check_choice(level, ("person", "unit"), func=_FUNC, param="level")
    missing = check_choice(missing, ("raise", "drop"), func=_FUNC, param="missing")
    for param, column in (("requester", requester), ("team", team), ("opened", opened)):
        if not isinstance(column, str):
            raise parameter_error(_FUNC, param, "a column name (a str)", column)
    time_unit = check_choice(time_unit, list(TIME_UNITS), func=_FUNC, param="time_unit")
    max_samples = check_int(max_samples, func=_FUNC, param="max_samples", minimum=1)
    if period is not None:
        period = check_number(period, func=_FUNC, param="period", minimum=0.0, strict=True)
    lo, hi = _scale(scale)
    if isinstance(sla, Mapping) and category is None:
        raise ParameterError(
            f"The 'sla' parameter of {_FUNC} may map categories to targets only when "
            "'category' names a column; got a mapping without it."
        )
    sla_column = sla if isinstance(sla, str) else None
    named = [requester, team, opened, resolved, agent, requester_unit, category, satisfaction]
    columns = list(dict.fromkeys(c for c in [*named, sla_column] if c is not None))
    frame, places = _load(log, columns, [], progress, _FUNC, kind="ticket log")
    source = places.source
    stats: dict[str, Any] = {"source": source, "level": level, "tickets": len(frame)}
    needed = [c for c in (requester, team, opened, agent, category) if c is not None]
    keep = _present(frame, needed, np.ones(len(frame), bool), missing, places, what="ticket")
    stats["dropped"] = int(np.count_nonzero(~keep))
    frame = frame[keep]  # the index keeps each ticket's row in the log, for messages
    t_open, aware = _times(frame[opened], opened, places)
    t_done, aware_done = _times(frame[resolved], resolved, places, missing_ok=True)
    done = t_done != _NAT
    if done.any() and aware != aware_done:
        raise ReadError(
            f"{source}: columns {opened!r} and {resolved!r} mix time zones: one carries UTC "
            "offsets and the other does not"
        )
    backwards = done & (t_done < t_open)
    if backwards.any():
        first = int(np.flatnonzero(backwards)[0])
        raise ReadError(
            f"{source}: {int(backwards.sum())} ticket(s) resolved before they were opened "
            f"(first at row {first}: opened {frame[opened].iloc[first]!r}, resolved "
            f"{frame[resolved].iloc[first]!r})"
        )
    unit_ns = 1e9 * TIME_UNITS[time_unit]
    hours = np.where(done, t_done - t_open, 0).astype(np.float64) / unit_ns
    ratings = _numbers(frame, satisfaction, source, lo, hi, "rating")
    if ratings is not None:
        ratings = (ratings - lo) / (hi - lo)
    targets = _targets(frame, sla, sla_column, category, source)

    by_agent = agent is not None and level == "person"
    sup_col = agent if by_agent else team
    cus_col = requester_unit if level == "unit" and requester_unit is not None else requester
    sup_codes, sup_names = pd.factorize(frame[sup_col].to_numpy(object), sort=True)
    cus_codes, cus_names = pd.factorize(frame[cus_col].to_numpy(object), sort=True)
    deliverable = frame[category if category is not None else team].to_numpy(object)
    del_codes, del_names = pd.factorize(deliverable, sort=True)
    names: list[Hashable] = list(dict.fromkeys([*sup_names.tolist(), *cus_names.tolist()]))
    index = {name: i for i, name in enumerate(names)}
    src = np.fromiter(map(index.__getitem__, sup_names.tolist()), np.int64)[sup_codes]
    dst = np.fromiter(map(index.__getitem__, cus_names.tolist()), np.int64)[cus_codes]
    own = src == dst
    stats["self_tickets"] = int(own.sum())

    G = nx.DiGraph(name=os.path.basename(source), time_unit=time_unit)
    span = float(t_open.max() - t_open.min()) / unit_ns if len(t_open) else 0.0
    if period is not None and span <= 0:
        raise ReadError(
            f"{source}: cannot count tickets per period: they were all opened at the same time"
        )
    rate = 1.0 if period is None else period / span
    G.graph["period"] = period if period is not None else (span if span > 0 else None)
    if G.graph["period"] is None:
        del G.graph["period"]
    _nodes(G, names, src, dst, frame, team, agent, requester_unit, by_agent, level, cus_col)
    _capacity(G, capacity, set(src.tolist()), names)
    n_open = add_services(
        G,
        names,
        del_names.tolist(),
        (src, dst, del_codes.astype(np.int64)),
        ~own,
        done,
        hours,
        ratings,
        targets,
        rate,
        max_samples,
    )
    if not nx.is_directed_acyclic_graph(G):
        _mark_rework(G)
    stats.update(
        open=n_open,
        requesters=len(np.unique(frame[requester].to_numpy(object))),
        suppliers=len(sup_names),
        rated=0 if ratings is None else int(np.count_nonzero(~np.isnan(ratings))),
        start=_iso(int(t_open.min()), aware) if len(t_open) else None,
        end=_iso(int(t_open.max()), aware) if len(t_open) else None,
        span=span,
    )
    G.graph["tickets"] = stats
    return G


def _scale(scale: object) -> tuple[float, float]:
    bounds = list(scale) if isinstance(scale, tuple | list) else []
    ok = len(bounds) == 2 and all(
        isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)
        for x in bounds
    )
    if not ok or not float(bounds[0]) < float(bounds[1]):
        raise ParameterError(
            f"The 'scale' parameter of {_FUNC} must be (low, high) with low < high; got {scale!r}."
        )
    return float(bounds[0]), float(bounds[1])


def _numbers(
    frame: pd.DataFrame, column: str | None, source: str, lo: float, hi: float, what: str
) -> FloatArray | None:
    """A numeric column in [lo, hi] (NaN where blank), or a ReadError naming the row."""
    import pandas as pd

    if column is None:
        return None
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(np.float64, copy=True)
    blank = raw.isna().to_numpy(bool) | (raw.astype("string") == "").fillna(True).to_numpy(bool)
    bad = ~blank & ~((values >= lo) & (values <= hi))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ReadError(
            f"{source}: column {column!r} has {int(bad.sum())} {what}(s) that are not numbers "
            f"in [{lo:g}, {hi:g}] (first at row {first}: {raw.iloc[first]!r})"
        )
    values[blank] = np.nan
    return values


def _targets(
    frame: pd.DataFrame,
    sla: str | float | Mapping[Hashable, float] | None,
    column: str | None,
    category: str | None,
    source: str,
) -> FloatArray | None:
    """The resolution target of each ticket (NaN where none), from a column, a number or a map."""
    if sla is None:
        return None
    if column is not None:
        return _numbers(frame, column, source, 0.0, math.inf, "target")
    if isinstance(sla, Mapping):
        assert category is not None
        table = {
            k: check_number(v, func=_FUNC, param=f"sla[{k}]", minimum=0.0) for k, v in sla.items()
        }
        cats = frame[category].to_numpy(object)
        return np.fromiter((table.get(c, math.nan) for c in cats), np.float64, len(cats))
    value = check_number(sla, func=_FUNC, param="sla", minimum=0.0)
    return np.full(len(frame), value)


def _nodes(
    G: nx.DiGraph,
    names: list[Hashable],
    src: IntArray,
    dst: IntArray,
    frame: pd.DataFrame,
    team: str,
    agent: str | None,
    requester_unit: str | None,
    by_agent: bool,
    level: str,
    cus_col: str,
) -> None:
    """Suppliers and customers with their kind, unit, servers and ticket counts."""
    n = len(names)
    handled = np.bincount(src, minlength=n)
    raised = np.bincount(dst, minlength=n)
    supplier_kind = "person" if by_agent else "team"
    customer_kind = "team" if level == "unit" and cus_col == requester_unit else "person"
    for i, name in enumerate(names):
        kind = supplier_kind if handled[i] else customer_kind
        G.add_node(name, kind=kind, tickets=int(handled[i] + raised[i]))
    if by_agent:
        for i, unit in enumerate(_units(frame[team].to_numpy(object), src, n)):
            if unit is not None and handled[i]:
                G.nodes[names[i]]["unit"] = unit
    elif agent is not None:
        pairs = frame[[team, agent]].drop_duplicates()
        for name, count in pairs[team].value_counts().items():
            G.nodes[name]["servers"] = int(count)
    if requester_unit is not None and cus_col != requester_unit:
        for i, unit in enumerate(_units(frame[requester_unit].to_numpy(object), dst, n)):
            if unit is not None and raised[i] and "unit" not in G.nodes[names[i]]:
                G.nodes[names[i]]["unit"] = unit


def _capacity(
    G: nx.DiGraph,
    capacity: float | Mapping[Hashable, float] | None,
    suppliers: set[int],
    names: list[Hashable],
) -> None:
    if capacity is None:
        return
    if isinstance(capacity, Mapping):
        known = {names[i] for i in suppliers}
        for name, value in capacity.items():
            if name not in known:
                raise ParameterError(
                    f"The 'capacity' parameter of {_FUNC} must map suppliers of the tickets "
                    f"({sorted(map(str, known))[:10]}) to numbers; got the key {name!r}."
                )
            G.nodes[name]["capacity"] = check_number(
                value, func=_FUNC, param=f"capacity[{name}]", minimum=0.0, strict=True
            )
        return
    value = check_number(capacity, func=_FUNC, param="capacity", minimum=0.0, strict=True)
    for i in suppliers:
        G.nodes[names[i]]["capacity"] = value
