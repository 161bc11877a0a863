"""For every test, doctest and notebook: figures made through pyplot are closed afterwards.

Doctests of plotting functions open figures with pyplot; without this they
pile up over a run (matplotlib warns past 20).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
