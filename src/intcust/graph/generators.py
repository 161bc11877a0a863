"""`generate_org`: synthetic organisations for tests, examples and scale.

The generator draws every node and edge attribute with numpy and hands the
result to networkx in bulk, so a million people and five million services
take seconds, not minutes. Where the people sit and whom they serve is
drawn by `intcust.graph.generator_layout`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust._params import Seed, check_int, check_number, parameter_error, rng_from_seed
from intcust.errors import ParameterError
from intcust.graph.durations import PERT, Triangular
from intcust.graph.generator_layout import _direct_services, _feedback, _Units

__all__ = ["generate_org"]

IntArray = NDArray[np.int64]

#: The most services `generate_org` builds (networkx keeps about 1 KB per service):
#: a larger organisation is refused before anything is allocated.
MAX_SERVICES = 2**26

#: Employment mix of the synthetic staff (probabilities sum to 1).
_EMPLOYMENT = (("full-time", 0.8), ("part-time", 0.1), ("temporary", 0.05), ("contractor", 0.05))


def _fill_adjacency(
    G: nx.DiGraph, names: list[Hashable], src: IntArray, dst: IntArray, data: list[dict[str, Any]]
) -> None:
    """Add edges ``names[src[k]] -> names[dst[k]]`` with attribute dict ``data[k]``.

    The edges must be unique and sorted by (src, dst). The adjacency dicts
    are filled directly: ``G.add_edges_from`` costs a dict copy and several
    lookups per edge, about three times as long on millions of edges. The
    result is the same graph, with successors and predecessors in node order.
    """
    n = len(names)
    succ, pred = G._succ, G._pred
    dst_names = [names[j] for j in dst.tolist()]
    ptr = np.searchsorted(src, np.arange(n + 1)).tolist()
    for i in np.flatnonzero(np.diff(ptr)).tolist():
        a, b = ptr[i], ptr[i + 1]
        succ[names[i]].update(zip(dst_names[a:b], data[a:b], strict=True))
    order = np.argsort(dst, kind="stable")
    src_names = [names[i] for i in src[order].tolist()]
    by_dst = [data[k] for k in order.tolist()]
    ptr = np.searchsorted(dst[order], np.arange(n + 1)).tolist()
    for j in np.flatnonzero(np.diff(ptr)).tolist():
        a, b = ptr[j], ptr[j + 1]
        pred[names[j]].update(zip(src_names[a:b], by_dst[a:b], strict=True))


def generate_org(
    n_people: int,
    *,
    n_units: int | None = None,
    team_size: int = 8,
    services: float = 5.0,
    reciprocity: float = 0.1,
    n_customers: int | None = None,
    uncertain_work: float = 0.8,
    uncertain_lead_time: float = 0.5,
    seed: Seed = None,
) -> nx.DiGraph:
    """A synthetic organisation with a unit hierarchy and a value stream.

    People sit in teams of about `team_size`, and teams in `n_units`
    departments. Departments are ordered along a value stream of at most six
    stages that ends in external customers. Every person receives two
    shared services, ``"HR" -> person`` ("HR services", non-blocking) and
    ``"IT" -> person`` ("IT support", blocking for a random half of the
    staff), and draws the rest of their suppliers: 60 % from their own team,
    20 % from their own department, 20 % from earlier stages (or anywhere,
    in the first stage). A service gates work only when it flows forward:
    within a team from a lower to a higher position, or from an earlier
    stage to a later one. Blocking edges therefore form a DAG whose depth
    is at most about ``6 * team_size``, whatever the size. With
    `reciprocity`, that share of person-to-person services gets a
    non-blocking ``"feedback"`` tie back.

    Parameters
    ----------
    n_people : int
        Number of people (kind ``"person"``), >= 1.
    n_units : int, optional
        Number of departments; by default about ``sqrt(n_people) / 4``.
    team_size : int, optional
        People per team (teams split the departments evenly).
    services : float, optional
        Services per person, about (>= 2): the two shared services, the
        person-to-person services and their feedback ties together.
    reciprocity : float, optional
        Share of person-to-person services answered by a feedback tie, in [0, 1].
    n_customers : int, optional
        Number of external customers; by default ``max(2, n_people // 10_000)``.
    uncertain_work : float, optional
        Share of the people whose work is uncertain (a PERT estimate), in [0, 1].
    uncertain_lead_time : float, optional
        Share of the services whose lead time is uncertain (triangular), in [0, 1].
    seed : int, numpy Generator or None, optional
        The same seed gives the same organisation.

    Returns
    -------
    networkx.DiGraph
        Nodes ``"HR"`` and ``"IT"`` (kind ``"department"``), people ``"p0"``,
        ``"p1"``, ... with ``unit`` (their team, e.g. ``"D1/T2"``),
        ``department`` (e.g. ``"D1"``), ``employment`` and ``work``, and
        customers ``"customer 1"``, ... due ``4 * stages + 2`` days, a little
        after the typical finish at the mode. Volumes are lognormal
        (heavy-tailed); durations are in days: a person's typical work ``w``
        is lognormal, and for a share `uncertain_work` of the people it is a
        three-point `PERT` estimate (0.5 w, w, 2.5 w), for the others the
        plain number ``w``; a hand-off's typical lead time ``t`` is lognormal,
        a `Triangular` (0.5 t, t, 3 t) for a share `uncertain_lead_time` of the
        services, ``t`` for the others.
        A person-to-person service's ``deliverable`` is the output of the
        supplier's team (e.g. ``"D1/T2 output"``), so teammates serving one
        customer are alternative suppliers.

    Raises
    ------
    ParameterError
        If an argument is out of range, or the organisation would hold more
        than `MAX_SERVICES` (67,108,864) services: ``n_people * services +
        n_customers`` of them.

    Notes
    -----
    Volumes follow a lognormal law, the usual heavy-tailed model of
    communication frequencies in organisations (Kossinets & Watts, 2006).
    Group rollups use the ``unit`` attribute for teams and
    ``rollup(G, by="department")`` for departments.

    References
    ----------
    .. [1] G. Kossinets and D. J. Watts, "Empirical analysis of an evolving
       social network", Science 311 (2006) 88-90.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.generate_org(100, seed=1)
    >>> G.number_of_nodes()
    104
    >>> G.nodes["p0"]["unit"], G.nodes["p0"]["department"]
    ('D1/T1', 'D1')
    >>> ic.validate(G)
    """
    func = "generate_org"
    n = check_int(n_people, func=func, param="n_people", minimum=1)
    if n_units is None:
        n_dept = max(1, round(math.sqrt(n) / 4))
    else:
        n_dept = min(check_int(n_units, func=func, param="n_units", minimum=1), n)
    size = check_int(team_size, func=func, param="team_size", minimum=1)
    per_person = check_number(services, func=func, param="services", minimum=2.0)
    recip = check_number(reciprocity, func=func, param="reciprocity", minimum=0.0)
    if recip > 1:
        raise ParameterError(
            f"The 'reciprocity' parameter of {func} must be a number in [0, 1]; got {reciprocity!r}."
        )
    if n_customers is None:
        n_cust = max(2, n // 10_000)
    else:
        n_cust = check_int(n_customers, func=func, param="n_customers", minimum=1)
    if n * per_person + n_cust > MAX_SERVICES:
        raise parameter_error(
            func,
            "n_people",
            f"small enough for at most {MAX_SERVICES:,} services, n_people * services + "
            f"n_customers (with services={per_person:g} and n_customers={n_cust})",
            n_people,
        )
    shares = {}
    for param, value in (
        ("uncertain_work", uncertain_work),
        ("uncertain_lead_time", uncertain_lead_time),
    ):
        shares[param] = check_number(value, func=func, param=param, minimum=0.0)
        if shares[param] > 1:
            raise ParameterError(
                f"The {param!r} parameter of {func} must be a number in [0, 1]; got {value!r}."
            )
    rng = rng_from_seed(seed, func=func)

    units = _Units.build(n, n_dept, size)
    sup, cust, blocking = _direct_services(rng, units, (per_person - 2.0) / (1.0 + recip))
    fb_sup, fb_cust = _feedback(rng, n, sup, cust, recip)
    # each last-stage team's last member serves a customer; every customer is served
    last_teams = np.unique(units.team[units.stage_start[-2] :])
    n_out = max(len(last_teams), n_cust)
    c_sup = units.team_start[last_teams + 1][np.arange(n_out) % len(last_teams)] - 1
    c_dst = np.arange(n_out) % n_cust

    # node ids: 0 "HR", 1 "IT", 2 .. n+1 the people, then the customers
    staff = np.arange(2, n + 2)
    src = np.concatenate(
        [np.zeros(n, np.int64), np.ones(n, np.int64), sup + 2, fb_sup + 2, c_sup + 2]
    )
    dst = np.concatenate([staff, staff, cust + 2, fb_cust + 2, c_dst + n + 2])
    m = len(src)
    # per-edge columns in the concatenation order above: what is handed over,
    # and whether the service is non-blocking (blocking=True is the default)
    n_fb = len(fb_sup)
    hr_code, it_code, fb_code = len(units.team_names) + np.arange(3)
    deliverable = np.concatenate(
        [
            np.full(n, hr_code),
            np.full(n, it_code),
            units.team[sup],
            np.full(n_fb, fb_code),
            units.team[c_sup],
        ]
    )
    open_tie = np.concatenate(
        [
            np.ones(n, bool),
            rng.random(n) >= 0.5,
            ~blocking,
            np.ones(n_fb, bool),
            np.zeros(len(c_sup), bool),
        ]
    )
    volume = np.round(rng.lognormal(0.0, 1.2, m), 2)
    lead = np.round(rng.lognormal(-1.5, 0.6, m), 2)
    hr_load, it_load = volume[:n].sum(), volume[n : 2 * n].sum()
    order = np.lexsort((dst, src))
    labels = [*(f"{t} output" for t in units.team_names), "HR services", "IT support", "feedback"]
    data = [
        {"deliverable": labels[d], "volume": v, "lead_time": t}
        for d, v, t in zip(
            deliverable[order].tolist(), volume[order].tolist(), lead[order].tolist(), strict=True
        )
    ]
    for k in np.flatnonzero(open_tie[order]).tolist():
        data[k]["blocking"] = False
    people = [f"p{i}" for i in range(n)]
    customers = [f"customer {c + 1}" for c in range(n_cust)]
    emp_names = [e for e, _ in _EMPLOYMENT]
    emp = rng.choice(len(emp_names), size=n, p=[p for _, p in _EMPLOYMENT]).tolist()
    work: list[Any] = np.round(rng.lognormal(0.0, 0.5, n), 2).tolist()
    for i in np.flatnonzero(rng.random(n) < shares["uncertain_work"]).tolist():
        w = work[i]
        work[i] = PERT(0.5 * w, w, 2.5 * w)
    for k in np.flatnonzero(rng.random(m) < shares["uncertain_lead_time"]).tolist():
        t = data[k]["lead_time"]
        data[k]["lead_time"] = Triangular(0.5 * t, t, 3 * t)
    servers = max(1, n // 200)

    G = nx.DiGraph(name=f"synthetic organisation of {n} people", time_unit="day")
    for name, work_time, load in (("HR", 1.0, hr_load), ("IT", 0.5, it_load)):
        G.add_node(
            name,
            kind="department",
            unit=name,
            department=name,
            work=work_time,
            servers=servers,
            capacity=round(float(load) / servers / 0.85, 2),
        )
    G.add_nodes_from(
        (
            p,
            {
                "kind": "person",
                "unit": units.team_names[t],
                "department": units.dept_names[d],
                "employment": emp_names[e],
                "work": w,
            },
        )
        for p, t, d, e, w in zip(
            people, units.team.tolist(), units.dept.tolist(), emp, work, strict=True
        )
    )
    due = 4.0 * units.n_stages + 2.0  # a little above the typical finish at the mode
    G.add_nodes_from((c, {"kind": "external", "due": due}) for c in customers)
    _fill_adjacency(G, ["HR", "IT", *people, *customers], src[order], dst[order], data)
    return G
