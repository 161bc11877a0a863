"""`MonteCarloResult`: the outcome of `monte_carlo`, scenario by scenario and node by node.

The finish time of every external customer and the makespan are kept for
every scenario, so any quantile and on-time probability can be read
afterwards; the per-node indices are aggregates computed by
`intcust.sim.montecarlo.monte_carlo`, whose docstring gives their formulas.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from intcust._params import check_int, check_number
from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.joins import TIE_TOL
from intcust.results import NodeScores, NodeTable, html_table

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["MonteCarloResult"]

_NODE_COLUMNS = ("criticality", "cruciality", "significance", "stall", "mean_finish")


def _label(q: float) -> str:
    return f"P{100 * q:g}"


@dataclass(frozen=True, eq=False, repr=False)
class MonteCarloResult:
    """The outcome of `monte_carlo`.

    The finish time of every external customer and the makespan are kept for
    every scenario (small: customers × n), so `quantile` answers any q; node
    indices are aggregates (see `monte_carlo` for their formulas).

    Attributes
    ----------
    n : int
        Number of scenarios.
    seed : int or tuple of int
        The entropy of the random stream; ``monte_carlo(G, n, seed=seed)``
        repeats the run (for a SeedSequence with a spawn key, pass that
        SeedSequence again).
    customers : tuple of node
        The external customers, in graph order.
    due : dict
        Due date of each external customer that has one.
    deadline : float or None
        The makespan deadline given.
    quantiles : tuple of float
        The quantiles reported by summaries and `to_dict`.
    makespan_samples : ndarray, shape (n,)
        The makespan of each scenario (read-only).
    customer_samples : ndarray, shape (K, n)
        The finish time of each external customer in each scenario (read-only).
    nodes : dict of str to NodeScores
        ``criticality``, ``cruciality``, ``significance``, ``stall`` and
        ``mean_finish``, also available as attributes (at ``level="unit"``:
        ``criticality`` and ``stall``, keyed by unit).
    by_customer : dict of str to NodeTable
        ``criticality`` and ``stall`` per target: one column per external
        customer (named ``str(customer)``) and ``"makespan"``; also
        available as ``criticality_by_customer`` and ``stall_by_customer``.
    level : {"person", "unit"}
        What the rows of the node indices are.
    tolerance : float
        The relative tie tolerance of the run (it follows the dtype): a
        finish counts as on time up to it, as in `schedule`.
    """

    n: int
    seed: int | tuple[int, ...]
    customers: tuple[Hashable, ...]
    due: dict[Hashable, float]
    deadline: float | None
    quantiles: tuple[float, ...]
    makespan_samples: np.ndarray[Any, np.dtype[np.float64]]
    customer_samples: np.ndarray[Any, np.dtype[np.float64]]
    nodes: dict[str, NodeScores] = field(default_factory=dict)
    by_customer: dict[str, NodeTable] = field(default_factory=dict)
    level: str = "person"
    tolerance: float = TIE_TOL

    def __post_init__(self) -> None:
        self.makespan_samples.setflags(write=False)
        self.customer_samples.setflags(write=False)

    def _index(self, name: str) -> NodeScores:
        if name not in self.nodes:
            if self.level != "person":
                raise ParameterError(
                    f"{name} is defined per person; this Monte Carlo result is at level "
                    f"{self.level!r} (run monte_carlo with level='person')."
                )
            raise ParameterError(
                f"{name} needs the exact total float of every node in every scenario, the "
                "costliest index; run monte_carlo with significance=True."
            )
        return self.nodes[name]

    @property
    def criticality(self) -> NodeScores:
        """Criticality index: the share of scenarios in which a small delay of the
        node's work (at ``level="unit"``: of every member's) moves the makespan."""
        return self._index("criticality")

    @property
    def cruciality(self) -> NodeScores:
        """Cruciality index: corr(work, makespan) per node."""
        return self._index("cruciality")

    @property
    def significance(self) -> NodeScores:
        """Significance index (Williams 1992) per node."""
        return self._index("significance")

    @property
    def stall(self) -> NodeScores:
        """Stall share: E[work · 1{critical}] / E[makespan] per node (per unit: summed
        over its members)."""
        return self._index("stall")

    @property
    def mean_finish(self) -> NodeScores:
        """Mean finish time per node."""
        return self._index("mean_finish")

    @property
    def criticality_by_customer(self) -> NodeTable:
        """Criticality per target: one column per external customer, and ``"makespan"``."""
        return self.by_customer["criticality"]

    @property
    def stall_by_customer(self) -> NodeTable:
        """Stall share per target: ``E[work · 1{critical for t}] / E[finish of t]``."""
        return self.by_customer["stall"]

    def samples(self, customer: Hashable | None = None) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Finish times of `customer` in every scenario; the makespan when None.

        Raises
        ------
        UnknownNodeError
            If `customer` is not an external customer of the organisation.
        """
        if customer is None:
            return self.makespan_samples
        try:
            k = self.customers.index(customer)
        except ValueError:
            raise UnknownNodeError(
                f"The 'customer' parameter of quantile must name an external customer "
                f"{list(self.customers)}; got {customer!r}."
            ) from None
        row: np.ndarray[Any, np.dtype[np.float64]] = self.customer_samples[k]
        return row

    def quantile(self, q: float, customer: Hashable | None = None) -> float:
        """The `q` quantile of `customer`'s finish, or of the makespan when None.

        Parameters
        ----------
        q : float
            In [0, 1]; linear interpolation between scenarios (numpy's default).
        customer : node, optional
            An external customer.

        Raises
        ------
        ParameterError
            If `q` is outside [0, 1].
        UnknownNodeError
            If `customer` is not an external customer.
        """
        q = check_number(q, func="quantile", param="q", minimum=0.0)
        if q > 1:
            raise ParameterError(f"The 'q' parameter of quantile must be in [0, 1]; got {q!r}.")
        return float(np.quantile(self.samples(customer), q))

    @property
    def makespan_quantiles(self) -> dict[str, float]:
        """``{"P10": ..., ...}`` for the makespan."""
        return self._labelled(None)

    @property
    def finish_quantiles(self) -> dict[Hashable, dict[str, float]]:
        """customer -> ``{"P10": ..., ...}``."""
        return {c: self._labelled(c) for c in self.customers}

    def _labelled(self, customer: Hashable | None) -> dict[str, float]:
        """`quantiles` of `customer` (the makespan when None), in one pass over the samples."""
        if not self.quantiles:
            return {}
        values = np.quantile(self.samples(customer), self.quantiles)
        return {_label(q): float(v) for q, v in zip(self.quantiles, values, strict=True)}

    @property
    def mean_makespan(self) -> float:
        """The expected makespan."""
        return float(self.makespan_samples.mean())

    @property
    def p_on_time(self) -> dict[Hashable, float]:
        """customer -> probability of finishing by its due date (customers with one)."""
        return {
            c: float(np.mean(self.samples(c) <= due + self.tolerance * max(1.0, abs(due))))
            for c, due in self.due.items()
        }

    @property
    def p_deadline(self) -> float | None:
        """Probability that the makespan meets `deadline` (None without a deadline)."""
        if self.deadline is None:
            return None
        slack = self.tolerance * max(1.0, abs(self.deadline))
        return float(np.mean(self.makespan_samples <= self.deadline + slack))

    def stallers(self, k: int = 10) -> list[tuple[Hashable, float]]:
        """Who stalls the team most often: the `k` nodes with the highest stall share.

        The stall share ``E[work · 1{total float = 0}] / E[makespan]`` weighs
        how often a node is critical by how long the team then waits for its
        own work; nodes that are always critical but do no work (an external
        customer, a hand-off point) score 0.
        """
        k = check_int(k, func="stallers", param="k", minimum=0)
        return [(node, v) for node, v in self.stall.top(k) if v > 0]

    def table(self) -> NodeTable:
        """The node indices as one `NodeTable`."""
        columns = [c for c in _NODE_COLUMNS if c in self.nodes]
        rows = {node: {c: self.nodes[c][node] for c in columns} for node in self.criticality}
        return NodeTable(rows, columns=columns, name="monte carlo")

    def to_frame(self) -> pd.DataFrame:
        """One row per node with its indices (needs pandas)."""
        return self.table().to_frame()

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready values (node keys as given)."""
        return {
            "n": self.n,
            "seed": self.seed if isinstance(self.seed, int) else list(self.seed),
            "deadline": self.deadline,
            "makespan": {"mean": self.mean_makespan, **self.makespan_quantiles},
            "p_deadline": self.p_deadline,
            "customers": {
                c: {
                    "mean": float(self.samples(c).mean()),
                    **qs,
                    "due": self.due.get(c),
                    "p_on_time": self.p_on_time.get(c),
                }
                for c, qs in self.finish_quantiles.items()
            },
            "level": self.level,
            "nodes": self.table().to_dict(),
            "by_customer": {name: table.to_dict() for name, table in self.by_customer.items()},
        }

    def summary_lines(self, k: int = 3) -> list[str]:
        """A few lines of text for a terminal."""

        def qline(qs: dict[str, float]) -> str:
            return ", ".join(f"{lab} {v:.4g}" for lab, v in qs.items())

        lines = [f"Monte Carlo: {self.n:,} scenarios (seed {self.seed})"]
        line = f"makespan: {qline(self.makespan_quantiles)}; mean {self.mean_makespan:.4g}"
        if self.deadline is not None:
            line += f"; P(<= deadline {self.deadline:g}) = {self.p_deadline:.3f}"
        lines.append(line)
        on_time = self.p_on_time
        for c, qs in self.finish_quantiles.items():
            line = f"{c}: {qline(qs)}"
            if c in on_time:
                line += f"; P(by due {self.due[c]:g}) = {on_time[c]:.3f}"
            lines.append(line)
        crit = ", ".join(f"{node} {v:.2f}" for node, v in self.criticality.top(k))
        lines.append(f"most critical: {crit}")
        stall = ", ".join(f"{node} {v:.2f}" for node, v in self.stallers(k))
        lines.append(f"stalls the team most: {stall or 'nobody'}")
        return lines

    def __repr__(self) -> str:
        qs = ", ".join(f"{lab}={v:.4g}" for lab, v in self.makespan_quantiles.items())
        return (
            f"MonteCarloResult(n={self.n}, makespan {qs}, customers={len(self.customers)}, "
            f"nodes={len(self.criticality)})"
        )

    def _repr_html_(self) -> str:
        labels = [_label(q) for q in self.quantiles]
        rows: list[list[Any]] = [["makespan", *self.makespan_quantiles.values(), self.p_deadline]]
        on_time = self.p_on_time
        for c, qs in self.finish_quantiles.items():
            rows.append([c, *qs.values(), on_time.get(c)])
        finish = html_table(
            rows, ["finish", *labels, "P(on time)"], caption=f"Monte Carlo, {self.n:,} scenarios"
        )
        order = [node for node, _ in self.stall.top(len(self.stall))]
        columns = [c for c in _NODE_COLUMNS if c in self.nodes]
        node_rows = [[node, *(self.nodes[c][node] for c in columns)] for node in order]
        return finish + html_table(
            node_rows, [self.level, *columns], caption=f"{self.level}s by stall share"
        )

    def plot(self, ax: Axes | None = None, **kw: Any) -> Axes:
        """Draw each customer's finish-time distribution: `intcust.plot.plot_risk` (needs matplotlib).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import intcust as ic
        >>> mc = ic.sim.monte_carlo(ic.datasets.email_campaign(), n=200, seed=1)
        >>> mc.plot().get_ylabel()
        'P(served by t)'
        """
        from intcust.plot import plot_risk

        return plot_risk(self, ax=ax, **kw)
