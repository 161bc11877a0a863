"""`monte_carlo`: schedule risk of an organisation, scenario by scenario, in bounded memory.

Compiled kernels (`intcust.sim._scenarios`) draw each scenario's durations,
run the forward pass, mark who is critical for every external customer and
the makespan, and find the exact total float, in parallel over scenarios;
blocks of scenarios are reduced to per-node sums. The result
(`intcust.sim.risk.MonteCarloResult`) keeps the finish time of every external
customer and the makespan in every scenario, and per-node aggregates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import networkx as nx
import numpy as np

from intcust._params import MAX_VALUES, check_choice, check_int, check_number, parameter_error
from intcust.graph.compiled import CompiledOrg, compile
from intcust.results import NodeScores, NodeTable
from intcust.sim._engine import ends, engine, tie_tolerance
from intcust.sim._execute import BlockStats, Reducer, execute, is_dask_client
from intcust.sim._monte_carlo_params import (
    FUNC,
    _chunking,
    _dtype,
    _quantiles,
    _rho,
    _seed_entropy,
    default_chunk,
)
from intcust.sim._sampling import BLOCK, SamplingSpec
from intcust.sim.risk import MonteCarloResult

__all__ = ["default_chunk", "monte_carlo"]

#: levels at which the criticality indices are reported
LEVELS = ("person", "unit")

Progress = Callable[[int, int], object]


_NODE_DESCRIPTIONS = {
    "criticality": "share of scenarios in which a small delay here moves the makespan as much",
    "cruciality": "correlation of the node's work with the makespan (cruciality index)",
    "significance": "E[work / (work + total float) · makespan] / E[makespan] (significance index)",
    "stall": "expected share of the makespan spent waiting on the node's work while it is critical",
    "mean_finish": "mean finish time of the node",
}


_TARGET_DESCRIPTIONS = {
    "criticality": "share of scenarios in which a small delay here moves the target as much",
    "stall": "E[work · 1{critical for the target}] / E[finish of the target]",
}


def node_scores(
    C: CompiledOrg, total: BlockStats, reducer: Reducer, level: str, with_float: bool
) -> tuple[dict[str, NodeScores], dict[str, NodeTable]]:
    """The per-node indices and the per-target tables from the combined statistics."""
    n = total.n
    mean_t = total.mean_t
    mean_targets = np.append(reducer.customers.mean(axis=1), mean_t)
    safe = np.where(mean_targets > 0, mean_targets, 1.0)
    crit = total.critical / n
    stall = np.where(mean_targets > 0, total.stall / n / safe, 0.0)
    keys: Sequence[Hashable] = C.nodes
    if level == "unit":
        keys = C.units
        crit = total.unit_critical / n
        member = C.unit >= 0
        stall = np.zeros((len(C.units), stall.shape[1]))
        np.add.at(stall, C.unit[member], (total.stall / n / safe)[member])
        stall = np.where(mean_targets > 0, stall, 0.0)
    columns = _column_names(C.names(C.external))
    by_customer = {
        name: NodeTable.from_columns(
            keys,
            {col: values[:, j].astype(np.float64) for j, col in enumerate([*columns, "makespan"])},
            name=f"{name} by customer",
            description=_TARGET_DESCRIPTIONS[name],
        )
        for name, values in (("criticality", crit), ("stall", stall))
    }
    values: dict[str, Any] = {"criticality": crit[:, -1], "stall": stall[:, -1]}
    if level == "person":
        denom = np.sqrt(total.m2_w * total.m2_t)
        varies = (total.min_w < total.max_w) & (total.min_t < total.max_t) & (denom > 0)
        cruciality = np.divide(total.c_wt, denom, out=np.zeros_like(denom), where=varies)
        values["cruciality"] = np.clip(cruciality, -1.0, 1.0)
        values["mean_finish"] = total.finish / n
        if with_float:
            sig = total.significance / n / mean_t if mean_t > 0 else 0 * crit[:, -1]
            values["significance"] = sig
    nodes = {
        name: NodeScores(
            zip(keys, np.asarray(v, dtype=np.float64).tolist(), strict=True),
            name=name,
            description=_NODE_DESCRIPTIONS[name],
        )
        for name, v in values.items()
    }
    return nodes, by_customer


def _column_names(customers: list[Hashable]) -> list[str]:
    names = [str(c) for c in customers]
    if len(set(names)) < len(names) or "makespan" in names:
        names = [repr(c) for c in customers]
    return names


def monte_carlo(
    G: nx.DiGraph | CompiledOrg,
    n: int,
    *,
    seed: int | np.random.SeedSequence | np.random.Generator | None = None,
    deadline: float | None = None,
    chunk_size: int | None = None,
    executor: Executor | Any | None = None,
    dtype: Any = np.float64,
    correlation: float | Mapping[Hashable, float] | None = None,
    quantiles: Sequence[float] = (0.1, 0.5, 0.8, 0.9),
    progress: Progress | None = None,
    level: str = "person",
    significance: bool = False,
) -> MonteCarloResult:
    """Simulate `n` scenarios of the organisation's one-round schedule.

    Parameters
    ----------
    G : networkx.DiGraph or CompiledOrg
        The organisation (compiled once if a graph is given).
    n : int
        Number of scenarios, >= 1.
    seed : int, SeedSequence, Generator or None, optional
        The random stream. The same seed gives identical numbers whatever
        `chunk_size` and `executor`; None draws fresh entropy and a Generator
        gives one draw of it; the result keeps the entropy in ``seed`` so the
        run can be repeated.
    deadline : float, optional
        A deadline for the makespan; the result reports ``p_deadline``.
    chunk_size : int, optional
        Scenarios simulated at once; memory grows with it, not with `n`.
        Chunks are whole random blocks of 64 scenarios (a smaller value
        means one block). Each block keeps per-node sums, and a count and a
        stall per node and target, about ``nodes × (16 × (customers + 1) +
        56)`` bytes; no scenarios × nodes array is stored. By default
        (`default_chunk`) a chunk's blocks stay near 64 MiB, with at most 64
        blocks and at least two per thread.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Runs chunks in parallel. The organisation is shipped to the workers
        once (a dask client scatters it with ``broadcast=True``); each task
        is a range of whole blocks, and results are combined in block order.
        At most twice as many tasks as workers are in flight, so memory is
        about that many chunks.
    dtype : numpy.float64 or numpy.float32, optional
        Precision of the sampled durations and of the passes; statistics are
        accumulated in float64.
    correlation : float or mapping of unit to float, optional
        Correlated risk within units: ρ in [0, 1] for every unit, or one per
        unit (units not named, and nodes without a unit, stay independent).
        See Notes.
    quantiles : sequence of float, optional
        The quantiles that summaries and `to_dict` report; `quantile` answers
        any other.
    progress : callable, optional
        ``progress(done, n)`` is called after each chunk completes.

    Returns
    -------
    MonteCarloResult
        Finish quantiles per external customer and for the makespan, the
        probability of meeting each due date and the deadline, and per node
        the criticality, cruciality and significance indices and the stall
        share (see `MonteCarloResult`).

    Raises
    ------
    ParameterError
        If `n` < 1, `seed` is not a seed, `chunk_size` < 1, `correlation` lies
        outside [0, 1] or names an unknown unit, or another argument is wrong.
    SchemaError, CycleError
        If `G` breaks the schema.

    Notes
    -----
    *Sampling.* Scenarios come in blocks of 64 with one generator each,
    ``PCG64(SeedSequence(entropy, spawn_key=(block,)))``, drawing every
    node's work, then every edge's lead time. With `correlation`, each unit
    ``u`` has a standard normal factor ``Z_u`` per scenario and a duration
    ``d`` of that unit (an edge belongs to its supplier's unit) is
    ``d = F⁻¹(Φ(sqrt(ρ_u)·Z_u + sqrt(1 − ρ_u)·ε_d))`` with independent
    ``ε_d``: a Gaussian copula whose latent correlation is ρ within a unit
    and 0 across units; ρ = 1 makes a unit's durations comonotonic.

    *Makespan*, as in `schedule`: the finish of the latest external customer
    in the scenario (of the latest node without blocking customers when the
    organisation has no external customer). The total float ``TF_i`` of node
    ``i`` is taken against that scenario's makespan by the engine's backward
    pass (`intcust.sim._engine.backward`, with its OR-join rule); a node that
    leads to no external customer has infinite float. A total float below
    ``tol·max(1, makespan)`` counts as zero (``tol`` is the engine's tie
    tolerance 1e-9, or 1024 machine epsilons for float32).

    With ``w_i`` the node's work and ``T`` the makespan, over scenarios:

    - criticality index ``CI_i = P(TF_i = 0)`` (Van Slyke 1963);
    - cruciality index ``CRI_i = corr(w_i, T)``, Pearson's correlation
      (Williams 1992), accumulated across blocks with the pairwise update of
      Chan, Golub and LeVeque (1983); 0 where either side has no variance;
    - significance index ``SI_i = E[w_i / (w_i + TF_i) · T] / E[T]``
      (Williams 1992, eq. 3), the ratio taken as 0 when ``w_i = 0``;
    - stall share ``E[w_i · 1{TF_i = 0}] / E[T]``: the expected part of the
      makespan spent waiting for node ``i``'s own work while it is critical.
      It ranks `MonteCarloResult.stallers`, "who stalls the team most often".

    References
    ----------
    .. [1] R. M. Van Slyke, "Monte Carlo methods and the PERT problem",
       Operations Research 11(5), 839-860, 1963.
    .. [2] T. M. Williams, "Criticality in stochastic networks", Journal of the
       Operational Research Society 43(4), 353-357, 1992.
    .. [3] S. E. Elmaghraby, "On criticality and sensitivity in activity
       networks", European Journal of Operational Research 127(2), 220-238, 2000.
    .. [4] T. F. Chan, G. H. Golub, R. J. LeVeque, "Algorithms for computing
       the sample variance", The American Statistician 37(3), 242-247, 1983.

    Examples
    --------
    >>> import intcust as ic
    >>> mc = ic.sim.monte_carlo(ic.datasets.email_campaign(), 2_000, seed=1)
    >>> mc.p_on_time
    {'customers': 0.882}
    >>> round(mc.quantile(0.9, "customers"), 2)
    5.07
    >>> mc.criticality["designer"], mc.criticality["list keeper"]
    (0.9985, 0.0015)
    >>> [node for node, share in mc.stallers(2)]
    ['designer', 'sender']
    >>> again = ic.sim.monte_carlo(ic.datasets.email_campaign(), 2_000, seed=1, chunk_size=7)
    >>> again.quantile(0.5) == mc.quantile(0.5)
    True
    """
    if not isinstance(G, (nx.DiGraph, CompiledOrg)):
        raise parameter_error(FUNC, "G", "a networkx.DiGraph or a CompiledOrg", type(G).__name__)
    n = check_int(n, func=FUNC, param="n", minimum=1)
    entropy, spawn_key = _seed_entropy(seed)
    check_choice(level, LEVELS, func=FUNC, param="level")
    if not isinstance(significance, bool):
        raise parameter_error(FUNC, "significance", "True or False", significance)
    C = G if isinstance(G, CompiledOrg) else compile(G)
    if C.n_nodes == 0:
        raise parameter_error(
            FUNC, "G", "an organisation with at least one node", "an empty organisation"
        )
    kept = len(C.external) + 1  # the finish of every customer, and the makespan
    check_int(
        n,
        func=FUNC,
        param="n",
        minimum=1,
        maximum=MAX_VALUES // kept,
        why=f"the result keeps {kept} finish times per scenario",
    )
    dname = _dtype(dtype)
    if deadline is not None:
        deadline = check_number(deadline, func=FUNC, param="deadline")
    qs = _quantiles(quantiles)
    if progress is not None and not callable(progress):
        raise parameter_error(FUNC, "progress", "None or a callable progress(done, n)", progress)
    piece = _chunking(chunk_size, C)
    if executor is not None and not (isinstance(executor, Executor) or is_dask_client(executor)):
        raise parameter_error(
            FUNC,
            "executor",
            "None, a concurrent.futures.Executor or a dask.distributed.Client",
            type(executor).__name__,
        )
    spec = SamplingSpec(
        entropy=entropy,
        spawn_key=spawn_key,
        n=n,
        dtype=dname,
        rho=_rho(correlation, C),
        customers=C.external,
        ends=ends(C),
        want_float=significance and level == "person",
        units=level == "unit",
    )
    n_blocks = math.ceil(n / BLOCK)
    per_task = piece // BLOCK
    tasks = [(b, min(b + per_task, n_blocks)) for b in range(0, n_blocks, per_task)]
    reducer = Reducer(len(spec.customers), n)
    execute(C, spec, tasks, piece, executor, progress, reducer)
    assert reducer.total is not None and reducer.pos == n
    total = reducer.total.in_org_order(engine(C).numbering.pos)
    nodes, by_customer = node_scores(C, total, reducer, level, spec.want_float)
    return MonteCarloResult(
        n=n,
        seed=entropy,
        customers=tuple(C.names(spec.customers)),
        due={C.nodes[int(i)]: float(C.due[i]) for i in spec.customers if not math.isnan(C.due[i])},
        deadline=deadline,
        quantiles=qs,
        makespan_samples=reducer.makespan,
        customer_samples=reducer.customers,
        nodes=nodes,
        by_customer=by_customer,
        level=level,
        tolerance=tie_tolerance(np.dtype(dname)),
    )
