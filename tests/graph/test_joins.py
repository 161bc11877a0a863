"""The join plan's tie rule: one tolerance, read the same way everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

import intcust as ic
from intcust.graph.joins import TIE_TOL, at_most, tie_tolerance


def test_times_tie_relative_to_their_size() -> None:
    big = 1e12
    a = np.array([1.0 + 0.5e-9, 1.0 + 2e-9, big * (1 + 0.5e-9), big * (1 + 2e-9), np.inf])
    b = np.array([1.0, 1.0, big, big, np.inf])
    assert at_most(a, b).tolist() == [True, False, True, False, True]
    assert not at_most(np.array([np.inf]), np.array([big]))[0]
    assert tie_tolerance(np.float64) == TIE_TOL
    assert tie_tolerance(np.float32) > TIE_TOL


def _tolerances(path: Path) -> list[int]:
    """Lines of `path` that write a tolerance of 1e-9 of their own."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value == 1e-9
    ]


def test_one_tie_tolerance_in_the_timing_and_failure_code() -> None:
    """Timing, rounds, cycle times, fragility, feedback and the bottleneck report
    read ties through `intcust.graph.joins`, never with a tolerance of their own."""
    root = Path(ic.__file__).parent
    places = [root / "sim", root / "metrics", root / "bottleneck_evidence.py"]
    places.append(root / "bottleneck_report.py")
    files = [p for place in places for p in ([place] if place.is_file() else place.rglob("*.py"))]
    own = {str(p.relative_to(root)): lines for p in files if (lines := _tolerances(p))}
    # shows a whole number without decimals: display, not a tie between times
    own.pop("metrics/service/contribution_result.py")
    assert own == {}
    assert _tolerances(root / "graph" / "joins.py")
