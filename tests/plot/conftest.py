"""Figures are drawn on the Agg backend with warnings as errors, and every figure is closed.

matplotlib also reports some problems (e.g. ignored axis limits) through
`logging`, not `warnings`; those fail the test too.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt


@pytest.fixture(autouse=True)
def _clean_drawing(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")
    logged = [
        r.getMessage() for r in caplog.get_records("call") if r.name.startswith("matplotlib")
    ]
    assert not logged, logged
