"""`bottlenecks`: one ranked report of where an organisation will break, and why.

It combines the single points of failure, the sole suppliers of each
deliverable, the bus factor of every external customer, queueing load, key
players and, from the timing engine, the critical stakeholders and how far
each external customer moves when a stakeholder is late. Every row says why
in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust._params import check_graph, check_int, parameter_error, person_level, renamed
from intcust.bottleneck_evidence import Cascade, Evidence
from intcust.graph.compiled import CompiledOrg, as_compiled
from intcust.graph.joins import TIE_TOL
from intcust.graph.schema import KINDS
from intcust.results import html_table, json_ready

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["Bottleneck", "BottleneckReport", "bottlenecks"]


COLUMNS = (
    "score",
    "why",
    "customers_at_stake",
    "volume_at_stake",
    "utilisation",
    "queue",
    "bus_factor_with",
    "key_player",
    "total_float",
    "sensitivity",
)


@dataclass(frozen=True)
class Bottleneck:
    """One row of a `BottleneckReport`: a stakeholder, its score and the reasons."""

    node: Hashable
    score: float  #: the sum of the weights of its reasons (see `bottlenecks`)
    reasons: tuple[str, ...]  #: each reason in plain words, the local facts first
    customers_at_stake: tuple[Hashable, ...]  #: external customers it alone gates
    volume_at_stake: float  #: their blocking demand
    sole_supplier_of: tuple[tuple[Hashable, tuple[Hashable, ...]], ...]
    """(deliverable, customers) it is the only supplier of"""
    utilisation: float | None  #: ρ, None when the capacity is unknown
    queue: str  #: "ok", "overloaded" or "capacity unknown"
    bus_factor_with: tuple[Hashable, ...]  #: customers whose smallest cut set it is in
    key_player: bool
    total_float: float | None  #: None without the cascade view
    sensitivity: float | None  #: makespan shift per unit of delay; None without it
    moves: tuple[tuple[Hashable, float], ...] = ()
    """(external customer, how far it moves) per unit of delay, for those that move"""

    @property
    def why(self) -> str:
        """The reasons as one sentence."""
        return "; ".join(self.reasons)

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON: every field, ``why``, and the pairs as small objects."""
        d = asdict(self)
        d["why"] = self.why
        d["sole_supplier_of"] = [
            {"deliverable": dl, "customers": cs} for dl, cs in self.sole_supplier_of
        ]
        d["moves"] = [{"customer": c, "by": x} for c, x in self.moves]
        data: dict[str, Any] = json_ready(d)
        return data


@dataclass(frozen=True)
class BottleneckReport(Mapping[Hashable, Bottleneck]):
    """The ranked bottlenecks of an organisation (see `bottlenecks`).

    A read-only mapping stakeholder -> `Bottleneck`, best first, as a
    `NodeTable` is: iterating gives the stakeholders in rank order,
    ``report[node]`` its row, ``report.rows`` the rows in order.
    """

    rows: tuple[Bottleneck, ...]
    name: str
    cascade: bool  #: whether the schedule's float and sensitivity were included

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Hashable]:
        return (row.node for row in self.rows)

    def __getitem__(self, node: Hashable) -> Bottleneck:
        for row in self.rows:
            if row.node == node:
                return row
        raise KeyError(node)

    @property
    def nodes(self) -> list[Hashable]:
        """The stakeholders in rank order."""
        return [row.node for row in self.rows]

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON: ``{"name", "cascade", "rows": [row.to_dict(), ...]}``, best first."""
        return {
            "name": self.name,
            "cascade": self.cascade,
            "rows": [row.to_dict() for row in self.rows],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per stakeholder in rank order (needs pandas)."""
        import pandas as pd

        data = {r.node: {c: _cell(getattr(r, c)) for c in COLUMNS} for r in self.rows}
        frame = pd.DataFrame.from_dict(data, orient="index", columns=list(COLUMNS))
        frame.index.name = "node"
        return frame

    def __repr__(self) -> str:
        shown = ", ".join(f"{r.node!r} {r.score:.2f}" for r in self.rows[:3])
        more = f", … {len(self) - 3} more" if len(self) > 3 else ""
        text = f"BottleneckReport({self.name!r}, {len(self)} stakeholders: {shown}{more})"
        return text if len(text) <= 200 else text[:198] + "…)"

    def _repr_html_(self) -> str:
        rows = [[i, r.node, r.score, r.why] for i, r in enumerate(self.rows, 1)]
        return html_table(
            rows, ["rank", "node", "score", "why"], caption=f"Bottlenecks of {self.name}"
        )

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw the ranked bottlenecks: `intcust.plot.plot_bottlenecks` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> report = ic.bottlenecks(ic.datasets.hotel())
        >>> report.plot(top=3).get_yticklabels()[0].get_text() == report.nodes[0]
        True
        """
        from intcust.plot import plot_bottlenecks

        return plot_bottlenecks(self, ax=ax, **kw)


def _cell(value: Any) -> Any:
    return ", ".join(str(v) for v in value) if isinstance(value, tuple) else value


def _names(items: list[Hashable] | tuple[Hashable, ...], limit: int = 4) -> str:
    """'a', 'a and b', 'a, b and c', 'a, b, c and 3 more' (sorted)."""
    return _join(sorted(str(x) for x in items), limit)


def _join(words: list[str], limit: int = 4) -> str:
    """'a', 'a and b', 'a, b and c', 'a, b, c and 3 more' (in the given order)."""
    if len(words) > limit:
        words = [*words[: limit - 1], f"{len(words) - limit + 1} more"]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _number(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def bottlenecks(
    G: nx.DiGraph | CompiledOrg,
    *,
    top: int | None = None,
    key_players: int = 3,
    max_size: int = 2,
    cascade: bool = True,
    level: str = "person",
    k: int | None = None,
) -> BottleneckReport:
    """Where the organisation will break, ranked, each with the reason in plain words.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation, or its compiled form.
    top : int, optional
        Keep only the `top` highest-ranked stakeholders.
    key_players : int, optional
        How many key players to search for (0 skips the search).
    max_size : int, optional
        Largest set size the bus-factor search tries exactly (within 100
        branches per customer; see `bus_factor`).
    cascade : bool, optional
        Include the schedule's critical path and how far each external
        customer moves when a stakeholder is late (`intcust.sim.schedule`
        and `intcust.sim.sensitivity`); turn off to save their time.
    level : {"person"}, optional
        Only ``"person"``: the failure rule, queues and timing follow each
        person's deliverables and times, which the unit level does not keep.
    k : int, optional
        The old name of `key_players` (deprecated).

    Returns
    -------
    BottleneckReport
        One `Bottleneck` per stakeholder with at least one reason, best first.

    Raises
    ------
    SchemaError
        If `G` breaks the schema.
    ParameterError
        If `top`, `key_players` or `max_size` is invalid, or ``level="unit"``.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> G.nodes["sender"]["capacity"] = 6.0
    >>> report = ic.bottlenecks(G, top=2)
    >>> report.nodes
    ['sender', 'campaign']
    >>> print(report["sender"].why)
    sole supplier of 'scheduled send' to campaign; alone cuts off customers (volume 20,000 at stake); utilisation 1.33 (overloaded); ...; a 1-day delay here moves customers by 1 day; ...

    Notes
    -----
    The score adds one weight per reason, so that several moderate problems
    can outrank one: a single point of failure counts its share of all
    external demand (0 to 1); an overloaded queue 1, a busy one (ρ >= 0.8)
    0.5; being the only supplier of a deliverable 0.1 per customer, at most
    0.5; being in the smallest cut set of an external customer 1 / (size of
    that set); a key player (fragmentation, or reach for organisations larger
    than `FRAGMENTATION_LIMIT`) 0.3; on the critical path (its delay moves the
    makespan, or zero float) 0.2; and the delay sensitivity, the shift of the
    latest external customer per unit of delay, up to 0.5, whose reason names
    every external customer that moves and by how much. External customers
    themselves are not ranked. The reasons and columns are there so that a
    reader can weigh them differently.
    """
    func = "bottlenecks"
    if k is not None:
        renamed("k", "key_players", func=func)
        key_players = k
    if top is not None:
        top = check_int(top, func=func, param="top", minimum=0)
    key_players = check_int(key_players, func=func, param="key_players", minimum=0)
    max_size = check_int(max_size, func=func, param="max_size", minimum=1)
    if not isinstance(cascade, bool):
        raise parameter_error(func, "cascade", "True or False", cascade)
    person_level(level, func=func, why="its evidence follows each person's deliverables and times")
    check_graph(G, func=func, compiled=True)
    C = as_compiled(G, func=func)
    facts = Evidence.gather(C, key_players, max_size)
    view = Cascade.gather(C) if cascade else None
    external = C.kind == KINDS.index("external")
    rows = []
    for i, node in enumerate(C.nodes):
        if not external[i]:
            row = _row(C, i, node, facts, view)
            if row is not None:
                rows.append(row)
    order = sorted(range(len(rows)), key=lambda j: (-rows[j].score, j))
    ranked = tuple(rows[j] for j in order)
    if top is not None:
        ranked = ranked[:top]
    return BottleneckReport(
        rows=ranked, name=str(C.graph.get("name") or "organisation"), cascade=view is not None
    )


def _row(
    C: CompiledOrg, i: int, node: Hashable, facts: Evidence, view: Cascade | None
) -> Bottleneck | None:
    """The row of stakeholder `node` (id `i`), or None when nothing marks it."""
    reasons: list[tuple[float, str]] = []
    sole_of = facts.sole.get(i, {})
    if sole_of:
        n_sole = sum(len(v) for v in sole_of.values())
        parts = [
            f"sole supplier of {d!r} to {_names(cs)}"
            if d is not None
            else f"sole supplier to {_names(cs)}"
            for d, cs in sole_of.items()
        ]
        reasons.append((min(0.1 * n_sole, 0.5), "; ".join(parts)))
    at_stake = facts.spof[node]["customers"] if node in facts.spof else ()
    volume = float(facts.spof[node]["volume"]) if node in facts.spof else 0.0
    if at_stake:
        total = facts.demand_total
        share = volume / total if total > 0 else 1.0 / len(at_stake)
        text = f"alone cuts off {_names(at_stake)} (volume {_number(volume)} at stake)"
        reasons.append((max(share, 0.05), text))
    u = facts.util[node]
    if u["state"] == "overloaded":
        reasons.append((1.0, f"utilisation {u['utilisation']:.2f} (overloaded)"))
    elif u["utilisation"] is not None and u["utilisation"] >= 0.8:
        wait = f"waits {u['wait']:.2g} {facts.wait_unit}"
        reasons.append((0.5, f"utilisation {u['utilisation']:.2f} (busy; {wait})"))
    if node in facts.in_cut:
        size = facts.cut_size[node]
        text = f"one of {size} whose joint absence cuts off {_names(facts.in_cut[node])}"
        reasons.append((1.0 / size, text))
    if node in facts.key_players:
        what = (
            "most fragments the supply network if absent"
            if facts.key_players[node] == "fragmentation"
            else "reaches the most stakeholders"
        )
        reasons.append((0.3, f"key player: {what}"))
    tf: float | None = None
    sens: float | None = None
    moves: tuple[tuple[Hashable, float], ...] = ()
    if view is not None:
        tf, sens, moves = _timing_reasons(view, node, reasons)
    if not reasons:
        return None
    return Bottleneck(
        node=node,
        score=round(sum(w for w, _ in reasons), 6),
        reasons=tuple(text for _, text in reasons),
        customers_at_stake=tuple(at_stake),
        volume_at_stake=volume,
        sole_supplier_of=tuple((d, tuple(cs)) for d, cs in sole_of.items()),
        utilisation=u["utilisation"],
        queue=str(u["state"]),
        bus_factor_with=tuple(facts.in_cut.get(node, ())),
        key_player=node in facts.key_players,
        total_float=tf,
        sensitivity=sens,
        moves=moves,
    )


def _timing_reasons(
    view: Cascade, node: Hashable, reasons: list[tuple[float, str]]
) -> tuple[float | None, float | None, tuple[tuple[Hashable, float], ...]]:
    """Add the timing reasons of `node`; return its float, makespan shift and moves."""
    tf = view.total_float.get(node)
    tf = None if tf is None or math.isinf(tf) else float(tf)
    sens = view.makespan.get(node)
    moves = view.moves.get(node, ())
    if moves:
        unit = view.time_unit
        shifts = [f"{c} by {_amount(x, unit)}" for c, x in moves]
        text = f"a 1-{unit} delay here moves " + _join(shifts)
        reasons.append((min(0.5 * float(sens or 0.0), 0.5), text))
    if node in view.critical or (tf is not None and abs(tf) <= TIE_TOL):
        if tf is None:
            shown = ""
        elif abs(tf) <= TIE_TOL:
            shown = " (zero float)"
        else:
            shown = f" (float {_amount(tf, view.time_unit)} to the due date)"
        reasons.append((0.2, f"on the critical path{shown}"))
    return tf, sens, moves


def _amount(x: float, unit: str) -> str:
    """'1 day', '0.5 days'."""
    return f"{x:.3g} {unit}" + ("" if f"{x:.3g}" == "1" or unit.endswith("s") else "s")
