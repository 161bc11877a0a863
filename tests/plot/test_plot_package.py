"""intcust.plot: its public names, and that `import intcust` leaves matplotlib alone."""

from __future__ import annotations

import inspect
import subprocess
import sys

import matplotlib
import pytest

matplotlib.use("Agg")

import intcust.plot


def test_all_is_sorted_and_complete():
    names = intcust.plot.__all__
    assert list(names) == sorted(names)
    public = {
        n
        for n, v in vars(intcust.plot).items()
        if not n.startswith("_") and (inspect.isfunction(v) or inspect.isclass(v))
    }
    assert public == set(names)


#: what returns something other than matplotlib Axes
NOT_FIGURES = {"OrgMap", "explore"}


def test_every_figure_takes_ax_and_keyword_only_options():
    for name in set(intcust.plot.__all__) - NOT_FIGURES:
        params = inspect.signature(getattr(intcust.plot, name)).parameters
        assert "ax" in params, name
        assert params["ax"].default is None, name
        positional = [p for p in params.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        assert len(positional) == 1, (name, positional)
        assert len(params) <= 8, name


def test_every_figure_names_itself_for_input_of_the_wrong_kind():
    """As every function of the other public packages (``tests/test_params.py``)."""
    from intcust.errors import ParameterError

    for name in sorted(set(intcust.plot.__all__) - {"OrgMap"}):
        first = next(iter(inspect.signature(getattr(intcust.plot, name)).parameters))
        with pytest.raises(ParameterError, match=f"The '{first}' parameter of {name} must be"):
            getattr(intcust.plot, name)(object())


def test_explore_has_keyword_only_options():
    params = inspect.signature(intcust.plot.explore).parameters
    positional = [p for p in params.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert [p.name for p in positional] == ["G"]
    assert len(params) <= 8


def test_explore_needs_no_matplotlib():
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import intcust as ic\n"
        "from intcust.plot import explore\n"
        "m = explore(ic.datasets.company(), metrics=ic.metrics.dependence(ic.datasets.company()))\n"
        "assert 'intcust-map' in m.html\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_intcust_does_not_import_plot():
    code = (
        "import intcust, sys; assert 'intcust.plot' not in sys.modules; "
        "assert 'matplotlib' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
