"""Compiled kernels: a cache that cannot be written never stops a call."""

from __future__ import annotations

import errno

import numpy as np
import pytest

from intcust._jit import inline_kernel, inner_kernel, kernel, parallel_kernel

numba = pytest.importorskip("numba")


def _twice(x: float) -> float:
    return 2.0 * x


def _thrice(x: float) -> float:
    return 3.0 * x


def _sum_of_squares(values: np.ndarray) -> float:
    total = 0.0
    for i in numba.prange(len(values)):
        total += values[i] ** 2
    return total


def _plus_one(x: float) -> float:
    return x + 1.0


_inner_plus_one = inner_kernel(_plus_one)


def _calls_inner(x: float) -> float:
    return 2.0 * _inner_plus_one(x)


def _full_disk(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_saving_the_cache_leaves_the_call_working(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from numba.core.caching import IndexDataCacheFile

    monkeypatch.setattr(IndexDataCacheFile, "save", _full_disk)
    with pytest.raises(OSError, match="No space left"):  # numba alone stops the call
        numba.njit(cache=True)(_twice)(1.5)
    assert kernel(_twice)(1.5) == 3.0
    assert inline_kernel(_thrice)(1.5) == 4.5
    assert parallel_kernel(_sum_of_squares)(np.arange(4.0)) == 14.0
    assert kernel(_calls_inner)(1.5) == 5.0


def test_an_inner_kernel_runs_in_kernels_and_refuses_a_call_from_python() -> None:
    assert kernel(_calls_inner)(0.5) == 3.0
    with pytest.raises(TypeError, match="_plus_one runs only inside compiled kernels"):
        _inner_plus_one(0.5)
