"""Feedback: survey ratings of internal services, and where the experience breaks down.

`read_survey` turns records ``(customer, supplier, score, date)`` into
``satisfaction`` values in [0, 1] with a stated policy for services nobody
rated. `breakdown_points` starts from a customer (a paying one, or an
unhappy internal one) and traces its supply chain upstream, scoring each
supplier by the dissatisfaction and lateness it passes downstream.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust._params import check_choice, check_graph, check_node, parameter_error
from intcust.errors import ParameterError, SchemaError
from intcust.graph.schema import edge_services, is_blocking
from intcust.metrics._network import person_level
from intcust.metrics.service.sla import compliance
from intcust.results import NodeTable, html_table, json_ready

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NONRESPONDENT", "Breakdown", "Survey", "breakdown_points", "read_survey"]

Edge = tuple[Hashable, Hashable]
#: Policies for services of the organisation that no survey record rates.
NONRESPONDENT = ("ignore", "reciprocal", "impute")


@dataclass(frozen=True)
class Survey:
    """Satisfaction per service from survey records (see `read_survey`)."""

    ratings: dict[Edge, float]  #: (supplier, customer) -> satisfaction in [0, 1]
    source: dict[Edge, str]  #: "reported", "reciprocal" or "imputed"
    nonrespondent: str
    unrated: tuple[Edge, ...] = ()  #: services of the organisation left without a rating

    def apply(self, G: nx.DiGraph) -> nx.DiGraph:
        """A copy of `G` with ``satisfaction`` set on every rated service.

        Raises
        ------
        SchemaError
            If a rating names a pair that is not a service of `G` (all listed).
        """
        missing = [
            f"survey rates {e!r}, which is not a service"
            for e in self.ratings
            if not G.has_edge(*e)
        ]
        if missing:
            raise SchemaError(missing)
        H = G.copy()
        for (u, v), s in self.ratings.items():
            H.edges[u, v]["satisfaction"] = s
        return H

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON: one record per rated service, and the unrated ones."""
        data: dict[str, Any] = json_ready(
            {
                "nonrespondent": self.nonrespondent,
                "ratings": [
                    {
                        "supplier": u,
                        "customer": v,
                        "satisfaction": s,
                        "source": self.source[(u, v)],
                    }
                    for (u, v), s in self.ratings.items()
                ],
                "unrated": [{"supplier": u, "customer": v} for u, v in self.unrated],
            }
        )
        return data

    def to_frame(self) -> pd.DataFrame:
        """One row per rated service: supplier, customer, satisfaction, source."""
        import pandas as pd

        rows = [(u, v, s, self.source[(u, v)]) for (u, v), s in self.ratings.items()]
        return pd.DataFrame(rows, columns=["supplier", "customer", "satisfaction", "source"])


def _records(records: object) -> list[tuple[Any, Any, Any, Any]]:
    try:
        import pandas as pd

        if isinstance(records, pd.DataFrame):
            absent = [c for c in ("customer", "supplier", "score") if c not in records.columns]
            if absent:
                raise ParameterError(
                    f"The 'records' parameter of read_survey must have columns customer, "
                    f"supplier, score[, date]; missing {absent!r}."
                )
            date = records["date"] if "date" in records.columns else [None] * len(records)
            return list(
                zip(records["customer"], records["supplier"], records["score"], date, strict=True)
            )
    except ImportError:  # pragma: no cover
        pass
    if not isinstance(records, Iterable) or isinstance(records, str | bytes):
        raise ParameterError(
            f"The 'records' parameter of read_survey must be a DataFrame or records; got {type(records).__name__}."
        )
    out = []
    for i, rec in enumerate(records):
        if isinstance(rec, Mapping):
            try:
                out.append((rec["customer"], rec["supplier"], rec["score"], rec.get("date")))
            except KeyError as err:
                raise ParameterError(f"Record {i} of read_survey lacks {err.args[0]!r}.") from None
        elif isinstance(rec, tuple | list) and len(rec) in (3, 4):
            out.append((rec[0], rec[1], rec[2], rec[3] if len(rec) == 4 else None))
        else:
            raise ParameterError(
                f"Record {i} of read_survey must be (customer, supplier, score[, date]) or a mapping; got {rec!r}."
            )
    return out


def read_survey(
    records: pd.DataFrame | Iterable[Any],
    *,
    G: nx.DiGraph | None = None,
    nonrespondent: str = "ignore",
    scale: tuple[float, float] = (1.0, 5.0),
) -> Survey:
    """Satisfaction ratings from survey records, with a policy for non-response.

    Parameters
    ----------
    records : DataFrame or iterable
        Rows ``(customer, supplier, score[, date])`` (tuples, mappings, or a
        DataFrame with those columns): the customer rates its supplier.
    G : networkx.DiGraph, optional
        The organisation: its services without a rating are the non-responses.
        Needed for ``"reciprocal"`` and ``"impute"``.
    nonrespondent : {"ignore", "reciprocal", "impute"}, optional
        ``"ignore"`` leaves unrated services unrated (their ties and the
        customer's other answers stay); ``"reciprocal"`` takes the other side's
        answer: the rating the supplier gave the customer on the reverse
        service; ``"impute"`` takes the mean rating the supplier received from
        its other customers (the overall mean if it received none).
    scale : (low, high), optional
        The score range, mapped linearly onto [0, 1].

    Returns
    -------
    Survey
        ``ratings`` and ``source`` per (supplier, customer), ``unrated``.

    Raises
    ------
    ParameterError
        If a record is malformed or a score is outside `scale`.

    Notes
    -----
    Several records for one pair: the latest date counts (records of that
    date, or all when undated, are averaged). Smith, Morgan & Moody (2021)
    compare treatments of missing network data: listwise deletion (dropping
    non-respondents altogether) is almost always the worst, while the best
    alternative depends on the network, the measure and the missing-data
    type; hence no listwise option here, and the choice is the caller's.

    References
    ----------
    .. [1] Smith, J. A., Morgan, J. H., & Moody, J. (2021). Network sampling
       coverage III: Imputation of missing network data under different network
       and missing data conditions. Social Networks 68, 148-178.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_service(G, "it", "sales"); ic.add_service(G, "sales", "it")
    >>> ic.add_service(G, "it", "hr")
    >>> s = ic.metrics.read_survey([("sales", "it", 4), ("hr", "it", 2)], G=G, nonrespondent="reciprocal")
    >>> s.ratings
    {('it', 'sales'): 0.75, ('it', 'hr'): 0.25, ('sales', 'it'): 0.75}
    >>> s.source[("sales", "it")]
    'reciprocal'
    """
    nonrespondent = check_choice(
        nonrespondent, NONRESPONDENT, func="read_survey", param="nonrespondent"
    )
    try:
        lo, hi = (float(x) for x in scale)
    except (TypeError, ValueError):
        lo, hi = math.nan, math.nan
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise parameter_error("read_survey", "scale", "(low, high) with low < high", scale)
    if G is not None:
        check_graph(G, func="read_survey")
    if nonrespondent != "ignore" and G is None:
        raise ParameterError(
            f"The 'G' parameter of read_survey is needed for nonrespondent={nonrespondent!r}."
        )
    latest: dict[Edge, tuple[Any, list[float]]] = {}
    for i, (cust, supp, score, date) in enumerate(_records(records)):
        if isinstance(score, bool) or not isinstance(score, int | float) or not lo <= score <= hi:
            raise ParameterError(
                f"Record {i} of read_survey: score must be a number in [{lo:g}, {hi:g}]; got {score!r}."
            )
        key = (supp, cust)
        value = (float(score) - lo) / (hi - lo)
        if key not in latest or (
            date is not None and latest[key][0] is not None and date > latest[key][0]
        ):
            latest[key] = (date, [value])
        elif date == latest[key][0] or date is None or latest[key][0] is None:
            latest[key][1].append(value)
    ratings = {k: sum(v) / len(v) for k, (_, v) in latest.items()}
    source = dict.fromkeys(ratings, "reported")
    unrated: list[Edge] = []
    if G is not None:
        reported = dict(ratings)
        overall = sum(reported.values()) / len(reported) if reported else None
        received: dict[Hashable, list[float]] = {}
        for (u, _), s in reported.items():
            received.setdefault(u, []).append(s)
        for u, v in G.edges:
            if (u, v) in reported:
                continue
            if nonrespondent == "reciprocal" and (v, u) in reported:
                ratings[(u, v)], source[(u, v)] = reported[(v, u)], "reciprocal"
            elif nonrespondent == "impute" and (received.get(u) or overall is not None):
                got = received.get(u)
                ratings[(u, v)] = sum(got) / len(got) if got else float(overall)  # type: ignore[arg-type]
                source[(u, v)] = "imputed"
            else:
                unrated.append((u, v))
    return Survey(ratings, source, nonrespondent, tuple(unrated))


@dataclass(frozen=True)
class Breakdown:
    """Where a customer's experience breaks down (see `breakdown_points`)."""

    customer: Hashable
    scores: NodeTable  #: per upstream supplier: flow, dissatisfaction, lateness, score
    worst: Hashable | None  #: the supplier passing most trouble downstream
    worst_service: Edge | None  #: the service carrying most of it
    chain: tuple[Hashable, ...]  #: from `worst` down to the customer, along the main flow
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON (see `intcust.results.json_ready`)."""
        data: dict[str, Any] = json_ready(
            {
                "customer": self.customer,
                "worst": self.worst,
                "worst_service": self.worst_service,
                "chain": self.chain,
                "scores": self.scores,
                "notes": self.notes,
            }
        )
        return data

    def __repr__(self) -> str:
        return f"Breakdown(customer={self.customer!r}, worst={self.worst!r}, chain={list(self.chain)!r})"

    def _repr_html_(self) -> str:
        order = sorted(self.scores.items(), key=lambda t: -t[1]["score"])
        rows = [[n, *(r[c] for c in self.scores.columns)] for n, r in order]
        return html_table(rows, ["supplier", *self.scores.columns], caption=repr(self))


def breakdown_points(G: nx.DiGraph, customer: Hashable, *, level: str = "person") -> Breakdown:
    """Trace a customer's supply chain upstream and find where it breaks.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    customer : node
        Where the experience ends: an external customer, or an unhappy
        internal one.
    level : {"person"}, optional
        Only ``"person"``: the unit level keeps no satisfaction or lead time.

    Returns
    -------
    Breakdown
        ``scores`` per upstream supplier (``flow``, ``dissatisfaction``,
        ``lateness``, ``score``), the ``worst`` supplier, the
        ``worst_service`` and the ``chain`` from it to the customer.

    Raises
    ------
    UnknownNodeError
        If `customer` is not a node.
    SchemaError, CycleError
        If an ``sla`` or ``lead_time`` is invalid, or blocking edges form a cycle.

    Notes
    -----
    The customer's demand is split upstream over the blocking edges (lag 0)
    in proportion to ``volume``: ``f(customer) = 1``, an edge u -> v carries
    ``f_uv = f(v) · vol_uv / Σ_w vol_wv`` and ``f(u) = Σ_v f_uv``, the share of
    the customer's supply that passes through u. A supplier's
    ``dissatisfaction`` is ``Σ_v f_uv (1 - satisfaction_uv)`` (unrated
    services count 0 and are noted), its ``lateness`` is ``Σ_v f_uv P(lead_uv
    > sla_uv)`` plus ``f(u)`` when the schedule gives it negative total float
    (it makes a due date missed), and ``score`` is their sum: the expected
    share of the customer's experience the supplier spoils.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_stakeholder(G, "client", kind="external")
    >>> ic.add_service(G, "design", "build", satisfaction=0.9)
    >>> ic.add_service(G, "build", "client", satisfaction=0.3)
    >>> b = ic.metrics.breakdown_points(G, "client")
    >>> b.worst, b.worst_service, b.chain
    ('build', ('build', 'client'), ('build', 'client'))
    """
    func = "breakdown_points"
    check_graph(G, func=func)
    person_level(level, func=func, why="the unit level keeps no satisfaction or lead time")
    check_node(G, customer, func=func, param="customer")
    gating = nx.DiGraph([(u, v, d) for u, v, d in G.edges(data=True) if is_blocking(d)])
    gating.add_node(customer)
    stream = nx.ancestors(gating, customer) | {customer}
    sub = gating.subgraph(stream)
    try:
        order = list(reversed(list(nx.topological_sort(sub))))
    except nx.NetworkXUnfeasible:
        from intcust.errors import CycleError

        cycle = [u for u, _ in nx.find_cycle(sub)]
        raise CycleError(cycle) from None
    met = compliance(G, func=func)
    flow = dict.fromkeys(stream, 0.0)
    flow[customer] = 1.0
    edge_flow: dict[Edge, float] = {}
    for v in order:
        preds = list(sub.predecessors(v))
        total = sum(_volume(sub.edges[u, v]) for u in preds)
        for u in preds:
            vol = _volume(sub.edges[u, v])
            share = vol / total if total > 0 else 1.0 / len(preds)
            edge_flow[(u, v)] = flow[v] * share
            flow[u] += flow[v] * share
    overdue = _overdue(G)
    notes: list[str] = []
    unrated = [e for e in edge_flow if _satisfaction(sub.edges[e]) is None]
    if unrated:
        notes.append(
            f"{len(unrated)} service(s) upstream have no satisfaction rating and count as satisfied"
        )
    if overdue is None:
        notes.append(
            "no schedule lateness: the organisation cannot be scheduled (see sim.schedule)"
        )
    rows: dict[Hashable, dict[str, float]] = {}
    trouble: dict[Edge, float] = {}
    for (u, v), f in edge_flow.items():
        sat = _satisfaction(sub.edges[u, v])
        dis = f * (1.0 - float(sat)) if sat is not None else 0.0
        late = f * (1.0 - met.get((u, v), 1.0))
        trouble[(u, v)] = dis + late
        row = rows.setdefault(
            u, {"flow": flow[u], "dissatisfaction": 0.0, "lateness": 0.0, "score": 0.0}
        )
        row["dissatisfaction"] += dis
        row["lateness"] += late
    for u, row in rows.items():
        if overdue is not None and u in overdue:
            row["lateness"] += flow[u]
        row["score"] = row["dissatisfaction"] + row["lateness"]
    table = NodeTable(
        rows,
        columns=("flow", "dissatisfaction", "lateness", "score"),
        name="breakdown",
        description=f"share of {customer!r}'s experience each supplier spoils (higher is worse)",
    )
    worst = max(rows, key=lambda n: rows[n]["score"], default=None)
    if worst is None or rows[worst]["score"] <= 0:
        return Breakdown(customer, table, None, None, (), tuple(notes))
    service = max((e for e in trouble if e[0] == worst), key=lambda e: trouble[e])
    chain = [worst, service[1]]
    while chain[-1] != customer:
        nxt = max(sub.successors(chain[-1]), key=lambda w: edge_flow[(chain[-1], w)])
        chain.append(nxt)
    return Breakdown(customer, table, worst, service, tuple(chain), tuple(notes))


def _volume(data: Mapping[str, Any]) -> float:
    """The volume of a tie: the sum over its services (each 1 when unset)."""
    return math.fsum(
        1.0 if s.get("volume") is None else float(s["volume"]) for s in edge_services(data)
    )


def _satisfaction(data: Mapping[str, Any]) -> float | None:
    """The rating of a tie: its rated services' mean, weighted by volume; None if unrated."""
    rated = [s for s in edge_services(data) if s.get("satisfaction") is not None]
    if not rated:
        return None
    weights = [1.0 if s.get("volume") is None else float(s["volume"]) for s in rated]
    total = math.fsum(weights)
    if total <= 0:
        weights, total = [1.0] * len(rated), float(len(rated))
    return (
        math.fsum(w * float(s["satisfaction"]) for w, s in zip(weights, rated, strict=True))
        / total
    )


def _overdue(G: nx.DiGraph) -> set[Hashable] | None:
    """Nodes with negative total float, or None when `G` cannot be scheduled."""
    from intcust.sim.cpm import schedule

    try:
        sch = schedule(G)
    except SchemaError:
        return None
    return {n for n, f in sch.total_float.items() if f < -1e-9}
