"""Units and groups of nodes, as the metrics read them.

`at_level` gives the unit-level organisation (`rollup`) and `group_codes` the
groups of a node attribute, with external customers always in groups of
their own and one vocabulary for nodes without the attribute (`MISSING`).
Both are also imported from `intcust.metrics._network`, the reader of an
organisation that every metric shares.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from intcust._params import LEVELS, check_choice, check_graph, parameter_error
from intcust.errors import ParameterError
from intcust.graph.compiled import EXTERNAL, CompiledOrg
from intcust.graph.schema import KINDS
from intcust.graph.views import MISSING, lacking_error, rollup

if TYPE_CHECKING:
    from intcust.metrics._network import Graph, IntArray

__all__ = ["at_level", "group_codes"]


def at_level(G: Graph, level: str, *, func: str) -> Graph:
    """`G` itself at ``level="person"``, its unit-level rollup at ``level="unit"``."""
    check_graph(G, func=func, compiled=True)
    check_choice(level, LEVELS, func=func, param="level")
    if level == "person":
        return G
    if isinstance(G, CompiledOrg):
        raise ParameterError(
            f"The 'level' parameter of {func} must be 'person' for a compiled organisation "
            f"(compile rollup(G) for units); got {level!r}."
        )
    unit_graph: nx.DiGraph = rollup(G)
    return unit_graph


def group_codes(
    G: Graph, by: str, *, missing: str, func: str
) -> tuple[IntArray, IntArray, tuple[Hashable, ...]]:
    """Group the nodes of `G` by the node attribute `by`, as `rollup` does.

    External customers are always groups of their own, whatever their `by`.

    Parameters
    ----------
    missing : {"own", "drop", "raise"}
        What to do with a node that lacks `by` (or has it set to None): put
        it in a group of its own, labelled by its name; leave it out; or
        raise a `ParameterError` naming such nodes.

    Returns
    -------
    members : numpy.ndarray
        The ids (positions in node order) of the nodes taking part.
    codes : numpy.ndarray
        The group of each member, an index into `labels`.
    labels : tuple
        The group labels in first-seen order.
    """
    if not isinstance(by, str):
        raise parameter_error(func, "by", "the name of a node attribute (a str)", by)
    check_choice(missing, MISSING, func=func, param="missing")
    nodes = tuple(G.nodes)
    if isinstance(G, CompiledOrg):
        if by != "unit":
            raise parameter_error(func, "by", "'unit' for a compiled organisation", by)
        values: list[Any] = [None if u < 0 else G.units[u] for u in G.unit.tolist()]
        external = np.asarray(G.kind == EXTERNAL).tolist()
    else:
        data = list(G.nodes.values())
        values = [d.get(by) for d in data]
        external = [d.get("kind") == KINDS[EXTERNAL] for d in data]
    lacking = [
        n for n, g, ext in zip(nodes, values, external, strict=True) if g is None and not ext
    ]
    if lacking and missing == "raise":
        raise lacking_error(func, by, lacking, own="give each a group of its own")
    table: dict[Hashable, int] = {}
    members: list[int] = []
    codes: list[int] = []
    for i, (node, group, ext) in enumerate(zip(nodes, values, external, strict=True)):
        if ext or group is None:
            if not ext and missing == "drop":
                continue
            group = node
        try:
            code = table.setdefault(group, len(table))
        except TypeError:
            raise ParameterError(
                f"{by} of node {node!r} must be a hashable label for {func}; got {group!r}."
            ) from None
        members.append(i)
        codes.append(code)
    return np.asarray(members, dtype=np.int64), np.asarray(codes, dtype=np.int64), tuple(table)
