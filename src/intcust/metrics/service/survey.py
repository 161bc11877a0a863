"""Survey ratings of internal services, with a stated policy for services nobody rated.

`read_survey` turns records ``(customer, supplier, score, date)`` into
``satisfaction`` values in [0, 1]; `intcust.metrics.breakdown_points` then
traces where a customer's experience breaks down.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust._params import check_choice, check_graph, parameter_error
from intcust.errors import ParameterError, ReadError, SchemaError, quote
from intcust.results import json_ready

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NONRESPONDENT", "Survey", "check_rated_services", "read_survey"]

Edge = tuple[Hashable, Hashable]
#: Policies for services of the organisation that no survey record rates.
NONRESPONDENT = ("ignore", "reciprocal", "impute")
#: Records named in full when several rate services the organisation does not have.
_NAMED = 5


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


def check_rated_services(rated: Iterable[tuple[str, Hashable, Hashable]], G: nx.DiGraph) -> None:
    """Refuse survey records that rate a service `G` does not have.

    Parameters
    ----------
    rated : iterable of (place, supplier, customer)
        Each record's place in messages (``"record 3"``, ``"survey.csv, line
        5"``) and the service it rates.
    G : networkx.DiGraph
        The organisation.

    Raises
    ------
    ReadError
        Naming each such record (the first few, and how many in all), the
        service it rates and why it is none: a name that is no stakeholder,
        or two stakeholders without that hand-off.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.org_graph()
    >>> ic.add_service(G, "it", "sales")
    >>> check_rated_services([("record 0", "it", "sales"), ("record 1", "it", "hr")], G)
    Traceback (most recent call last):
    ...
    intcust.errors.ReadError: record 1 of the survey rates the service 'it' -> 'hr' (supplier -> customer), which the organisation does not have: 'hr' is not a stakeholder
    """
    unknown = []
    for place, supplier, customer in rated:
        why = _no_service(G, supplier, customer)
        if why is not None:
            unknown.append((place, f"{quote(supplier)} -> {quote(customer)}", why))
    if len(unknown) == 1:
        place, service, why = unknown[0]
        raise ReadError(
            f"{place} of the survey rates the service {service} (supplier -> customer), "
            f"which the organisation does not have: {why}"
        )
    if unknown:
        listed = "; ".join(f"{p}: {s} ({w})" for p, s, w in unknown[:_NAMED])
        more = len(unknown) - _NAMED
        raise ReadError(
            f"{len(unknown)} survey records rate services the organisation does not have "
            f"(supplier -> customer): {listed}" + (f"; and {more} more" if more > 0 else "")
        )


def _no_service(G: nx.DiGraph, supplier: Hashable, customer: Hashable) -> str | None:
    """Why ``supplier -> customer`` is no service of `G`, or None if it is one."""
    absent = []
    for name in (supplier, customer):
        try:
            present = name in G
        except TypeError:  # unhashable
            present = False
        if not present and name not in absent:
            absent.append(name)
    if len(absent) == 2:
        return f"{quote(absent[0])} and {quote(absent[1])} are not stakeholders"
    if absent:
        return f"{quote(absent[0])} is not a stakeholder"
    if G.has_edge(supplier, customer):
        return None
    return f"{quote(supplier)} does not supply {quote(customer)}"


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
        The organisation: its services without a rating are the non-responses,
        and every record must rate one of its services. Needed for
        ``"reciprocal"`` and ``"impute"``.
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
    ReadError
        If, given `G`, a record rates a service `G` does not have (see
        `check_rated_services`): no row is dropped silently.

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
    rows = _records(records)
    if G is not None:
        check_rated_services(((f"record {i}", r[1], r[0]) for i, r in enumerate(rows)), G)
    latest: dict[Edge, tuple[Any, list[float]]] = {}
    for i, (cust, supp, score, date) in enumerate(rows):
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
