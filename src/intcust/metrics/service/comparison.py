"""The closed loop: what changed between two snapshots of an organisation.

`compare` lines up the services and stakeholders of a ``before`` and an
``after`` organisation (or two event logs, mined with `from_event_log`) and
reports the differences in lead time, volume, SLA compliance, satisfaction
and work, with a two-sample test telling lead-time changes from noise.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from intcust._params import check_choice, check_fraction, check_number, parameter_error
from intcust.graph.duration_parsing import as_duration
from intcust.graph.durations import Empirical
from intcust.metrics.service.sla import compliance
from intcust.results import NodeTable, html_table, json_ready

if TYPE_CHECKING:
    import os

    import pandas as pd

__all__ = ["Comparison", "compare"]

Edge = tuple[Hashable, Hashable]
_SERVICE_COLS = (
    "lead_time_before", "lead_time_after", "lead_time_change", "volume_change",
    "compliance_change", "satisfaction_change", "p_value", "p_adjusted", "effect", "changed",
)  # fmt: skip
_NODE_COLS = ("work_before", "work_after", "work_change", "volume_in_change", "volume_out_change")


@dataclass(frozen=True)
class Comparison:
    """Differences between two organisations (see `compare`)."""

    services: dict[Edge, dict[str, Any]]  #: per service in both: the columns above
    nodes: NodeTable  #: per stakeholder in both: work and volume changes
    added: tuple[Edge, ...]  #: services only in ``after``
    removed: tuple[Edge, ...]  #: services only in ``before``
    changed: tuple[Edge, ...]  #: services whose lead time changed beyond noise
    test: str
    correction: str
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        """The services table, one row per (supplier, customer)."""
        import pandas as pd

        rows = [{"supplier": u, "customer": v, **r} for (u, v), r in self.services.items()]
        return pd.DataFrame(rows, columns=["supplier", "customer", *_SERVICE_COLS])

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON (see `intcust.results.json_ready`); services as records."""
        data: dict[str, Any] = json_ready(
            {
                "test": self.test,
                "correction": self.correction,
                "alpha": self.alpha,
                "changed": self.changed,
                "added": self.added,
                "removed": self.removed,
                "services": [
                    {"supplier": u, "customer": v, **r} for (u, v), r in self.services.items()
                ],
                "nodes": self.nodes,
            }
        )
        return data

    def __repr__(self) -> str:
        return (
            f"Comparison({len(self.services)} services in both, {len(self.changed)} changed "
            f"beyond noise, {len(self.added)} added, {len(self.removed)} removed)"
        )

    def _repr_html_(self) -> str:
        rows = [
            [f"{u} -> {v}", *(r[c] for c in _SERVICE_COLS)] for (u, v), r in self.services.items()
        ]
        return html_table(rows, ["service", *_SERVICE_COLS], caption=repr(self))


def _mean(value: Any) -> float:
    return float(as_duration(value if value is not None else 0.0).mean)


def _samples(value: Any) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    if value is None:
        return None
    d = as_duration(value)
    return np.asarray(d.samples, dtype=np.float64) if isinstance(d, Empirical) else None


def _two_sample(
    x: np.ndarray[Any, np.dtype[np.float64]], y: np.ndarray[Any, np.dtype[np.float64]], test: str
) -> tuple[float, float]:
    """(p-value, effect): Cliff's delta for Mann-Whitney, the signed KS statistic for KS."""
    from scipy import stats

    if test == "ks":
        ks = stats.ks_2samp(x, y)
        return float(ks.pvalue), float(ks.statistic) * float(ks.statistic_sign)
    if np.all(x == x[0]) and np.all(y == x[0]):
        return 1.0, 0.0
    res = stats.mannwhitneyu(y, x, alternative="two-sided")
    delta = 2.0 * float(res.statistic) / (len(x) * len(y)) - 1.0
    return float(res.pvalue), delta


def _adjust(p: list[float], method: str) -> list[float]:
    """Holm (1979) step-down or Benjamini-Hochberg (1995) adjusted p-values."""
    m = len(p)
    if m == 0 or method == "none":
        return list(p)
    arr = np.asarray(p)
    order = np.argsort(arr, kind="stable")
    ranked = arr[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ranked)
    else:
        adj = np.minimum.accumulate(m / np.arange(m, 0, -1) * ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out.tolist()


def _snapshot(G: Any, param: str) -> nx.DiGraph:
    if isinstance(G, nx.DiGraph) and not G.is_multigraph():
        return G
    if isinstance(G, nx.Graph):
        raise parameter_error("compare", param, "a networkx.DiGraph, a DataFrame or a path", G)
    from intcust.graph.eventlog.mining import from_event_log

    return from_event_log(G)


def compare(
    before: nx.DiGraph | pd.DataFrame | str | os.PathLike[str],
    after: nx.DiGraph | pd.DataFrame | str | os.PathLike[str],
    *,
    test: str = "mannwhitney",
    correction: str = "holm",
    alpha: float = 0.05,
    min_effect: float = 0.147,
) -> Comparison:
    """What changed between two snapshots of an organisation.

    Parameters
    ----------
    before, after : networkx.DiGraph, DataFrame or path
        Two organisations, or two event logs (mined with default options).
    test : {"mannwhitney", "ks"}, optional
        The two-sample test on each service's lead-time samples: Mann-Whitney
        U (a shift in location) or Kolmogorov-Smirnov (any difference).
    correction : {"holm", "bh", "none"}, optional
        Multiple-comparison adjustment over the services tested: Holm's
        step-down (family-wise error) or Benjamini-Hochberg (false discovery rate).
    alpha : float, optional
        The significance level for the adjusted p-values, in (0, 1).
    min_effect : float, optional
        The smallest absolute effect (Cliff's delta, or KS statistic) that counts
        as a change; 0.147 is the "negligible" threshold of Romano et al. (2006).

    Returns
    -------
    Comparison
        ``services`` (lead-time means, changes in lead time, volume, SLA
        compliance and satisfaction, p-values, effect, ``changed``), ``nodes``
        (work and volume changes), ``added``, ``removed`` and ``changed``.

    Notes
    -----
    Only services whose lead time is an `Empirical` in both snapshots (as
    mined from logs) are tested; others get ``p_value`` None. A change is
    flagged when the adjusted p-value is below `alpha` and the effect is at
    least `min_effect`, so that large logs do not flag trivial shifts.
    Cliff's delta ``δ = 2U/(n₁n₂) - 1`` is positive when lead times grew.
    Changes are ``after - before``; a change of an attribute missing on
    either side is None.

    References
    ----------
    .. [1] Mann, H. B., & Whitney, D. R. (1947). Ann. Math. Statist. 18(1), 50-60.
    .. [2] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. Scand. J. Statist. 6(2), 65-70.
    .. [3] Romano, J., Kromrey, J. D., Coraggio, J., & Skowronek, J. (2006).
       Appropriate statistics for ordinal level data. Annual meeting of the
       Florida Association of Institutional Research.

    Examples
    --------
    >>> import intcust as ic
    >>> def org(samples):
    ...     G = ic.org_graph()
    ...     ic.add_service(G, "a", "b", lead_time={"dist": "empirical", "samples": samples})
    ...     return G
    >>> c = ic.metrics.compare(org([1, 2, 3, 4, 5] * 4), org([6, 7, 8, 9, 10] * 4))
    >>> c.changed, c.services[("a", "b")]["lead_time_change"], c.services[("a", "b")]["effect"]
    ((('a', 'b'),), 5.0, 1.0)
    """
    test = check_choice(test, ("mannwhitney", "ks"), func="compare", param="test")
    correction = check_choice(
        correction, ("holm", "bh", "none"), func="compare", param="correction"
    )
    alpha = check_fraction(alpha, func="compare", param="alpha", strict=True)
    min_effect = check_number(min_effect, func="compare", param="min_effect", minimum=0.0)
    A, B = _snapshot(before, "before"), _snapshot(after, "after")
    comp_a, comp_b = compliance(A, func="compare"), compliance(B, func="compare")
    common = [e for e in A.edges if B.has_edge(*e)]
    services: dict[Edge, dict[str, Any]] = {}
    tested: list[Edge] = []
    pvalues: list[float] = []
    for u, v in common:
        da, db = A.edges[u, v], B.edges[u, v]
        la, lb = _mean(da.get("lead_time")), _mean(db.get("lead_time"))
        row: dict[str, Any] = {
            "lead_time_before": la,
            "lead_time_after": lb,
            "lead_time_change": lb - la,
            "volume_change": float(db.get("volume", 1.0)) - float(da.get("volume", 1.0)),
            "compliance_change": _diff(comp_a.get((u, v)), comp_b.get((u, v))),
            "satisfaction_change": _diff(da.get("satisfaction"), db.get("satisfaction")),
            "p_value": None,
            "p_adjusted": None,
            "effect": None,
            "changed": False,
        }
        xa, xb = _samples(da.get("lead_time")), _samples(db.get("lead_time"))
        if xa is not None and xb is not None:
            p, eff = _two_sample(xa, xb, test)
            row["p_value"], row["effect"] = p, eff
            tested.append((u, v))
            pvalues.append(p)
        services[(u, v)] = row
    for e, p_adj in zip(tested, _adjust(pvalues, correction), strict=True):
        row = services[e]
        row["p_adjusted"] = p_adj
        row["changed"] = bool(p_adj < alpha and abs(row["effect"]) >= min_effect)
    nodes = NodeTable(
        {n: _node_row(A, B, n) for n in A if n in B},
        columns=_NODE_COLS,
        name="changes",
        description="after - before, per stakeholder",
    )
    return Comparison(
        services=services,
        nodes=nodes,
        added=tuple(e for e in B.edges if not A.has_edge(*e)),
        removed=tuple(e for e in A.edges if not B.has_edge(*e)),
        changed=tuple(e for e, r in services.items() if r["changed"]),
        test=test,
        correction=correction,
        alpha=alpha,
    )


def _diff(a: Any, b: Any) -> float | None:
    return None if a is None or b is None else float(b) - float(a)


def _node_row(A: nx.DiGraph, B: nx.DiGraph, n: Hashable) -> dict[str, float]:
    wa, wb = _mean(A.nodes[n].get("work")), _mean(B.nodes[n].get("work"))

    def vol(G: nx.DiGraph, edges: Any) -> float:
        return math.fsum(float(d.get("volume", 1.0)) for *_, d in edges)

    return {
        "work_before": wa,
        "work_after": wb,
        "work_change": wb - wa,
        "volume_in_change": vol(B, B.in_edges(n, data=True)) - vol(A, A.in_edges(n, data=True)),
        "volume_out_change": vol(B, B.out_edges(n, data=True)) - vol(A, A.out_edges(n, data=True)),
    }
