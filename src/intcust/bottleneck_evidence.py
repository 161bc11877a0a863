"""What the fragility metrics and the timing engine say about every stakeholder.

`bottlenecks` ranks stakeholders from this evidence: single points of failure,
sole suppliers, bus factors, queueing load and key players (`Evidence`), and
the schedule's float and how far each paying customer moves when a
stakeholder is late (`Cascade`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from intcust.graph.compiled import CompiledOrg
from intcust.graph.joins import TIE_TOL
from intcust.graph.schema import KINDS
from intcust.metrics.fragility.cutsets import bus_factor
from intcust.metrics.fragility.failure import single_points_of_failure
from intcust.metrics.fragility.keyplayers import key_players
from intcust.metrics.fragility.queueing import utilisation, wait_unit
from intcust.results import NodeTable
from intcust.sim.cascade import sensitivity
from intcust.sim.cpm import schedule

__all__ = ["FRAGMENTATION_LIMIT", "KEY_PLAYER_LIMIT", "Cascade", "Evidence"]

#: Largest organisation for which key players are searched by fragmentation;
#: larger ones use reach (see `key_players` for the cost).
FRAGMENTATION_LIMIT = 400
#: Largest organisation for which the key-player search runs at all.
KEY_PLAYER_LIMIT = 20_000


@dataclass(frozen=True)
class Evidence:
    """What the fragility metrics say about every stakeholder."""

    spof: NodeTable
    demand_total: float
    util: NodeTable
    wait_unit: str
    sole: dict[int, dict[Hashable, list[Hashable]]]
    key_players: dict[Hashable, str]  #: node -> the objective it was found by
    in_cut: dict[Hashable, list[Hashable]]  #: node -> customers whose smallest cut it is in
    cut_size: dict[Hashable, int]

    @classmethod
    def gather(cls, C: CompiledOrg, n_key_players: int, max_size: int) -> Evidence:
        """The evidence on `C`, with `n_key_players` searched and cut sets up to `max_size`."""
        n = C.n_nodes
        kp: dict[Hashable, str] = {}
        if n_key_players and 1 < n <= KEY_PLAYER_LIMIT:
            objective = "fragmentation" if n <= FRAGMENTATION_LIMIT else "reach"
            found = key_players(C, min(n_key_players, n - 1), objective=objective)
            kp = {node: objective for node in found if found[node]["gain"] > 0}
        in_cut: dict[Hashable, list[Hashable]] = {}
        cut_size: dict[Hashable, int] = {}
        for customer, row in bus_factor(C, max_size=max_size, max_sets=100).items():
            if row["bus_factor"] is not None and row["bus_factor"] >= 2:
                for member in row["set"]:
                    in_cut.setdefault(member, []).append(customer)
                    cut_size[member] = min(cut_size.get(member, n), int(row["bus_factor"]))
        return cls(
            spof=single_points_of_failure(C),
            demand_total=float(sum(_external_demand(C))),
            util=utilisation(C),
            wait_unit=wait_unit(C),
            sole=_sole_suppliers(C),
            key_players=kp,
            in_cut=in_cut,
            cut_size=cut_size,
        )


@dataclass(frozen=True)
class Cascade:
    """What the timing engine says about every stakeholder (see `Cascade.gather`)."""

    total_float: dict[Hashable, float]
    critical: frozenset[Hashable]
    makespan: dict[Hashable, float]  #: how far the last customer moves per unit of delay
    moves: dict[Hashable, tuple[tuple[Hashable, float], ...]]  #: customers that move, per node
    time_unit: str

    @classmethod
    def gather(cls, C: CompiledOrg) -> Cascade:
        """Float, critical nodes and how far each customer moves, from the timing engine."""
        sched = schedule(C)
        sens = sensitivity(C, amount=1.0)
        customers = [(c, str(c)) for c in C.names(C.external) if str(c) in sens.columns]
        # a move within the tie tolerance is the engine's rounding, not a move
        moves = {
            node: tuple((c, float(row[col])) for c, col in customers if row[col] > TIE_TOL)
            for node, row in sens.items()
        }
        return cls(
            total_float=dict(sched.total_float),
            critical=frozenset(sched.critical_nodes),
            makespan=dict(sens.column("makespan")),
            moves=moves,
            time_unit=str(C.graph.get("time_unit") or "period"),
        )


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


def _external_demand(C: CompiledOrg) -> list[float]:
    """Blocking volume received by each external customer."""
    ext = C.kind == KINDS.index("external")
    into = C.blocking & ext[C.dst]
    return [
        float(x)
        for x in np.bincount(C.dst[into], weights=C.volume[into], minlength=C.n_nodes)[ext]
    ]
