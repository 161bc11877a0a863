"""The JSON-ready data of the interactive map: nodes, services, metrics, all in columns.

Columns (one list per field, indexed by node or service) keep a map of
thousands of nodes small. Every value is finite or None, except the strings
``"inf"`` and ``"-inf"`` for unbounded metrics, so the payload passes
``json.dumps(..., allow_nan=False)``. Nothing here computes a metric: the
numbers come from the caller, the positions from `intcust.plot.layout`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from intcust.errors import ParameterError, UnknownNodeError
from intcust.graph.schema import edge_services, is_blocking
from intcust.plot import style
from intcust.plot.layout import layer_layout, ring_layout, unit_layout, wrap_layers
from intcust.results import NodeScores, NodeTable

if TYPE_CHECKING:
    from intcust import BottleneckReport

__all__ = ["Metric", "build", "read_metrics"]

_FUNC = "explore"
#: pixels between sub-columns of the layered map (layers are 1.6 apart)
_COLUMN = 100.0
#: fewest and most pixels between rows of the layered map
_ROW = (40.0, 90.0)
#: pixels per layout unit of the unit clusters
_CLUSTER_SCALE = 60.0


@dataclass(frozen=True)
class Metric:
    """One column the map shows per node: numbers (colourable) or text."""

    name: str
    values: Mapping[Hashable, Any]
    description: str = ""
    numeric: bool = True


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _from_table(table: NodeTable, prefix: str) -> list[Metric]:
    out = []
    for col in table.columns:
        values = {n: table[n][col] for n in table}
        numeric = all(v is None or _is_number(v) for v in values.values())
        name = f"{prefix}{col.replace('_', ' ')}"
        out.append(Metric(name, values, table.description, numeric))
    return out


def _one(value: object, name: str | None) -> list[Metric]:
    if isinstance(value, NodeTable):
        return _from_table(value, f"{name}: " if name else "")
    if isinstance(value, NodeScores):
        return [Metric(name or value.name.replace("_", " "), value, value.description)]
    if isinstance(value, Mapping):
        if value and all(isinstance(v, Mapping) for v in value.values()) and name is None:
            return [m for key, v in value.items() for m in _one(v, str(key))]
        return [Metric(name or "metric", value)]
    raise ParameterError(
        f"The 'metrics' parameter of {_FUNC} must be a NodeScores, a NodeTable, a mapping of "
        f"name to NodeScores, or a list of those; got {type(value).__name__}."
    )


def read_metrics(G: nx.DiGraph, metrics: object) -> list[Metric]:
    """Check `metrics` (see `explore`) against `G`; one `Metric` per column, names made unique."""
    if metrics is None:
        return []
    items: Sequence[object] = metrics if isinstance(metrics, list | tuple) else [metrics]
    found = [m for item in items for m in _one(item, None)]
    seen: dict[str, int] = {}
    out = []
    for m in found:
        for node, v in m.values.items():
            if node not in G:
                raise UnknownNodeError(
                    f"The 'metrics' parameter of {_FUNC} must give values for nodes of the "
                    f"organisation; {m.name!r} has {node!r}."
                )
            if m.numeric and v is not None and math.isnan(float(v)):
                raise ParameterError(
                    f"The 'metrics' parameter of {_FUNC} must hold numbers, infinity or None; "
                    f"{m.name!r} has NaN for {node!r}."
                )
        seen[m.name] = seen.get(m.name, 0) + 1
        name = m.name if seen[m.name] == 1 else f"{m.name} ({seen[m.name]})"
        out.append(Metric(name, m.values, m.description, m.numeric))
    return out


def _json_number(x: Any) -> Any:
    if x is None:
        return None
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x if x != int(x) or abs(x) >= 2**53 else int(x)


def duration_text(value: Any, time_unit: str) -> str | None:
    """A duration attribute in words: ``"2 days"``, ``"triangular: mode 2, mean 2.67 days"``."""
    if value is None:
        return None
    if _is_number(value):
        return style.quantity(float(value), time_unit)
    from intcust.sim import as_duration

    try:
        d = as_duration(value)
    except Exception:  # a value the schema rejects is shown as given
        return str(value)
    if d.dist == "fixed":
        return style.quantity(float(d.mean), time_unit)
    mean = style.quantity(float(d.mean), time_unit)
    return f"{d.dist}: mode {style.number(float(d.mode))}, mean {mean}"


def _positions(G: nx.DiGraph, layout: str, level: str) -> dict[Hashable, tuple[float, float]]:
    if level == "unit":
        pos = ring_layout(G)
        radius = max(220.0, 45.0 * G.number_of_nodes() / math.pi)
        return {v: (x * radius, -y * radius) for v, (x, y) in pos.items()}
    if layout == "units":
        pos, _ = unit_layout(G)
        return {v: (x * _CLUSTER_SCALE, -y * _CLUSTER_SCALE) for v, (x, y) in pos.items()}
    pos = wrap_layers(layer_layout(G))
    width = _COLUMN * max((x for x, _ in pos.values()), default=0.0)
    rows = 2 * max((y for _, y in pos.values()), default=0.0) + 1
    # rows spread out until the map is about as wide as a screen is high
    pitch = min(max(_ROW[0], width / 1.5 / rows), _ROW[1])
    return {v: (x * _COLUMN, 2 * y * pitch) for v, (x, y) in pos.items()}


def _fields(G: nx.DiGraph, nodes: list[Hashable], level: str) -> list[dict[str, Any]]:
    time_unit = str(G.graph.get("time_unit") or "")
    attrs = [G.nodes[v] for v in nodes]
    if level == "unit":
        columns = {
            "members": [_json_number(a.get("size")) for a in attrs],
            "volume within": [style.number(a.get("internal_volume") or 0.0) for a in attrs],
            "kind": [a.get("kind") if a.get("kind") != "department" else None for a in attrs],
        }
    else:
        columns = {
            "unit": [a.get("unit") for a in attrs],
            "kind": [a.get("kind", "person") for a in attrs],
            "employment": [a.get("employment") for a in attrs],
            "role": [a.get("role") for a in attrs],
            "work": [duration_text(a.get("work"), time_unit) for a in attrs],
            "due": [
                None if a.get("due") is None else style.quantity(float(a["due"]), time_unit)
                for a in attrs
            ],
        }
    return [
        {"label": label, "values": [None if v is None else str(v) for v in values]}
        for label, values in columns.items()
        if any(v is not None for v in values)
    ]


def _edges(G: nx.DiGraph, index: Mapping[Hashable, int]) -> tuple[dict[str, list[Any]], list[str]]:
    s, t, v, soft, d = [], [], [], [], []
    deliverables: dict[str, int] = {}
    for k, (a, b, data) in enumerate(G.edges(data=True)):
        s.append(index[a])
        t.append(index[b])
        v.append(_json_number(style.tie_volume(data)))
        gates = (
            bool(data["blocking_services"]) if "blocking_services" in data else is_blocking(data)
        )
        if not gates:
            soft.append(k)
        # what the tie carries: its deliverables, or a unit-level tie's list of them
        named = [
            x.get("deliverable") for x in edge_services(data) if x.get("deliverable") is not None
        ]
        named = named or list(data.get("deliverables") or [])
        name = (
            ", ".join(map(str, named[:3])) + (", …" if len(named) > 3 else "") if named else None
        )
        d.append(-1 if name is None else deliverables.setdefault(name, len(deliverables)))
    volumes = [float(x) for x in v]
    top = math.log1p(max(volumes, default=1.0)) or 1.0
    w = [round(0.6 + 3.4 * math.log1p(x) / top, 2) for x in volumes]
    return {"s": s, "t": t, "v": v, "w": w, "soft": soft, "d": d}, list(deliverables)


def _bottlenecks(report: BottleneckReport | None, index: Mapping[Hashable, int]) -> dict[str, Any]:
    if report is None:
        return {}
    return {
        str(index[row.node]): {
            "rank": rank,
            "score": row.score,
            "reasons": [style.plurals(r) for r in row.reasons],
        }
        for rank, row in enumerate(report.rows, 1)
        if row.node in index
    }


def build(
    G: nx.DiGraph,
    *,
    metrics: list[Metric],
    color_by: int,
    bottlenecks: BottleneckReport | None,
    layout: str,
    level: str,
    title: str,
    note: str,
) -> dict[str, Any]:
    """The payload of the map of `G` (a person- or unit-level organisation)."""
    nodes = list(G.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    pos = _positions(G, layout, level)
    kinds = [str(G.nodes[v].get("kind", "person")) for v in nodes]
    if level == "unit":
        unit_of: list[Hashable] = [
            v if k in ("team", "department") else None for v, k in zip(nodes, kinds, strict=True)
        ]
        kinds = ["unit" if u is not None else k for u, k in zip(unit_of, kinds, strict=True)]
    else:
        unit_of = [G.nodes[v].get("unit") for v in nodes]
    units = list(
        dict.fromkeys(
            u for u, k in zip(unit_of, kinds, strict=True) if u is not None and k != "external"
        )
    )
    code = {u: i for i, u in enumerate(units)}
    payload: dict[str, Any] = {
        "title": title,
        "note": note,
        "level": level,
        "units": [str(u) for u in units],
        "unitColors": list(style.unit_colors(units).values()),
        "colors": {
            "noUnit": style.NO_UNIT,
            "external": style.EXTERNAL,
            "noValue": "#d9d9d9",
            "viridis": list(style.VIRIDIS),
        },
        "nodes": {
            "name": [str(v) for v in nodes],
            "kind": kinds,
            "unit": [
                code[u] if u is not None and k != "external" else -1
                for u, k in zip(unit_of, kinds, strict=True)
            ],
            "x": [round(pos[v][0], 1) for v in nodes],
            "y": [round(pos[v][1], 1) for v in nodes],
        },
        "fields": _fields(G, nodes, level),
        "metrics": [
            {
                "name": m.name,
                "description": m.description,
                "values": [_json_number(m.values.get(v)) for v in nodes],
            }
            for m in metrics
            if m.numeric
        ],
        "texts": [
            {"name": m.name, "values": [_text(m.values.get(v)) for v in nodes]}
            for m in metrics
            if not m.numeric
        ],
        "bottlenecks": _bottlenecks(bottlenecks, index),
        "colorBy": color_by,
    }
    if level == "unit":
        members = [int(G.nodes[v].get("size", 1) or 1) for v in nodes]
        payload["nodes"]["size"] = [
            round(min(90.0, 16.0 + 8.0 * math.sqrt(m)), 1) for m in members
        ]
        payload["nodes"]["members"] = members  # the unit list counts people, not nodes
    payload["edges"], payload["deliverables"] = _edges(G, index)
    return payload


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return style.number(value) if math.isfinite(value) else str(value)
    return str(value)
