"""The arguments of `monte_carlo`, checked, and how its scenarios are chunked.

`_seed_entropy` names the random stream of a seed (`monte_carlo_rounds`
shares it), `_rho` reads the correlation of each unit, `_dtype` and
`_quantiles` check the precision and the reported quantiles;
`default_chunk` and `_chunking` choose how many scenarios, in whole blocks,
run at once. Errors name `monte_carlo`.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from intcust._params import check_int, parameter_error
from intcust.graph.compiled import CompiledOrg
from intcust.sim._sampling import BLOCK

FUNC = "monte_carlo"
#: default chunks keep the block statistics of one chunk within this many bytes
CHUNK_BYTES = 64 * 2**20


def _seed_entropy(seed: object) -> tuple[int | tuple[int, ...], tuple[int, ...]]:
    """The entropy and spawn key that name the random stream of `seed`."""
    if seed is None:
        seed = np.random.SeedSequence()
    if isinstance(seed, np.random.SeedSequence):
        entropy = seed.entropy
        assert entropy is not None
        value = int(entropy) if isinstance(entropy, numbers.Integral) else tuple(entropy)  # type: ignore[arg-type]
        return value, tuple(seed.spawn_key)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**63)), ()
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and int(seed) >= 0:
        return int(seed), ()
    raise parameter_error(
        FUNC, "seed", "None, an int >= 0, a numpy SeedSequence or a numpy Generator", seed
    )


def _rho(correlation: object, C: CompiledOrg) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    """The correlation of each unit, or None for independent sampling."""
    if correlation is None:
        return None

    def one(value: object, param: str) -> float:
        bad = isinstance(value, bool) or not isinstance(value, numbers.Real)
        if bad or not 0.0 <= float(value) <= 1.0:  # type: ignore[arg-type]
            raise parameter_error(FUNC, param, "a number in [0, 1]", value)
        return float(value)  # type: ignore[arg-type]

    if isinstance(correlation, Mapping):
        rho = np.zeros(len(C.units))
        known = {u: i for i, u in enumerate(C.units)}
        for unit, value in correlation.items():
            if unit not in known:
                raise parameter_error(
                    FUNC,
                    "correlation",
                    f"a mapping whose keys are units of the organisation {list(C.units)}",
                    unit,
                )
            rho[known[unit]] = one(value, f"correlation[{unit!r}]")
        return rho
    return np.full(len(C.units), one(correlation, "correlation"))


def _dtype(dtype: object) -> str:
    try:
        name = np.dtype(dtype).name  # type: ignore[call-overload]
    except TypeError:
        name = ""
    if name not in ("float32", "float64"):
        raise parameter_error(FUNC, "dtype", "numpy.float64 or numpy.float32", dtype)
    return str(name)


def _quantiles(quantiles: object) -> tuple[float, ...]:
    expected = "a sequence of numbers in [0, 1]"
    if isinstance(quantiles, (str, bytes)) or not isinstance(quantiles, Sequence):
        raise parameter_error(FUNC, "quantiles", expected, quantiles)
    out = []
    for q in quantiles:
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 <= float(q) <= 1:
            raise parameter_error(FUNC, "quantiles", expected, quantiles)
        out.append(float(q))
    return tuple(out)


def default_chunk(C: CompiledOrg) -> int:
    """The default `chunk_size` of `monte_carlo` for organisation `C`.

    Whole blocks whose statistics (per node: sums, and the critical count
    and stall per target) stay within `CHUNK_BYTES`, at most 64 blocks, and
    at least two blocks per thread so that every thread has work.
    """
    from intcust._jit import threads

    targets = len(C.external) + 1
    per_block = max(1, C.n_nodes) * (16 * targets + 7 * 8) + BLOCK * targets * 8
    blocks = min(64, CHUNK_BYTES // per_block)
    return max(2 * threads(), blocks, 1) * BLOCK


def _chunking(chunk_size: object, C: CompiledOrg) -> int:
    """Scenarios simulated at once: whole blocks."""
    if chunk_size is None:
        return default_chunk(C)
    chunk = check_int(chunk_size, func=FUNC, param="chunk_size", minimum=1)
    return max(BLOCK, chunk // BLOCK * BLOCK)
