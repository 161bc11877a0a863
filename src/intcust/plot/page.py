"""The HTML of the interactive map: data as escaped JSON, the vendored library and the app inline.

Nothing here reads the organisation: `fragment` and `document` take the
JSON-ready payload that `intcust.plot._map_data` built. User text travels
only inside the JSON block, where ``<``, ``>`` and ``&`` are written as
``\\u003c``, ``\\u003e`` and ``\\u0026``, so no name can close the script
element or start markup; the page script puts it on screen with
``textContent`` or as canvas text.
"""

from __future__ import annotations

import functools
import html
import json
from importlib import resources
from typing import Any

from intcust.plot.style import escape_surrogates

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CYTOSCAPE_VERSION",
    "asset",
    "document",
    "fragment",
    "html_text",
    "json_block",
]

#: The version of the vendored Cytoscape.js (``_vendor/README.md``).
CYTOSCAPE_VERSION = "3.35.0"

#: Everything a page may load: its own inline scripts and styles, and data: images.
#: No request can leave the file, whatever a script tries.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

_MARKUP = """<div class="intcust-map" style="--icm-height: {height}">
<div class="icm-bar"><span class="icm-title"></span>
<input class="icm-search" type="search" placeholder="Search a name" aria-label="Search a name">
<span class="icm-status" aria-live="polite"></span>
<label>Colour by <select class="icm-color"></select></label>
<button type="button" class="icm-fit">Fit</button></div>
<div class="icm-body"><div class="icm-canvas"></div><div class="icm-tip"></div>
<div class="icm-side"><div class="icm-info"></div>
<h4>Colour</h4><div class="icm-legend-color"></div>
<h4>Units <button type="button" class="icm-all">all</button>
<button type="button" class="icm-none">none</button></h4><div class="icm-units"></div>
<h4>Legend</h4><div class="icm-legend"></div></div></div>
{data}
</div>"""


@functools.cache
def asset(name: str) -> str:
    """The text of a file shipped with `intcust.plot`: ``_vendor/...`` or ``_assets/...``."""
    return resources.files("intcust.plot").joinpath(name).read_text(encoding="utf-8")


def html_text(text: str) -> str:
    """`text` escaped for HTML text or an attribute value (lone surrogates as Python escapes).

    Examples
    --------
    >>> html_text('Acme "R&D" <b>\\udcff')
    'Acme &quot;R&amp;D&quot; &lt;b&gt;\\\\udcff'
    """
    return html.escape(escape_surrogates(text), quote=True)


def json_block(payload: Any) -> str:
    """`payload` as strict JSON in a ``<script type="application/json">``, safe inside HTML.

    Examples
    --------
    >>> json_block({"name": "</script><b>&"})
    '<script type="application/json" class="icm-data">{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}</script>'
    """
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # a lone surrogate can only sit inside a JSON string, where its Python escape is
    # also the JSON escape of the same character: the data read back is the name
    text = escape_surrogates(text)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="icm-data">{text}</script>'


def _script(code: str) -> str:
    # the library and the app are ours or vendored, and neither holds "</script"
    if "</script" in code.lower():
        raise ValueError("inline script text must not contain '</script'")
    return f"<script>{code}</script>"


def fragment(payload: Any, *, height: str = "640px") -> str:
    """The map as a self-contained ``<div>`` with its style, data and scripts, for any page."""
    return "\n".join(
        [
            f"<style>{asset('_assets/map.css')}</style>",
            _MARKUP.format(height=html.escape(height), data=json_block(payload)),
            _script(asset("_vendor/cytoscape.min.js")),
            _script(asset("_assets/map.js")),
        ]
    )


def document(payload: Any, *, title: str) -> str:
    """A whole HTML page holding only the map, filling the window."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}</title>\n"
        "<style>html, body { margin: 0; height: 100%; } body { padding: 8px; }</style>\n"
        "</head>\n<body>\n"
        f"{fragment(payload, height='calc(100vh - 16px)')}\n"
        "</body>\n</html>\n"
    )
