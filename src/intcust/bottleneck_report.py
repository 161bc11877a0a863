"""`bottlenecks`: one ranked report of where an organisation will break, and why.

It combines the single points of failure, the sole suppliers of each
deliverable, the bus factor of every external customer, queueing load, key
players and, where `intcust.sim` provides them, the zero-float critical
stakeholders and the delay sensitivity of the schedule. Every row says why
in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from intcust._params import check_int
from intcust.graph.compiled import CompiledOrg, compile
from intcust.graph.schema import KINDS
from intcust.metrics.fragility.cutsets import bus_factor
from intcust.metrics.fragility.failure import single_points_of_failure
from intcust.metrics.fragility.keyplayers import key_players
from intcust.metrics.fragility.queueing import utilisation
from intcust.results import html_table

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["Bottleneck", "BottleneckReport", "bottlenecks"]

#: Largest organisation for which key players are searched by fragmentation;
#: larger ones use reach (see `key_players` for the cost).
FRAGMENTATION_LIMIT = 400
#: Largest organisation for which the key-player search runs at all.
KEY_PLAYER_LIMIT = 20_000

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

    @property
    def why(self) -> str:
        """The reasons as one sentence."""
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class BottleneckReport:
    """The ranked bottlenecks of an organisation (see `bottlenecks`).

    Iterating gives the rows, best first; ``report[node]`` finds one.
    """

    rows: tuple[Bottleneck, ...]
    name: str
    cascade: bool  #: whether the schedule's float and sensitivity were included

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Bottleneck]:
        return iter(self.rows)

    def __getitem__(self, node: Hashable) -> Bottleneck:
        for row in self.rows:
            if row.node == node:
                return row
        raise KeyError(node)

    def __contains__(self, node: object) -> bool:
        return any(row.node == node for row in self.rows)

    @property
    def nodes(self) -> list[Hashable]:
        """The stakeholders in rank order."""
        return [row.node for row in self.rows]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"name", "cascade", "rows": [{"node", "score", "why", ...}]}``."""
        rows = []
        for row in self.rows:
            d = asdict(row)
            d["why"] = row.why
            d["reasons"] = list(row.reasons)
            d["customers_at_stake"] = list(row.customers_at_stake)
            d["bus_factor_with"] = list(row.bus_factor_with)
            d["sole_supplier_of"] = [
                {"deliverable": dl, "customers": list(cs)} for dl, cs in row.sole_supplier_of
            ]
            rows.append(d)
        return {"name": self.name, "cascade": self.cascade, "rows": rows}

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
        >>> report.plot(k=3).get_yticklabels()[0].get_text() == report.nodes[0]
        True
        """
        from intcust.plot import plot_bottlenecks

        return plot_bottlenecks(self, ax=ax, **kw)


def _cell(value: Any) -> Any:
    return ", ".join(str(v) for v in value) if isinstance(value, tuple) else value


def _names(items: list[Hashable] | tuple[Hashable, ...], limit: int = 4) -> str:
    """'a', 'a and b', 'a, b and c', 'a, b, c and 3 more'."""
    words = sorted(str(x) for x in items)
    if len(words) > limit:
        words = [*words[: limit - 1], f"{len(words) - limit + 1} more"]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _number(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def _sole_suppliers(C: CompiledOrg) -> dict[int, dict[Hashable, list[Hashable]]]:
    """node -> {deliverable: customers} where it is the only blocking supplier."""
    b = np.flatnonzero(C.blocking)
    size = np.bincount(C.join[b], minlength=int(C.join.max(initial=-1)) + 1)
    out: dict[int, dict[Hashable, list[Hashable]]] = {}
    for e in b[size[C.join[b]] == 1]:
        d = int(C.deliverable[e])
        label = C.deliverables[d] if d >= 0 else None
        out.setdefault(int(C.src[e]), {}).setdefault(label, []).append(C.nodes[C.dst[e]])
    return out


@dataclass(frozen=True)
class _Cascade:
    total_float: dict[Hashable, float]
    critical: frozenset[Hashable]
    shift: dict[Hashable, float] | None
    time_unit: str


def _cascade(G: nx.DiGraph, C: CompiledOrg) -> _Cascade | None:
    """Float, critical nodes and delay sensitivity from `intcust.sim`, when it has them."""
    from intcust import sim

    sched = getattr(sim, "schedule", None)
    if sched is None:
        return None
    result = sched(C)
    sens_fn = getattr(sim, "sensitivity", None)
    shift: dict[Hashable, float] | None = None
    if sens_fn is not None:
        sens = sens_fn(G, amount=1.0)
        if "makespan" in getattr(sens, "columns", ()):
            shift = dict(sens.column("makespan"))
        else:
            shift = {n: float(v) for n, v in sens.items()}
    return _Cascade(
        total_float=dict(result.total_float),
        critical=frozenset(getattr(result, "critical_nodes", ())),
        shift=shift,
        time_unit=str(G.graph.get("time_unit") or "period"),
    )


def bottlenecks(
    G: nx.DiGraph,
    *,
    top: int | None = None,
    k: int = 3,
    max_size: int = 2,
    cascade: bool = True,
) -> BottleneckReport:
    """Where the organisation will break, ranked, each with the reason in plain words.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    top : int, optional
        Keep only the `top` highest-ranked stakeholders.
    k : int, optional
        Size of the key-player set searched (0 to skip).
    max_size : int, optional
        Largest set size the bus-factor search tries exactly (within 100
        branches per customer; see `bus_factor`).
    cascade : bool, optional
        Include the schedule's critical path and delay sensitivity (from
        `intcust.sim`, when available); turn off to save their time.

    Returns
    -------
    BottleneckReport
        One `Bottleneck` per stakeholder with at least one reason, best first.

    Raises
    ------
    SchemaError
        If `G` breaks the schema.
    ParameterError
        If `top`, `k` or `max_size` is invalid.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> G.nodes["sender"]["capacity"] = 6.0
    >>> report = ic.bottlenecks(G, top=2)
    >>> report.nodes
    ['sender', 'campaign']
    >>> print(report["sender"].why)
    sole supplier of 'scheduled send' to campaign; alone cuts off customers (volume 20,000 at stake); utilisation 1.33 (overloaded); ...

    Notes
    -----
    The score adds one weight per reason, so that several moderate problems
    can outrank one: a single point of failure counts its share of all
    external demand (0 to 1); an overloaded queue 1, a busy one (ρ >= 0.8)
    0.5; being the only supplier of a deliverable 0.1 per customer, at most
    0.5; being in the smallest cut set of an external customer 1 / (size of
    that set); a key player (fragmentation, or reach for organisations larger
    than `FRAGMENTATION_LIMIT`) 0.3; on the critical path (its delay moves the makespan, or zero float) 0.2;
    and the delay sensitivity, the shift of the latest external customer per
    unit of delay, up to 0.5. External customers themselves are not ranked.
    The reasons and columns are there so that a reader can weigh them
    differently.
    """
    func = "bottlenecks"
    if top is not None:
        top = check_int(top, func=func, param="top", minimum=0)
    k = check_int(k, func=func, param="k", minimum=0)
    max_size = check_int(max_size, func=func, param="max_size", minimum=1)
    C = compile(G)
    external = C.kind == KINDS.index("external")
    spof = single_points_of_failure(C)
    demand_total = float(sum(_external_demand(C)))
    bus = bus_factor(C, max_size=max_size, max_sets=100)
    util = utilisation(C)
    sole = _sole_suppliers(C)
    kp_nodes: dict[Hashable, str] = {}
    n = C.n_nodes
    if k and n > 1 and n <= KEY_PLAYER_LIMIT:
        objective = "fragmentation" if n <= FRAGMENTATION_LIMIT else "reach"
        kp = key_players(C, min(k, n - 1), objective=objective)
        kp_nodes = {node: objective for node in kp if kp[node]["gain"] > 0}
    view = _cascade(G, C) if cascade else None
    in_cut: dict[Hashable, list[Hashable]] = {}
    cut_size: dict[Hashable, int] = {}
    for customer, row in bus.items():
        if row["bus_factor"] is not None and row["bus_factor"] >= 2:
            for member in row["set"]:
                in_cut.setdefault(member, []).append(customer)
                cut_size[member] = min(cut_size.get(member, n), int(row["bus_factor"]))
    rows = []
    for i, node in enumerate(C.nodes):
        if external[i]:
            continue
        reasons: list[tuple[float, str]] = []
        sole_of = sole.get(i, {})
        if sole_of:
            n_sole = sum(len(v) for v in sole_of.values())
            parts = [
                (
                    f"sole supplier of {d!r} to {_names(cs)}"
                    if d is not None
                    else f"sole supplier to {_names(cs)}"
                )
                for d, cs in sole_of.items()
            ]
            reasons.append((min(0.1 * n_sole, 0.5), "; ".join(parts)))
        at_stake = spof[node]["customers"] if node in spof else ()
        volume = float(spof[node]["volume"]) if node in spof else 0.0
        if at_stake:
            share = volume / demand_total if demand_total > 0 else 1.0 / max(len(at_stake), 1)
            reasons.append(
                (
                    max(share, 0.05),
                    f"alone cuts off {_names(at_stake)} (volume {_number(volume)} at stake)",
                )
            )
        u = util[node]
        if u["state"] == "overloaded":
            reasons.append((1.0, f"utilisation {u['utilisation']:.2f} (overloaded)"))
        elif u["utilisation"] is not None and u["utilisation"] >= 0.8:
            reasons.append(
                (0.5, f"utilisation {u['utilisation']:.2f} (busy; waits {u['wait']:.2g} periods)")
            )
        if node in in_cut:
            size = cut_size[node]
            reasons.append(
                (1.0 / size, f"one of {size} whose joint absence cuts off {_names(in_cut[node])}")
            )
        if node in kp_nodes:
            what = (
                "most fragments the supply network if absent"
                if kp_nodes[node] == "fragmentation"
                else "reaches the most stakeholders"
            )
            reasons.append((0.3, f"key player: {what}"))
        tf: float | None = None
        sens: float | None = None
        if view is not None:
            tf = view.total_float.get(node)
            tf = None if tf is None or math.isinf(tf) else float(tf)
            if view.shift is not None and node in view.shift:
                sens = float(view.shift[node])
                if sens > 0:
                    unit = view.time_unit
                    reasons.append(
                        (
                            min(0.5 * sens, 0.5),
                            f"a 1-{unit} delay here delays the last customer by "
                            f"{sens:.3g} {unit}(s)",
                        )
                    )
            if node in view.critical or (tf is not None and abs(tf) <= 1e-9):
                if tf is None:
                    shown = ""
                elif abs(tf) <= 1e-9:
                    shown = " (zero float)"
                else:
                    shown = f" (float {tf:.3g} {view.time_unit}(s) to the due date)"
                reasons.append((0.2, f"on the critical path{shown}"))
        if not reasons:
            continue
        rows.append(
            Bottleneck(
                node=node,
                score=round(sum(w for w, _ in reasons), 6),
                reasons=tuple(text for _, text in reasons),
                customers_at_stake=tuple(at_stake),
                volume_at_stake=volume,
                sole_supplier_of=tuple((d, tuple(cs)) for d, cs in sole_of.items()),
                utilisation=u["utilisation"],
                queue=str(u["state"]),
                bus_factor_with=tuple(in_cut.get(node, ())),
                key_player=node in kp_nodes,
                total_float=tf,
                sensitivity=sens,
            )
        )
    order = sorted(range(len(rows)), key=lambda j: (-rows[j].score, j))
    ranked = tuple(rows[j] for j in order)
    if top is not None:
        ranked = ranked[:top]
    return BottleneckReport(
        rows=ranked, name=str(G.graph.get("name") or "organisation"), cascade=view is not None
    )


def _external_demand(C: CompiledOrg) -> list[float]:
    """Blocking volume received by each external customer."""
    ext = C.kind == KINDS.index("external")
    into = C.blocking & ext[C.dst]
    return [
        float(x)
        for x in np.bincount(C.dst[into], weights=C.volume[into], minlength=C.n_nodes)[ext]
    ]
