"""Colours, axes creation and argument checks shared by every figure.

One palette for the whole package, so that a figure reads the same way
everywhere: the highlight colour marks the critical path, single points of
failure and customers who miss their due date; the base colour marks ordinary
work; a light tint of it marks float (slack).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from intcust._params import check_int, kind_error, renamed
from intcust.errors import ParameterError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

__all__ = [
    "BASE",
    "DUE",
    "EXTERNAL",
    "FLOAT",
    "HIGHLIGHT",
    "LATE",
    "MUTED",
    "NO_UNIT",
    "SECONDARY",
    "UNIT_PALETTE",
    "VIRIDIS",
    "axes",
    "check_mapping",
    "drawable",
    "escape_figure_texts",
    "escape_surrogates",
    "finite",
    "legend",
    "node_label",
    "number",
    "plurals",
    "quantity",
    "tie_volume",
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
#: External customers (paying customers outside the company); no unit ever gets it.
EXTERNAL = "#2ca02c"
#: Nodes without a unit.
NO_UNIT = "#bdbdbd"
#: Unit colours, in order: tab10 then the rest of tab20, without the colours that
#: mean something else here (the greens of `EXTERNAL`, the reds of `HIGHLIGHT`,
#: the greys of `MUTED` and `NO_UNIT`). Hex strings, so the interactive map
#: shares them without matplotlib.
UNIT_PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#dbdb8d",
    "#9edae5",
)
#: Stops of matplotlib's viridis colour map, for metric colours drawn without it.
VIRIDIS: tuple[str, ...] = (
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
)


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


def finite(value: object) -> bool:
    """Whether `value` is a finite real number."""
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def escape_surrogates(text: str) -> str:
    """`text` with each lone surrogate written as its Python escape, as the command line
    shows it: ``"a\\\\udcff"`` for ``"a\\udcff"``.

    A lone surrogate (half of a UTF-16 pair, as decoding a file name with
    ``surrogateescape`` leaves) may sit in a Python str, and so in a name;
    but UTF-8 cannot encode it and a font cannot draw it, so a page holding
    one cannot be written and a figure holding one cannot be drawn. Every
    other character is kept.

    Examples
    --------
    >>> print(escape_surrogates("des\\udcffigner"), escape_surrogates("Zoë → Ünal"))
    des\\udcffigner Zoë → Ünal
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: Control characters no font draws (C0 but the line break, DEL, C1), and the escape
#: Python's repr spells each with.
_CONTROLS = {c: repr(chr(c))[1:-1] for c in (*range(0x20), *range(0x7F, 0xA0)) if c != ord("\n")}


def drawable(text: str) -> str:
    """`text` as a figure can draw it: lone surrogates and control characters (an ESC
    sequence, a tab, a NUL) written as their Python escapes, as the command line shows
    them; line breaks and every other character are kept.

    Examples
    --------
    >>> print(drawable("a\\x1b[2Jb\\tc\\udcff"), drawable("Zoë → Ünal"))
    a\\x1b[2Jb\\tc\\udcff Zoë → Ünal
    """
    return escape_surrogates(text).translate(_CONTROLS)


def escape_figure_texts(fig: Figure | SubFigure) -> None:
    """Make every text `fig` holds so far (titles, legends, notes) `drawable`, so that it
    can be laid out and drawn; tick labels come from `node_label`."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_text(drawable(text.get_text()))


def node_label(node: Hashable, *, width: int = 28) -> str:
    """A node name shortened for tick labels and annotations (made `drawable`)."""
    text = drawable(str(node))
    return text if len(text) <= width else text[: width - 1] + "…"


def unit_colors(units: list[Hashable]) -> dict[Hashable, str]:
    """One colour of `UNIT_PALETTE` per unit, in the given order (repeating past 14).

    Examples
    --------
    >>> unit_colors(["Sales", "IT"])
    {'Sales': '#1f77b4', 'IT': '#ff7f0e'}
    """
    n = len(UNIT_PALETTE)
    return {u: UNIT_PALETTE[i % n] for i, u in enumerate(units)}


def number(value: float) -> str:
    """A volume or score as short text: ``20,000``, ``3.5``, ``0.0123``.

    Examples
    --------
    >>> number(20000.0), number(3.5), number(0.012345)
    ('20,000', '3.5', '0.0123')
    """
    x = float(value)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.3g}"


def quantity(value: float, unit: str) -> str:
    """A number with its unit in words: ``1 day``, ``2.5 hours``; the bare number without one.

    Examples
    --------
    >>> quantity(1.0, "day"), quantity(2.5, "hour"), quantity(3.0, "")
    ('1 day', '2.5 hours', '3')
    """
    text = number(value)
    if not unit:
        return text
    return f"{text} {unit if float(value) == 1 or unit.endswith('s') else unit + 's'}"


_COUNTED = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?(?:e[+-]?\d+)?) ([A-Za-z][\w-]*)\(s\)")


def plurals(text: str) -> str:
    """`text` with each "2 day(s)" written out as "2 days" and each "1 day(s)" as "1 day".

    Examples
    --------
    >>> plurals("delays the customer by 1 day(s); float 1.78 day(s)")
    'delays the customer by 1 day; float 1.78 days'
    """

    def word(match: re.Match[str]) -> str:
        count, noun = match.group(1), match.group(2)
        return f"{count} {noun if float(count) == 1 else noun + 's'}"

    return _COUNTED.sub(word, text)


def tie_volume(data: Mapping[str, Any]) -> float:
    """The volume of a tie: the sum over the services it carries, each 1 when missing.

    Examples
    --------
    >>> tie_volume({"volume": 3.0}), tie_volume({})
    (3.0, 1.0)
    >>> tie_volume({"services": [{"deliverable": "a", "volume": 2}, {"deliverable": "b"}]})
    3.0
    """
    from intcust.graph.schema import edge_services

    total = 0.0
    for service in edge_services(data):
        volume = service.get("volume")
        total += 1.0 if volume is None else float(volume)
    return total


def legend(ax: Axes, handles: list[Any], **kw: Any) -> Any:
    """`ax.legend` outside the right edge, whose texts are drawn literally.

    Names may hold ``$`` or backslashes: mathtext is switched off for every
    legend text, so they read exactly as given.
    """
    options: dict[str, Any] = {
        "loc": "upper left",
        "bbox_to_anchor": (1.0, 1.0),
        "fontsize": 8,
        "frameon": False,
    }
    options.update(kw)
    made = ax.legend(handles=handles, **options)
    for text in made.get_texts():
        text.set_parse_math(False)
    return made


def check_mapping(value: object, *, func: str, param: str) -> Mapping[Hashable, float]:
    """`value` if it is a mapping of node to number (NodeScores or dict)."""
    if not isinstance(value, Mapping):
        raise kind_error(func, param, "a NodeScores (node -> number)", value)
    return value


def rows_to_draw(top: object, k: object, *, func: str) -> int:
    """`top`, how many rows a ranked figure draws, as an int >= 1.

    `k` is its name before intcust 0.2.0, where ``k`` only ever counts
    sampled sources: given, it warns and stands for `top`.
    """
    if k is not None:
        renamed("k", "top", func=func, depth=2)
        top = k
    return check_int(top, func=func, param="top", minimum=1)
