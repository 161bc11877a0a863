"""intcust.plot: its public names, and that `import intcust` leaves matplotlib alone."""

from __future__ import annotations

import inspect
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import intcust.plot


def test_all_is_sorted_and_complete():
    names = intcust.plot.__all__
    assert list(names) == sorted(names)
    public = {
        n for n, v in vars(intcust.plot).items() if not n.startswith("_") and inspect.isfunction(v)
    }
    assert public == set(names)


def test_every_function_takes_ax_and_keyword_only_options():
    for name in intcust.plot.__all__:
        params = inspect.signature(getattr(intcust.plot, name)).parameters
        assert "ax" in params, name
        assert params["ax"].default is None, name
        positional = [p for p in params.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        assert len(positional) == 1, (name, positional)
        assert len(params) <= 8, name


def test_import_intcust_does_not_import_plot():
    code = (
        "import intcust, sys; assert 'intcust.plot' not in sys.modules; "
        "assert 'matplotlib' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
