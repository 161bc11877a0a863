"""Text placed beside markers without overlap, measured with the figure's own renderer.

Each label is tried at a few spots around its marker (right, above, below,
left, the diagonals), then the same spots further out; the first spot whose
box overlaps no label already placed (nor sits within `_APART` beside one,
where two names would read as one), no other marker and stays inside the
Axes wins. A label with no free spot is dropped, and the caller learns which.
Labels go in priority order, so the important ones get the best spots.

Boxes are measured in display pixels after the figure's layout is settled
(`Figure.draw_without_rendering`), and the labels are left out of later
layout passes, so what was measured is what is drawn.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from intcust.plot import style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

__all__ = ["Label", "place", "settle"]

#: (direction x, direction y, horizontal alignment, vertical alignment)
_SPOTS = (
    (1.0, 0.0, "left", "center"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
    (-1.0, 0.0, "right", "center"),
    (0.7, 0.7, "left", "bottom"),
    (0.7, -0.7, "left", "top"),
    (-0.7, 0.7, "right", "bottom"),
    (-0.7, -0.7, "right", "top"),
)
#: how far out the spots are tried, in multiples of the marker radius plus a gap
_RINGS = (1.0, 2.2, 3.6)
#: white space kept around each label box, in pixels
_PAD = 1.5
#: least space between two labels side by side, in ems: closer, two names read as one
_APART = 0.6


@dataclass(frozen=True)
class Label:
    """A text to place near the point (x, y), in data coordinates."""

    key: Hashable  #: what it labels (a node, an edge)
    text: str
    x: float
    y: float
    radius: float = 0.0  #: radius of the marker at (x, y), in points
    fontsize: float = 7.0
    weight: str = "normal"
    along: tuple[tuple[float, float], ...] = ()
    """spots to try instead of the ring around (x, y), centred, in data coordinates"""


def settle(ax: Axes) -> Any:
    """Lay the figure out once and return its renderer, so positions are final."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    style.escape_figure_texts(fig)  # a name's lone surrogate would stop the layout
    fig.draw_without_rendering()
    canvas: Any = fig.canvas
    if hasattr(canvas, "get_renderer"):  # Agg and the canvases built on it
        return canvas.get_renderer()
    from matplotlib.backends import backend_agg

    # another backend (pdf, svg): text is measured as Agg measures it at the same dpi
    agg: Any = backend_agg.RendererAgg
    width, height = fig.get_size_inches() * fig.dpi
    return agg(int(width), int(height), fig.dpi)


def _box(cx: float, cy: float, w: float, h: float, ha: str, va: str) -> NDArray[np.float64]:
    x0 = cx if ha == "left" else cx - w if ha == "right" else cx - w / 2
    y0 = cy if va == "bottom" else cy - h if va == "top" else cy - h / 2
    return np.array([x0 - _PAD, y0 - _PAD, x0 + w + _PAD, y0 + h + _PAD])


def _overlaps(box: NDArray[np.float64], boxes: NDArray[np.float64]) -> bool:
    if not len(boxes):
        return False
    return bool(
        np.any(
            (box[0] < boxes[:, 2])
            & (boxes[:, 0] < box[2])
            & (box[1] < boxes[:, 3])
            & (boxes[:, 1] < box[3])
        )
    )


def _spots(
    label: Label, px: float, py: float, gap: float, to_px: Any
) -> list[tuple[float, float, str, str]]:
    if label.along:
        return [(*to_px(xy), "center", "center") for xy in label.along]
    return [
        (px + dx * gap * ring, py + dy * gap * ring, ha, va)
        for ring in _RINGS
        for dx, dy, ha, va in _SPOTS
    ]


def place(
    ax: Axes,
    labels: Sequence[Label],
    *,
    markers: Sequence[tuple[float, float, float]] = (),
    avoid: Sequence[Text] = (),
    renderer: Any = None,
    gid: str = "label",
) -> tuple[list[Text], list[Hashable]]:
    """Place `labels` in order without overlap; return the texts drawn and the keys dropped.

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw; its limits must be final.
    labels : sequence of Label
        In priority order.
    markers : sequence of (x, y, radius in points)
        Markers a label should not cover (a label may still touch its own).
    avoid : sequence of Text
        Texts already drawn that no label may overlap.
    renderer : optional
        From `settle`; by default the figure is settled here.
    gid : str, optional
        The ``gid`` of every text drawn, so it can be found again.

    Returns
    -------
    texts : list of matplotlib.text.Text
    dropped : list
        The keys of the labels that found no free spot.
    """
    renderer = renderer if renderer is not None else settle(ax)
    to_px = ax.transData.transform
    scale = ax.figure.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    marks = np.array([[*to_px((x, y)), r * scale] for x, y, r in markers], dtype=float).reshape(
        -1, 3
    )
    x, y, r = marks[:, 0], marks[:, 1], marks[:, 2]
    mark_boxes = np.column_stack([x - r, y - r, x + r, y + r])
    placed = np.array(
        [
            [b.x0 - _PAD, b.y0 - _PAD, b.x1 + _PAD, b.y1 + _PAD]
            for b in (t.get_window_extent(renderer) for t in avoid)
        ],
        dtype=float,
    ).reshape(-1, 4)
    texts: list[Text] = []
    dropped: list[Hashable] = []
    for label in labels:
        text = ax.annotate(
            label.text,
            (label.x, label.y),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=label.fontsize,
            fontweight=label.weight,
            zorder=6,
            parse_math=False,
            annotation_clip=False,
            bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.75},
        )
        text.set_in_layout(False)
        text.set_gid(gid)
        extent = text.get_window_extent(renderer)
        w, h = extent.width, extent.height
        px, py = to_px((label.x, label.y))
        own = np.hypot(x - px, y - py) < 0.5  # its own marker never blocks a label
        others = mark_boxes[~own]
        gap = label.radius * scale + 2.0
        apart = np.array([-1.0, 0.0, 1.0, 0.0]) * _APART * label.fontsize * scale
        choice = None
        fallback = None
        spots = _spots(label, px, py, gap, to_px)
        for cx, cy, ha, va in spots:
            box = _box(cx, cy, w, h, ha, va)
            inside = (
                box[0] >= frame.x0
                and box[2] <= frame.x1
                and box[1] >= frame.y0
                and box[3] <= frame.y1
            )
            if not inside or _overlaps(box + apart, placed):
                continue
            if not _overlaps(box, others):
                choice = (cx, cy, ha, va, box)
                break
            fallback = fallback or (cx, cy, ha, va, box)
        choice = choice or fallback
        if choice is None:
            text.remove()
            dropped.append(label.key)
            continue
        cx, cy, ha, va, box = choice
        text.xyann = ((cx - px) / scale, (cy - py) / scale)
        text.set_horizontalalignment(ha)  # type: ignore[arg-type]
        text.set_verticalalignment(va)  # type: ignore[arg-type]
        placed = np.vstack([placed, box])
        texts.append(text)
    return texts, dropped
