"""The join plan's tie rule: one tolerance, read the same way everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

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


@given(
    n=st.integers(1, 12),
    edges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40),
)
def test_components_of_a_loop_free_plan_are_what_the_strong_components_give(n, edges):
    """Without a loop, every node is a component of its own (found without scipy);
    the same graph beside a separate loop goes through the strong components, and
    its nodes keep their levels and their order."""
    from intcust.graph.joins import _components

    pairs = np.array([(a, b) for a, b in edges if a < b < n], dtype=np.int64).reshape(-1, 2)
    src, dst = pairs[:, 0], pairs[:, 1]
    comp, level, cyclic, order = _components(n, src, dst)
    loop_src = np.append(src, [n, n + 1])
    loop_dst = np.append(dst, [n + 1, n])
    comp2, level2, cyclic2, order2 = _components(n + 2, loop_src, loop_dst)
    assert np.array_equal(order, order2[order2 < n])
    assert np.array_equal(level, level2[:n])
    assert not cyclic.any() and not cyclic2[:n].any() and cyclic2[n:].all()
    assert np.array_equal(np.argsort(comp), np.argsort(comp2[:n]))
    assert np.array_equal(comp[order], np.arange(n))
