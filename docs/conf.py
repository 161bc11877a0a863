"""Sphinx configuration: numpydoc API reference, MyST pages, rendered notebooks."""

from __future__ import annotations

import intcust

project = "intcust"
author = "intcust developers"
copyright = "2026, intcust developers"
release = intcust.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
]

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# notebooks are executed once here, so the site shows real output
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True

autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

intersphinx_mapping: dict[str, tuple[str, None]] = {}

html_theme = "furo"
html_title = f"intcust {release}"
suppress_warnings = ["mystnb.unknown_mime_type"]

# The API reference is written from the packages' `__all__`, so it cannot drift from them.
_API_MODULES = {
    "intcust": "Organisation model, readers and writers",
    "intcust.datasets": "Bundled example organisations",
    "intcust.sim": "Timing: schedules, delays, Monte Carlo, recurring rounds, outages",
    "intcust.metrics": "Metrics: centrality, structure, bottlenecks",
    "intcust.plot": "Plots (extra ``plot``)",
    "intcust.report": "HTML report",
    "intcust.errors": "Errors",
}


def _write_api_page() -> None:
    import importlib
    import inspect
    from pathlib import Path

    lines = ["API reference", "=============", ""]
    for name, title in _API_MODULES.items():
        module = importlib.import_module(name)
        members = [
            m
            for m in module.__all__
            if not m.startswith("__") and not inspect.ismodule(getattr(module, m))
        ]
        lines += [title, "-" * len(title), "", f".. currentmodule:: {name}", ""]
        lines += [".. autosummary::", "   :toctree: generated", ""]
        lines += [f"   {m}" for m in members]
        lines += [""]
    Path(__file__).with_name("api.rst").write_text("\n".join(lines), encoding="utf-8")


_write_api_page()
