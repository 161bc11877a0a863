"""Colours, axes creation and argument checks shared by every figure.

One palette for the whole package, so that a figure reads the same way
everywhere: the highlight colour marks the critical path, single points of
failure and customers who miss their due date; the base colour marks ordinary
work; a light tint of it marks float (slack).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from intcust.errors import ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "BASE",
    "DUE",
    "EXTERNAL",
    "FLOAT",
    "HIGHLIGHT",
    "LATE",
    "MUTED",
    "SECONDARY",
    "axes",
    "check_mapping",
    "fail",
    "finite",
    "node_label",
    "unit_colors",
]

#: Ordinary work: bars, nodes without a colour score.
BASE = "#4c72b0"
#: Float (slack): a light tint of `BASE`.
FLOAT = "#b9cbe6"
#: The critical path, highlighted nodes and edges, customers who miss their due date.
HIGHLIGHT = "#d62728"
#: A second series beside `BASE` (cruciality beside criticality, absorbable delay).
SECONDARY = "#dd8452"
#: Due dates.
DUE = "#222222"
#: Negative float: time already lost against a due date.
LATE = "#f4a3a3"
#: Edges and other context.
MUTED = "#9a9a9a"
#: External customers (paying customers outside the company).
EXTERNAL = "#2ca02c"


def axes(ax: Axes | None, *, width: float, height: float) -> Axes:
    """`ax` itself, or the Axes of a new figure of the given size in inches."""
    if ax is not None:
        from matplotlib.axes import Axes as _Axes

        if not isinstance(ax, _Axes):
            raise ParameterError(
                f"The 'ax' parameter must be a matplotlib Axes or None; got {type(ax).__name__}."
            )
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(width, height), layout="constrained")
    return new


def fail(func: str, param: str, expected: str, got: object) -> ParameterError:
    """The standard message for an argument of the wrong kind."""
    return ParameterError(
        f"The {param!r} parameter of {func} must be {expected}; got {type(got).__name__}."
    )


def finite(value: object) -> bool:
    """Whether `value` is a finite real number."""
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def node_label(node: Hashable, *, width: int = 28) -> str:
    """A node name shortened for tick labels and annotations."""
    text = str(node)
    return text if len(text) <= width else text[: width - 1] + "…"


def unit_colors(units: list[Hashable]) -> dict[Hashable, Any]:
    """One categorical colour per unit, in the given order (tab10, then tab20)."""
    import matplotlib as mpl

    cmap = mpl.colormaps["tab10" if len(units) <= 10 else "tab20"]
    n = cmap.N
    return {u: cmap(i % n) for i, u in enumerate(units)}


def check_mapping(value: object, *, func: str, param: str) -> Mapping[Hashable, float]:
    """`value` if it is a mapping of node to number (NodeScores or dict)."""
    if not isinstance(value, Mapping):
        raise fail(func, param, "a NodeScores (node -> number)", value)
    return value
