"""`validate`: check a whole organisation against the schema at once."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import networkx as nx

from intcust._params import check_graph
from intcust.errors import CycleError, SchemaError, cycle_message
from intcust.graph.duration_parsing import duration_problems
from intcust.graph.schema import EDGE_DEFAULTS, EMPLOYMENT, KINDS, SERVICES, is_blocking

__all__ = ["blocking_cycle", "schema_problems", "validate"]

Check = Callable[[Any, str], "str | None"]


def _number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)


def _choice(options: tuple[str, ...]) -> Check:
    def check(x: Any, where: str) -> str | None:
        if isinstance(x, str) and x in options:
            return None
        return f"{where} must be one of {list(options)}; got {x!r}"

    return check


def _nonneg(x: Any, where: str) -> str | None:
    return None if _number(x) and x >= 0 else f"{where} must be a finite number >= 0; got {x!r}"


def _positive(x: Any, where: str) -> str | None:
    return None if _number(x) and x > 0 else f"{where} must be a finite number > 0; got {x!r}"


def _unit_interval(x: Any, where: str) -> str | None:
    if _number(x) and 0 <= x <= 1:
        return None
    return f"{where} must be a number in [0, 1]; got {x!r}"


def _int_at_least(low: int) -> Check:
    def check(x: Any, where: str) -> str | None:
        if isinstance(x, numbers.Integral) and not isinstance(x, bool) and int(x) >= low:
            return None
        return f"{where} must be an int >= {low}; got {x!r}"

    return check


def _text(x: Any, where: str) -> str | None:
    return None if isinstance(x, str) else f"{where} must be a str; got {x!r}"


def _label(x: Any, where: str) -> str | None:
    if isinstance(x, str | int) and not isinstance(x, bool):
        return None
    return f"{where} must be a str or an int label; got {x!r}"


def _bool(x: Any, where: str) -> str | None:
    return None if isinstance(x, bool) else f"{where} must be True or False; got {x!r}"


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
    "servers": _int_at_least(1),
    "buffer": _nonneg,
}

EDGE_CHECKS: dict[str, Check] = {
    "deliverable": _label,
    "lead_time": _duration,
    "volume": _nonneg,
    "sla": _nonneg,
    "satisfaction": _unit_interval,
    "blocking": _bool,
    "lag": _int_at_least(0),
}

GRAPH_CHECKS: dict[str, Check] = {
    "name": _text,
    "time_unit": _text,
    "period": _positive,
}


def node_problems(node: Hashable, data: dict[str, Any]) -> list[str]:
    """The schema problems of one node's attributes."""
    out = []
    for name, value in data.items():
        check = NODE_CHECKS.get(name)
        if check is not None and value is not None:
            problem = check(value, f"{name} of node {node!r}")
            if problem:
                out.append(problem)
    return out


def edge_problems(u: Hashable, v: Hashable, data: dict[str, Any]) -> list[str]:
    """The schema problems of one edge's attributes (and of each of its services)."""
    if data.get(SERVICES) is not None:
        return _services_problems(u, v, data)
    return _service_problems(data, f"edge {(u, v)!r}")


def _service_problems(data: Mapping[str, Any], where: str) -> list[str]:
    out = []
    for name, value in data.items():
        check = EDGE_CHECKS.get(name)
        if check is not None and value is not None:
            problem = check(value, f"{name} of {where}")
            if problem:
                out.append(problem)
    return out


def _services_problems(u: Hashable, v: Hashable, data: dict[str, Any]) -> list[str]:
    """Problems of an edge with a `services` list: each service, and the list itself."""
    edge = f"edge {(u, v)!r}"
    services = data[SERVICES]
    if isinstance(services, str | bytes | Mapping) or not isinstance(services, Sequence):
        return [f"{SERVICES} of {edge} must be a list of service mappings; got {services!r}"]
    out = [
        f"{name} of {edge} must be given per service when the edge lists {SERVICES}; "
        f"got {data[name]!r} on the edge itself"
        for name in EDGE_DEFAULTS
        if data.get(name) is not None
    ]
    if not services:
        out.append(f"{SERVICES} of {edge} must list at least one service; got []")
    seen: set[Any] = set()
    for i, service in enumerate(services):
        where = f"service {i} of {edge}"
        if not isinstance(service, Mapping):
            out.append(f"{where} must be a mapping of service attributes; got {service!r}")
            continue
        deliverable = service.get("deliverable")
        if deliverable is None:
            out.append(
                f"deliverable of {where} must be named: several services of one supplier "
                "to one customer are told apart by their deliverable"
            )
        elif _label(deliverable, "") is None:
            if deliverable in seen:
                out.append(f"deliverable of {where} repeats {deliverable!r}")
            seen.add(deliverable)
        out += _service_problems(service, where)
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
    problems = []
    for name, check in GRAPH_CHECKS.items():
        value = G.graph.get(name)
        if value is not None:
            problem = check(value, f"graph attribute {name}")
            if problem:
                problems.append(problem)
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
        what was expected and what was given.
    CycleError
        When blocking edges with ``lag == 0`` form a cycle; it names the
        cycle's nodes in order, and lists any other problems too.

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
