"""`recognition`: what a manager weighs when recognising someone, side by side.

Employee (or team) of the month is a judgement; this table gives it facts,
each column with its own definition and source, and no composite score:
the contribution to what the paying customers receive (`contribution`), how
often the stakeholder is critical for their delivery (`monte_carlo`), how
reliably its services meet their SLAs (`sla_breaches`, planned or measured
from a log), how its internal customers rate it (a survey), how many
internal customers it serves (`service_load`), and how visible its work is.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx
import numpy as np

from intcust._params import (
    Seed,
    check_choice,
    check_int,
    check_nodes,
    parameter_error,
    rng_from_seed,
)
from intcust.errors import ParameterError
from intcust.graph.schema import edge_services
from intcust.metrics.network.centrality import service_load
from intcust.metrics.service.measured import with_measurements
from intcust.metrics.service.recognition_result import Recognition
from intcust.metrics.service.shapley import contribution
from intcust.metrics.service.sla import sla_breaches
from intcust.metrics.service.survey import Survey, read_survey
from intcust.results import NodeTable

__all__ = ["MANAGEMENT", "recognition"]

FUNC = "recognition"
#: Words in a ``role`` that mark a manager, matched as whole words, any case.
MANAGEMENT = ("manager", "director", "head", "chief", "lead", "supervisor", "executive")

_SOURCES = {
    "contribution": "the value the paying customers receive owed to it: its Shapley value in "
    "the game 'value of the customers still served' (contribution)",
    "criticality": "for the paying customer it matters most to, the share of Monte Carlo "
    "scenarios in which a small delay of its work moves that customer as much (at unit "
    "level: of all its members' work together; a stakeholder without a unit is a unit of "
    "its own) (monte_carlo: criticality_by_customer)",
    "reliability": "volume-weighted share of its services' deliveries within their SLA "
    "(sla_breaches: compliance of each service; lead times measured from the log where "
    "given); None without an SLA",
    "satisfaction": "volume-weighted mean rating its internal customers give its services "
    "(the survey, else the organisation's satisfaction); None when unrated",
    "reach": "internal customers it serves, each counted once (service_load: customers)",
    "visibility": "stakeholders it has a direct tie with (either way) who are paying customers "
    "or have a management role",
    "hidden": "hidden contributor: more than an equal share of the contribution among those "
    "who contribute, no management role, and no direct tie with a paying customer or a manager",
}
COLUMNS = tuple(_SOURCES)


def recognition(
    G: nx.DiGraph,
    *,
    survey: Survey | Iterable[Any] | None = None,
    log: nx.DiGraph | None = None,
    level: str = "person",
    rank_by: str = "contribution",
    managers: Iterable[Hashable] | None = None,
    n: int = 2000,
    seed: Seed = None,
) -> Recognition:
    """The facts behind recognising a stakeholder (or a team), one column per source.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    survey : Survey or records, optional
        Ratings of internal services: a `Survey` (`read_survey`), or records
        that `read_survey` reads with its defaults. Without it, the
        ``satisfaction`` already on the services counts.
    log : networkx.DiGraph, optional
        An organisation read from an event or ticket log (`from_tickets`,
        `from_event_log`): the services it observed are judged on their
        measured lead times and ratings (see
        `intcust.metrics.service.measured.with_measurements`).
    level : {"person", "unit"}, optional
        One row per stakeholder, or per unit ("team of the month").
    rank_by : str, optional
        The column that orders the rows (largest first; None last).
    managers : iterable of nodes, optional
        Who has a management role; by default every node whose ``role``
        contains one of `MANAGEMENT` as a word.
    n : int, optional
        Monte Carlo scenarios for the criticality.
    seed : int, SeedSequence, Generator or None, optional
        The random stream of the Monte Carlo run and of a sampled
        contribution.

    Returns
    -------
    Recognition
        A `NodeTable`, one row per stakeholder (or unit) other than the
        external customers, with the columns ``contribution``,
        ``criticality``, ``reliability``, ``satisfaction``, ``reach``,
        ``visibility`` and ``hidden``; ``sources`` defines each.

    Raises
    ------
    ParameterError
        If an option is invalid, a manager is not a node, or `log` is not an
        organisation.
    SchemaError, CycleError
        If `G` (or a survey record) breaks the schema.

    Notes
    -----
    At ``level="unit"`` a unit is a player of the contribution game as a
    whole, its criticality is how often delaying all its members together
    moves a customer (``monte_carlo(level="unit")``; a stakeholder without a
    unit is a unit of its own, as in `contribution`), its reliability and satisfaction
    pool its members' services, its reach counts the units it serves
    (`service_load` on the `rollup`), and its visibility counts the paying
    customers and managers outside it that its members deal with directly.

    Examples
    --------
    >>> import intcust as ic
    >>> rec = ic.metrics.recognition(ic.datasets.hotel(), n=500, seed=1)
    >>> [node for node in rec if rec[node]["hidden"]]
    ['kitchen', 'housekeeping', 'IT']
    >>> rec["IT"]["reliability"], rec["IT"]["reach"], rec["IT"]["visibility"]
    (0.375, 2, 0)
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ParameterError(
            f"The 'G' parameter of {FUNC} must be a networkx.DiGraph; got {type(G).__name__}."
        )
    level = check_choice(level, ("person", "unit"), func=FUNC, param="level")
    rank_by = check_choice(rank_by, COLUMNS[:-1], func=FUNC, param="rank_by")
    n = check_int(n, func=FUNC, param="n", minimum=1)
    rng_from_seed(seed, func=FUNC)  # checked here, so that a bad seed is reported as ours
    boss = _managers(G, managers)
    if survey is not None:
        if not isinstance(survey, Survey | Iterable) or isinstance(survey, str | bytes):
            raise parameter_error(FUNC, "survey", "a Survey, records or a DataFrame", survey)
        survey = survey if isinstance(survey, Survey) else read_survey(survey, G=G)
        G = survey.apply(G)
    measured = with_measurements(G, log, func=FUNC)
    H = measured.G
    group = _grouping(H, level)
    rows_of = list(dict.fromkeys(group[v] for v in H if H.nodes[v].get("kind") != "external"))
    share = contribution(H, level=level, seed=seed)
    crit, by_customer = _criticality(H, level, n, seed)
    reliability, satisfaction = _service_scores(H, group)
    load = service_load(H, level=level)
    visible = _visibility(H, group, boss)
    contributors = [v for v in share.total.values() if v > 0]
    fair = sum(contributors) / len(contributors) if contributors else 0.0
    table: dict[Hashable, dict[str, Any]] = {}
    for r in rows_of:
        x = share.total.get(r, 0.0)
        table[r] = {
            "contribution": x,
            "criticality": crit.get(r, 0.0),
            "reliability": reliability.get(r),
            "satisfaction": satisfaction.get(r),
            "reach": int(load[r]["customers"]) if r in load else 0,
            "visibility": visible.get(r, 0),
            "hidden": bool(x > fair + 1e-12 and not visible.get(r, 0) and r not in boss),
        }
    order = sorted(
        enumerate(table),
        key=lambda t: (table[t[1]][rank_by] is None, -(table[t[1]][rank_by] or 0.0), t[0]),
    )
    notes = measured.notes()
    if not share.exact:
        notes.append(f"contribution sampled from {share.n} permutations (see std_error)")
    return Recognition(
        {r: table[r] for _, r in order},
        columns=COLUMNS,
        sources=dict(_SOURCES),
        rank_by=rank_by,
        level=level,
        notes=tuple(notes),
        contribution=share,
        scenarios=n,
        criticality_by_customer=by_customer,
    )


def _managers(G: nx.DiGraph, managers: Iterable[Hashable] | None) -> set[Hashable]:
    if managers is not None:
        if isinstance(managers, str) or not isinstance(managers, Iterable):
            raise ParameterError(
                f"The 'managers' parameter of {FUNC} must be an iterable of nodes; "
                f"got {managers!r}."
            )
        return set(check_nodes(G, managers, func=FUNC, param="managers"))
    words = re.compile(r"\b(" + "|".join(MANAGEMENT) + r")\b", re.IGNORECASE)
    return {v for v, role in G.nodes(data="role") if isinstance(role, str) and words.search(role)}


def _grouping(G: nx.DiGraph, level: str) -> dict[Hashable, Hashable]:
    """The row each node belongs to: itself, or its unit (as `rollup` groups them)."""
    if level == "person":
        return {v: v for v in G}
    out: dict[Hashable, Hashable] = {}
    for v, data in G.nodes(data=True):
        unit = data.get("unit")
        out[v] = v if unit is None or data.get("kind") == "external" else unit
    return out


def _criticality(
    G: nx.DiGraph, level: str, n: int, seed: Seed
) -> tuple[dict[Hashable, float], NodeTable]:
    """Each row's criticality for the customer it matters most to, and the full table."""
    from intcust.sim.montecarlo import monte_carlo

    mc = monte_carlo(G, n, seed=seed, level=level)
    table = mc.criticality_by_customer
    alone = [
        v
        for v, data in G.nodes(data=True)
        if level == "unit" and data.get("unit") is None and data.get("kind") != "external"
    ]
    if alone:
        # a stakeholder without a unit is a unit of its own: its own criticality, from
        # the same scenarios (a fresh or a Generator's stream: the entropy it drew)
        fresh = seed is None or isinstance(seed, np.random.Generator)
        same = np.random.SeedSequence(mc.seed) if fresh else seed
        own = monte_carlo(G, n, seed=same).criticality_by_customer
        rows = {r: dict(row) for r, row in table.items()}
        rows.update((v, dict(own[v])) for v in alone)
        table = NodeTable(
            rows, columns=table.columns, name=table.name, description=table.description
        )
    customers = [c for c in table.columns if c != "makespan"] or ["makespan"]
    crit = {r: max(row[c] for c in customers) for r, row in table.items()}
    return crit, table


def _service_scores(
    G: nx.DiGraph, group: dict[Hashable, Hashable]
) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """Volume-weighted SLA compliance and internal satisfaction of each row's services."""
    met: dict[Hashable, list[float]] = {}
    for row in sla_breaches(G).services:
        _add(met, group[row["supplier"]], row["volume"], row["compliance"])
    rated: dict[Hashable, list[float]] = {}
    for u, v, data in G.edges(data=True):
        r = group[u]
        if G.nodes[v].get("kind") == "external" or group[v] == r:
            continue  # a paying customer's rating, or one within the unit
        for s in edge_services(data):
            if s.get("satisfaction") is not None:
                _add(rated, r, float(s.get("volume", 1.0)), float(s["satisfaction"]))
    return _ratio(met), _ratio(rated)


def _add(acc: dict[Hashable, list[float]], key: Hashable, weight: float, x: float) -> None:
    a = acc.setdefault(key, [0.0, 0.0, 0.0, 0.0])
    a[0] += weight * x
    a[1] += weight
    a[2] += x
    a[3] += 1.0


def _ratio(acc: dict[Hashable, list[float]]) -> dict[Hashable, float]:
    """Weighted means; the plain mean where every weight is 0."""
    return {k: (a[0] / a[1] if a[1] > 0 else a[2] / a[3]) for k, a in acc.items()}


def _visibility(
    G: nx.DiGraph, group: dict[Hashable, Hashable], managers: set[Hashable]
) -> dict[Hashable, int]:
    """Distinct paying customers and managers outside the row that its members deal with."""
    seen: dict[Hashable, set[Hashable]] = {}
    for u, v in G.edges:
        for a, b in ((u, v), (v, u)):
            if group[b] == group[a]:
                continue  # a colleague of the same unit
            if b in managers or G.nodes[b].get("kind") == "external":
                seen.setdefault(group[a], set()).add(b)
    return {k: len(s) for k, s in seen.items()}
