"""HTML building blocks of the report: the page, sections, tables and embedded figures.

Every user string passes through `esc` (`html.escape`) here, so the section
builders only ever hand over plain text and numbers. A lone surrogate in a name
(which UTF-8 cannot encode nor a font draw) is shown as its Python escape, as
the command line shows it, in the page's text (`esc`) and in every text of a
figure (`figure`); the map's data carries it as a JSON escape
(`intcust.plot.page.json_block`), so the map keeps the exact name.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from intcust.plot.page import CONTENT_SECURITY_POLICY, html_text
from intcust.plot.style import escape_figure_texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "Section",
    "esc",
    "figure",
    "fmt",
    "items",
    "note",
    "page",
    "table",
]

#: Resolution of the embedded PNG figures, in dots per inch.
DPI = 96

_CSS = """
:root { --ink: #222; --muted: #666; --line: #d8dce3; --accent: #1f4e79; --bad: #b22222; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #f6f7f9; }
header { background: var(--accent); color: #fff; padding: 1.2rem 2rem; }
header h1 { margin: 0 0 .3rem; font-size: 1.6rem; }
header p { margin: 0; opacity: .85; font-size: .9rem; }
nav { padding: .5rem 2rem; background: #fff; border-bottom: 1px solid var(--line);
      position: sticky; top: 0; z-index: 1; }
nav a { margin-right: 1.2rem; color: var(--accent); text-decoration: none; font-weight: 600; }
main { max-width: 1180px; margin: 0 auto; padding: 1rem 2rem 3rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px;
          padding: .6rem 1.4rem 1.2rem; margin: 1.2rem 0; }
h2 { color: var(--accent); border-bottom: 2px solid var(--line); padding-bottom: .3rem; }
h3 { margin: 1.2rem 0 .4rem; font-size: 1.05rem; }
p.note { color: var(--muted); font-style: italic; }
p.empty { background: #fff6e5; border-left: 4px solid #e0a030; padding: .6rem .9rem;
          font-style: normal; color: var(--ink); }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .88rem; }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: .2rem; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .7rem; text-align: left;
         vertical-align: top; }
th { background: #eef1f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td ul { margin: 0; padding-left: 1.1rem; }
.grid { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.grid > div { flex: 1 1 320px; min-width: 0; }
figure { margin: .8rem 0 1.2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .85rem; }
ol.path { columns: 2; }
.bad { color: var(--bad); font-weight: 600; }
/* the interactive map shows where scripts run; its drawing where they do not, and in print */
html:not(.js) .map-live, .js .map-fallback { display: none; }
@media print {
  nav, .map-live { display: none !important; }
  .js .map-fallback { display: block; }
  section { break-inside: avoid-page; }
}
footer { text-align: center; color: var(--muted); font-size: .8rem; padding-bottom: 2rem; }
"""


def esc(value: object) -> str:
    """`value` as escaped HTML text (lone surrogates as Python escapes)."""
    return html_text(str(value))


def fmt(value: Any) -> str:
    """A cell value as short text: 4 significant digits, ``∞`` for infinity, ``–`` for None."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if value == int(value) and abs(value) < 1e9:
            return f"{int(value):,}"
        return f"{value:.4g}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(fmt(v) for v in value)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def table(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    *,
    caption: str = "",
    total: int | None = None,
) -> str:
    """An escaped HTML table; `total` rows in all when only the top ones are given.

    A cell that is an `items` fragment (a ``_Raw``) is inserted as HTML; every
    other cell is formatted with `fmt` and escaped.
    """
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, _Raw):
                cells.append(f"<td>{v.html}</td>")
            elif _is_number(v):
                cells.append(f'<td class="num">{esc(fmt(v))}</td>')
            else:
                cells.append(f"<td>{esc(fmt(v))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if total is not None and total > len(rows):
        body.append(
            f'<tr><td colspan="{len(columns)}">… {total - len(rows)} more not shown</td></tr>'
        )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="scroll"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


class _Raw:
    """An HTML fragment already escaped, to be placed in a table cell as is."""

    def __init__(self, fragment: str) -> None:
        self.html = fragment


def items(texts: Iterable[object]) -> _Raw:
    """A bulleted list of escaped texts, for one table cell."""
    return _Raw("<ul>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ul>")


def note(text: str, *, empty: bool = False) -> str:
    """A paragraph of commentary; ``empty=True`` marks why a section has no content."""
    cls = "note empty" if empty else "note"
    return f'<p class="{cls}">{esc(text)}</p>'


def figure(
    draw: Callable[[Axes], object],
    *,
    size: tuple[float, float],
    alt: str,
    caption: str = "",
) -> str:
    """Draw with `draw(ax)` on a new matplotlib figure and embed it as a base64 PNG.

    The figure is built without pyplot, so neither the user's backend nor
    pyplot's list of open figures is touched.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    draw(fig.subplots())
    escape_figure_texts(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    width, height = round(size[0] * DPI), round(size[1] * DPI)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}" '
        f'width="{width}" height="{height}">{cap}</figure>'
    )


class Section:
    """One titled part of the report, with its anchor id and its HTML body."""

    def __init__(self, ident: str, title: str, body: Sequence[str]) -> None:
        self.ident = ident
        self.title = title
        self.body = "\n".join(body)

    def html(self) -> str:
        """The ``<section>`` element."""
        return f'<section id="{esc(self.ident)}">\n<h2>{esc(self.title)}</h2>\n{self.body}\n</section>'


def page(title: str, subtitle: str, sections: Sequence[Section], footer: str) -> str:
    """The whole self-contained document: inline CSS and scripts, no external resource.

    A content security policy lets the page run only its own inline scripts
    and show only ``data:`` images, so it can make no request at all.
    """
    nav = "".join(f'<a href="#{esc(s.ident)}">{esc(s.title)}</a>' for s in sections)
    body = "\n".join(s.html() for s in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n"
        '<script>document.documentElement.classList.add("js");</script>\n'
        "</head>\n<body>\n"
        f"<header><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header>\n"
        f"<nav>{nav}</nav>\n<main>\n{body}\n</main>\n"
        f"<footer>{esc(footer)}</footer>\n</body>\n</html>\n"
    )
