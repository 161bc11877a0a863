"""`validate`: check a whole organisation against the schema at once."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import networkx as nx

from intcust._params import check_graph
from intcust.errors import CycleError, SchemaError, cycle_message, quote
from intcust.graph.attribute_names import name_problem
from intcust.graph.duration_parsing import duration_problems, real_value
from intcust.graph.schema import (
    DURATION_ATTRS,
    EDGE_DEFAULTS,
    EMPLOYMENT,
    GRAPH_ATTRS,
    KINDS,
    MAX_LAG,
    MAX_NUMBER,
    MAX_SERVERS,
    NODE_DEFAULTS,
    SERVICES,
    is_blocking,
)

__all__ = [
    "blocking_cycle",
    "edge_problems",
    "graph_problems",
    "node_problems",
    "schema_problems",
    "service_problems",
    "validate",
]

Check = Callable[[Any, str], "str | None"]
#: A place in messages, or a function that gives it (so it is built only for a problem).
Owner = str | Callable[[], str]


def _choice(options: tuple[str, ...]) -> Check:
    def check(x: Any, where: str) -> str | None:
        if isinstance(x, str) and x in options:
            return None
        return f"{where} must be one of {list(options)}; got {quote(x)}"

    return check


def _in_range(x: Any, low: float, strict: bool, high: float) -> bool:
    v = real_value(x)
    return v is not None and (v > low if strict else v >= low) and v <= high


def _nonneg(x: Any, where: str) -> str | None:
    if _in_range(x, 0, False, MAX_NUMBER):
        return None
    return f"{where} must be a number from 0 to {MAX_NUMBER:g}; got {quote(x)}"


def _positive(x: Any, where: str) -> str | None:
    if _in_range(x, 0, True, MAX_NUMBER):
        return None
    return f"{where} must be a number > 0 and <= {MAX_NUMBER:g}; got {quote(x)}"


def _unit_interval(x: Any, where: str) -> str | None:
    if _in_range(x, 0, False, 1):
        return None
    return f"{where} must be a number in [0, 1]; got {quote(x)}"


def _int_in(low: int, high: int) -> Check:
    def check(x: Any, where: str) -> str | None:
        if isinstance(x, numbers.Integral) and not isinstance(x, bool) and low <= int(x) <= high:
            return None
        return f"{where} must be an int from {low} to {high}; got {quote(x)}"

    return check


def _text(x: Any, where: str) -> str | None:
    return None if isinstance(x, str) else f"{where} must be a str; got {quote(x)}"


def _label(x: Any, where: str) -> str | None:
    if isinstance(x, str | int) and not isinstance(x, bool):
        return None
    return f"{where} must be a str or an int label; got {quote(x)}"


def _bool(x: Any, where: str) -> str | None:
    return None if isinstance(x, bool) else f"{where} must be True or False; got {quote(x)}"


def _duration(x: Any, where: str) -> str | None:
    problems = duration_problems(x, where)
    return "; ".join(problems) if problems else None


NODE_CHECKS: dict[str, Check] = {
    "kind": _choice(KINDS),
    "unit": _label,
    "employment": _choice(EMPLOYMENT),
    "role": _text,
    "work": _duration,
    "start": _nonneg,
    "due": _nonneg,
    "capacity": _positive,
    "servers": _int_in(1, MAX_SERVERS),
    "buffer": _nonneg,
}

EDGE_CHECKS: dict[str, Check] = {
    "deliverable": _label,
    "lead_time": _duration,
    "volume": _nonneg,
    "sla": _nonneg,
    "satisfaction": _unit_interval,
    "blocking": _bool,
    "lag": _int_in(0, MAX_LAG),
}

GRAPH_CHECKS: dict[str, Check] = {
    "name": _text,
    "time_unit": _text,
    "period": _positive,
}

_NODE_NAMES = tuple(NODE_DEFAULTS)
_EDGE_NAMES = (*EDGE_DEFAULTS, SERVICES)


def _attributes(
    data: Mapping[Any, Any],
    checks: Mapping[str, Check],
    names: tuple[str, ...],
    durations: tuple[str, ...],
    owner: Owner,
) -> list[str]:
    """The problems of one attribute mapping: values of schema names, near-miss names.

    Each check runs first without a place; only a failing value gets its message
    with the place (`owner` may be a function, called only then).
    """
    out = []
    for name, value in data.items():
        check = checks.get(name) if isinstance(name, str) else None
        if check is not None:
            if value is not None and check(value, "") is not None:
                out.append(check(value, f"{name} of {_place(owner)}") or "")
        else:
            near = name_problem(name, names, durations)
            if near:
                out.append(f"attribute {quote(name)} of {_place(owner)} {near}")
    return out


def _place(owner: Owner) -> str:
    return owner if isinstance(owner, str) else owner()


def node_problems(node: Hashable, data: Mapping[Any, Any]) -> list[str]:
    """The schema problems of one node's attributes."""
    return _attributes(
        data, NODE_CHECKS, _NODE_NAMES, DURATION_ATTRS["node"], lambda: f"node {quote(node)}"
    )


def edge_problems(u: Hashable, v: Hashable, data: Mapping[Any, Any]) -> list[str]:
    """The schema problems of one edge's attributes (and of each of its services)."""
    if data.get(SERVICES) is not None:
        return _services_problems(u, v, data)
    return service_problems(data, lambda: f"edge {quote((u, v))}")


def service_problems(data: Mapping[Any, Any], where: Owner) -> list[str]:
    """The schema problems of one service's attributes; `where` names the service
    (a str, or a function giving it, called only when there is a problem)."""
    return _attributes(data, EDGE_CHECKS, _EDGE_NAMES, DURATION_ATTRS["edge"], where)


def _services_problems(u: Hashable, v: Hashable, data: Mapping[Any, Any]) -> list[str]:
    """Problems of an edge with a `services` list: each service, and the list itself."""
    edge = f"edge {quote((u, v))}"
    services = data[SERVICES]
    if not isinstance(services, list | tuple):
        return [f"{SERVICES} of {edge} must be a list of service mappings; got {quote(services)}"]
    out = [
        f"{name} of {edge} must be given per service when the edge lists {SERVICES}; "
        f"got {quote(data[name])} on the edge itself"
        for name in EDGE_DEFAULTS
        if data.get(name) is not None
    ]
    own = {k: v for k, v in data.items() if k != SERVICES and k not in EDGE_DEFAULTS}
    out += service_problems(own, edge)
    if not services:
        out.append(f"{SERVICES} of {edge} must list at least one service; got []")
    seen: set[Any] = set()
    for i, service in enumerate(services):
        where = f"service {i} of {edge}"
        if not isinstance(service, Mapping):
            out.append(f"{where} must be a mapping of service attributes; got {quote(service)}")
            continue
        deliverable = service.get("deliverable")
        if deliverable is None:
            out.append(
                f"deliverable of {where} must be named: several services of one supplier "
                "to one customer are told apart by their deliverable"
            )
        elif _label(deliverable, "") is None:
            if deliverable in seen:
                out.append(f"deliverable of {where} repeats {quote(deliverable)}")
            seen.add(deliverable)
        if SERVICES in service:
            out.append(f"{where} must not list {SERVICES} of its own")
        out += service_problems(service, where)
    return out


def graph_problems(attrs: Mapping[Any, Any], where: str = "graph attribute") -> list[str]:
    """The schema problems of the graph attributes."""
    out = []
    for name, value in attrs.items():
        check = GRAPH_CHECKS.get(name) if isinstance(name, str) else None
        if check is not None:
            problem = None if value is None else check(value, f"{where} {name}")
            if problem:
                out.append(problem)
        elif name not in GRAPH_ATTRS:
            near = name_problem(name, GRAPH_ATTRS)
            if near:
                out.append(f"{where} {quote(name)} {near}")
    return out


def blocking_cycle(G: nx.DiGraph) -> list[Hashable] | None:
    """One cycle of blocking, lag-0 edges in order, or None when there is none."""
    gating = nx.DiGraph()
    gating.add_edges_from((u, v) for u, v, d in G.edges(data=True) if is_blocking(d))
    if nx.is_directed_acyclic_graph(gating):
        return None
    return [u for u, _ in nx.find_cycle(gating)]


def schema_problems(G: nx.DiGraph) -> list[str]:
    """Every schema problem of `G` except cycles, as messages."""
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        return [f"an organisation must be a networkx.DiGraph; got {type(G).__name__}"]
    problems = graph_problems(G.graph)
    for node, data in G.nodes(data=True):
        problems += node_problems(node, data)
    for u, v, data in G.edges(data=True):
        problems += edge_problems(u, v, data)
    return problems


def validate(G: nx.DiGraph) -> None:
    """Check an organisation against the schema; quiet when it is valid.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation; ``u -> v`` means u supplies v.

    Raises
    ------
    SchemaError
        Listing every problem, each naming the node or edge, the attribute,
        what was expected and what was given (values quoted in short). An
        attribute whose name is a near miss of a schema attribute (``Volume``,
        ``lead time``, ``work_low``) is a problem too, with the right spelling.
    CycleError
        When blocking edges with ``lag == 0`` form a cycle; it names the
        cycle's nodes in order, and lists any other problems too.

    Notes
    -----
    Numbers are bounded so that no computation overflows: numeric attributes
    and durations at most ``1e15`` (`intcust.graph.schema.MAX_NUMBER`),
    ``lag`` at most 1000 and ``servers`` at most 100,000.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> ic.validate(G)
    >>> G.nodes["designer"]["kind"] = "robot"
    >>> ic.validate(G)
    Traceback (most recent call last):
    ...
    intcust.errors.SchemaError: kind of node 'designer' must be one of ['person', 'team', 'department', 'external']; got 'robot'
    """
    check_graph(G, func="validate")
    problems = schema_problems(G)
    if isinstance(G, nx.DiGraph) and not G.is_multigraph():
        cycle = blocking_cycle(G)
        if cycle is not None:
            raise CycleError(cycle, problems=[cycle_message(cycle), *problems])
    if problems:
        raise SchemaError(problems)
