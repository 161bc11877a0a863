"""The random streams of Monte Carlo against the published reference vectors.

Scenario i draws from xoshiro256++ seeded by SplitMix64 (`intcust.sim._random`);
both generators have reference outputs that every port checks against.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest

from intcust.sim._random import LOGNORMAL, UNIFORM, fill_random, seed_state

GOLDEN = 0x9E3779B97F4A7C15

#: xoshiro256++ from the state (1, 2, 3, 4): the reference implementation's outputs
XOSHIRO = [
    41943041, 58720359, 3588806011781223, 3591011842654386, 9228616714210784205,
    9973669472204895162, 14011001112246962877, 12406186145184390807,
    15849039046786891736, 10450023813501588000,
]  # fmt: skip

#: SplitMix64 from the seed 1234567: the reference implementation's outputs
SPLITMIX = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431]


@numba.njit
def _uniforms(state: np.ndarray, n: int) -> np.ndarray:
    """n uniform draws (width 1 from 0) through the sampler Monte Carlo uses."""
    kind_ptr = np.full(10, n, dtype=np.int64)
    kind_ptr[UNIFORM] = 0
    param = np.zeros((n, 4))
    param[:, 1] = 1.0
    out = np.zeros(n)
    fill_random(state, np.arange(n), kind_ptr, param, np.zeros((0, 4)), np.zeros(0), out, None)
    return out


@numba.njit
def _seeded(key: np.uint64, scenario: int) -> np.ndarray:
    state = np.empty(4, dtype=np.uint64)
    seed_state(key, scenario, state)
    return state


def test_draws_follow_xoshiro256plusplus() -> None:
    u = _uniforms(np.array([1, 2, 3, 4], dtype=np.uint64), len(XOSHIRO))
    # a draw is (the top 53 bits + 1) / 2**53, exactly
    assert [int(x * 2.0**53) - 1 for x in u] == [r >> 11 for r in XOSHIRO]


@pytest.mark.parametrize("scenario", [0, 1, 1000])
def test_each_scenario_is_seeded_by_splitmix64_from_the_key_and_its_number(scenario: int) -> None:
    # the stream of scenario i starts from key + golden * (i + 1)
    key = (1234567 - GOLDEN * (scenario + 1)) % 2**64
    assert _seeded(np.uint64(key), scenario).tolist() == SPLITMIX


@numba.njit
def _draw_lognormal_without_rare() -> None:
    kind_ptr = np.zeros(10, dtype=np.int64)
    kind_ptr[LOGNORMAL + 1 :] = 1  # one lognormal draw
    state = np.array([1, 2, 3, 4], dtype=np.uint64)
    fill_random(
        state, np.zeros(1, np.int64), kind_ptr, np.zeros((1, 4)), np.zeros((0, 4)), np.zeros(0),
        np.zeros(1), None,
    )  # fmt: skip


def test_a_table_with_rare_kinds_refuses_to_skip_them() -> None:
    """`rare=None` compiles the sampler without the rare kinds: a table that has one
    is refused rather than left undrawn."""
    with pytest.raises(ValueError, match="rare kinds but rare is None"):
        _draw_lognormal_without_rare()
