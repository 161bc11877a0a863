"""The HTML form of every result in Jupyter: `html_table`.

A result's ``_repr_html_`` shows a compact table: at most ``_HTML_ROWS``
rows, the rest summarised in one line, every cell escaped, floats to six
significant digits and infinity as ``inf`` (`_fmt`, which plain reprs use
too). Other modules import `html_table` from `intcust.results`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

__all__ = ["html_table"]

_HTML_ROWS = 20


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.6g}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def html_table(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    *,
    caption: str = "",
    max_rows: int = _HTML_ROWS,
) -> str:
    """Render rows as a small HTML table, showing at most `max_rows` of them.

    Parameters
    ----------
    rows : sequence of sequences
        The cells, row by row.
    columns : sequence of str
        The column headers.
    caption : str, optional
        A caption above the table.
    max_rows : int, optional
        Rows beyond this are summarised in one line.

    Returns
    -------
    str
        An HTML fragment; every cell is escaped.

    Examples
    --------
    >>> html_table([["a", 1.0]], ["node", "score"])[:7]
    '<table>'
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = []
    for row in rows[:max_rows]:
        cells = "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    if len(rows) > max_rows:
        body.append(
            f'<tr><td colspan="{len(columns)}">… {len(rows) - max_rows} more rows</td></tr>'
        )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
