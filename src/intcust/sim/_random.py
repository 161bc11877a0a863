"""Random durations inside compiled kernels: one stream per scenario.

Scenario ``i`` of a run draws from its own xoshiro256++ generator [1]_,
seeded by SplitMix64 [2]_ from the run's 64-bit key and ``i``; so a scenario
sees the same durations whatever the chunk size, thread or worker that
simulates it. It draws the work of every node with a random duration, in
node order, then the lead time of every gating service with a random
duration, in row order; fixed durations draw nothing.

Families and their draws (one uniform ``u`` in (0, 1] unless said):

- uniform: ``low + (high - low) u``;
- triangular: the inverse CDF;
- PERT: ``low + (high - low) X`` with ``X ~ Beta(alpha, beta)``: by the
  inverse CDF when a shape is 1; as the alpha-th smallest of ``alpha + beta -
  1`` uniforms when both shapes are integers (PERT(0.5 m, m, 2.5 m) gives
  Beta(2, 4): five uniforms); otherwise by Cheng's algorithm BB [3]_ (about
  1.2 pairs of uniforms on average);
- lognormal: ``exp(mu + sigma Z)`` with ``Z`` from the Box-Muller transform
  (two uniforms);
- empirical: one of the samples, each equally likely.

References
----------
.. [1] D. Blackman and S. Vigna, "Scrambled linear pseudorandom number
   generators", ACM Transactions on Mathematical Software 47(4), 2021.
.. [2] G. L. Steele, D. Lea and C. H. Flood, "Fast splittable pseudorandom
   number generators", OOPSLA 2014.
.. [3] R. C. H. Cheng, "Generating beta variates with nonintegral shape
   parameters", Communications of the ACM 21(4), 317-322, 1978.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from intcust._jit import inline_kernel, kernel
from intcust.graph.duration_array import DurationArray

__all__ = [
    "DurationTable",
    "draw",
    "draw_rows",
    "duration_table",
    "fill",
    "new_state",
    "seed_state",
]

FloatArray = NDArray[np.float64]
U64 = NDArray[np.uint64]

FIXED, UNIFORM, TRIANGULAR, PERT, LOGNORMAL, EMPIRICAL = range(6)
_CODES = {
    "uniform": UNIFORM,
    "triangular": TRIANGULAR,
    "pert": PERT,
    "lognormal": LOGNORMAL,
    "empirical": EMPIRICAL,
}
_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


@dataclass(frozen=True, eq=False)
class DurationTable:
    """Durations laid out for a kernel: fixed values, and the random ones' parameters."""

    fixed: FloatArray  #: value of every position (the fixed ones; random ones are drawn)
    random: NDArray[np.int64]  #: positions with a random duration, in draw order
    code: NDArray[np.int64]  #: family code of each random position
    param: FloatArray  #: (len(random), 8) parameters, by family (see `draw`)
    pool: FloatArray  #: samples of the empirical durations


def duration_table(durations: DurationArray, positions: NDArray[np.int64]) -> DurationTable:
    """The kernel form of `durations`; only `positions` are ever drawn (sorted)."""
    fixed = durations.point("mode").astype(np.float64)
    wanted = np.zeros(len(durations), dtype=bool)
    wanted[positions] = True
    rows: list[tuple[int, int, tuple[float, ...]]] = []
    pools: list[FloatArray] = []
    used = 0
    for fam in durations.families:
        if fam.dist == "fixed":
            continue
        keep = wanted[fam.index]
        code = _CODES[fam.dist]
        for j in np.flatnonzero(keep).tolist():
            i = int(fam.index[j])
            if code == EMPIRICAL:
                assert fam.pool is not None and fam.ptr is not None
                a, b = int(fam.ptr[j]), int(fam.ptr[j + 1])
                pools.append(fam.pool[a:b])
                rows.append((i, code, (float(used), float(b - a))))
                used += b - a
                continue
            p = {k: float(v[j]) for k, v in fam.params.items()}
            par: tuple[float, ...]
            if code == UNIFORM:
                par = (p["low"], p["high"])
            elif code == TRIANGULAR:
                par = (p["low"], p["mode"], p["high"])
            elif code == PERT:
                width = p["high"] - p["low"]
                a_ = 1 + p["shape"] * (p["mode"] - p["low"]) / width if width > 0 else 1.0
                b_ = 1 + p["shape"] * (p["high"] - p["mode"]) / width if width > 0 else 1.0
                par = (p["low"], p["high"], *_beta_setup(a_, b_))
            else:
                par = (p["mu"], p["sigma"])
            rows.append((i, code, par))
    rows.sort(key=lambda r: r[0])
    param = np.zeros((len(rows), 8))
    for j, (_, _, par) in enumerate(rows):
        param[j, : len(par)] = par
    return DurationTable(
        fixed=fixed,
        random=np.array([r[0] for r in rows], dtype=np.int64),
        code=np.array([r[1] for r in rows], dtype=np.int64),
        param=param,
        pool=np.concatenate(pools) if pools else np.zeros(0),
    )


#: Beta shapes whose sum is at most this use order statistics when both are integers.
_ORDER_MAX = 12


def _beta_setup(a: float, b: float) -> tuple[float, float, float, float, float, float]:
    """Beta(a, b) sampling constants: (a, b, method, x, y, z).

    method 0: ``a = b = 1`` (uniform); 1: ``a = 1`` or ``b = 1`` (inverse
    CDF); 2: integer shapes, the smaller at most 3: Beta(a, b) is the a-th
    smallest of ``a + b - 1`` uniforms, and 1 - Beta(b, a) (x = the smaller
    shape k, y = a + b - 1, z = 1 when a > b); 3: Cheng's BB with x = a0
    (the smaller shape), y = its beta, z = its gamma.
    """
    # a shape equal to an integer to 12 digits is that integer (PERT(0.5 m, m, 2.5 m)
    # gives 2 and 4 up to rounding)
    a = float(round(a)) if abs(a - round(a)) <= 1e-12 * a else a
    b = float(round(b)) if abs(b - round(b)) <= 1e-12 * b else b
    if a == 1.0 or b == 1.0:
        return a, b, (0.0 if a == b else 1.0), 0.0, 0.0, 0.0
    if a.is_integer() and b.is_integer() and min(a, b) <= 3 and a + b <= _ORDER_MAX:
        return a, b, 2.0, min(a, b), a + b - 1, float(a > b)
    a0, b0 = min(a, b), max(a, b)
    alpha = a0 + b0
    beta = math.sqrt((alpha - 2.0) / (2.0 * a0 * b0 - alpha))
    return a, b, 3.0, a0, beta, a0 + 1.0 / beta


def new_state(key: int, scenario: int) -> U64:
    """The xoshiro256++ state of `scenario` (a reference implementation for tests)."""
    x = (key + _GOLDEN * (scenario + 1)) & _MASK
    out = []
    for _ in range(4):
        x = (x + _GOLDEN) & _MASK
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        out.append(z ^ (z >> 31))
    return np.array(out, dtype=np.uint64)


@kernel
def seed_state(key: np.uint64, scenario: int, state: U64) -> None:
    """Fill `state` with the generator of `scenario` (SplitMix64 from the key)."""
    x = np.uint64(key) + np.uint64(_GOLDEN) * np.uint64(scenario + 1)
    for i in range(4):
        x = x + np.uint64(_GOLDEN)
        z = x
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        state[i] = z ^ (z >> np.uint64(31))


@inline_kernel
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@inline_kernel
def uniform(state: U64) -> float:
    """The next uniform number in (0, 1] (53 random bits), advancing `state`."""
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    result = _rotl(s0 + s3, 23) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    # 53 bits fit an int64, whose conversion to float is one instruction
    return (float(np.int64(result >> np.uint64(11))) + 1.0) * (1.0 / 9007199254740992.0)


@inline_kernel
def _order_statistic(state: U64, p: FloatArray) -> float:
    """Beta(a, b) for integer shapes, the smaller at most 3 (constants in p[5:8])."""
    # the k-th smallest of m uniforms: keep the three smallest seen, with min
    # and max rather than branches (random comparisons defeat branch prediction)
    k = int(p[5])
    m = int(p[6])
    x1 = x2 = x3 = 2.0
    for _ in range(m):
        u = uniform(state)
        x3 = min(max(u, x2), x3)
        x2 = min(max(u, x1), x2)
        x1 = min(u, x1)
    x = x1 if k == 1 else (x2 if k == 2 else x3)
    return x if p[7] == 0.0 else 1.0 - x


@kernel
def _cheng(state: U64, p: FloatArray) -> float:
    """Beta(a, b), min(a, b) > 1: Cheng (1978), algorithm BB (constants in p[5:8])."""
    a, b = p[2], p[3]
    a0 = p[5]
    b0 = a + b - a0
    alpha = a + b
    beta = p[6]
    gamma = p[7]
    while True:
        u1 = uniform(state)
        u2 = uniform(state)
        if u1 >= 1.0:
            continue
        v = beta * math.log(u1 / (1.0 - u1))
        w = a0 * math.exp(v)
        z = u1 * u1 * u2
        r = gamma * v - 1.3862943611198906
        s = a0 + r - w
        if s + 2.6094379124341003 >= 5.0 * z:
            break
        t = math.log(z)
        if s > t:
            break
        if r + alpha * math.log(alpha / (b0 + w)) >= t:
            break
    return w / (b0 + w) if a == a0 else b0 / (b0 + w)


@inline_kernel
def _beta(state: U64, p: FloatArray) -> float:
    """One Beta(a, b) variate, a, b >= 1, with the constants of `_beta_setup` in p[2:]."""
    method = p[4]
    if method == 2.0:
        return _order_statistic(state, p)
    if method == 3.0:
        return _cheng(state, p)
    if method == 0.0:
        return 1.0 - uniform(state)
    if p[2] == 1.0:
        return 1.0 - uniform(state) ** (1.0 / p[3])
    return uniform(state) ** (1.0 / p[2])


@inline_kernel
def draw(state: U64, code: int, p: FloatArray, pool: FloatArray) -> float:
    """One duration of family `code` with parameters `p` (see `duration_table`)."""
    if code == UNIFORM:
        return p[0] + (p[1] - p[0]) * uniform(state)
    if code == TRIANGULAR:
        low, mode, high = p[0], p[1], p[2]
        u = uniform(state)
        width = high - low
        if width <= 0.0:
            return low
        if u * width < mode - low:
            return low + math.sqrt(u * width * (mode - low))
        return high - math.sqrt((1.0 - u) * width * (high - mode))
    if code == PERT:
        return p[0] + (p[1] - p[0]) * _beta(state, p)
    if code == LOGNORMAL:
        u1 = uniform(state)
        u2 = uniform(state)
        z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
        return math.exp(p[0] + p[1] * z)
    start, length = int(p[0]), int(p[1])
    pick = int((1.0 - uniform(state)) * length)
    return pool[start + min(pick, length - 1)]


@kernel
def fill(
    state: U64,
    fixed: FloatArray,
    random: NDArray[np.int64],
    code: NDArray[np.int64],
    param: FloatArray,
    pool: FloatArray,
    out: NDArray[np.floating],
) -> None:
    """One scenario's durations into `out`: the fixed values, then a draw for
    every random position in order."""
    for i in range(len(out)):
        out[i] = fixed[i]
    for j in range(len(random)):
        out[random[j]] = draw(state, code[j], param[j], pool)


@kernel
def draw_rows(
    key: np.uint64,
    first: int,
    w_fixed: FloatArray,
    w_random: NDArray[np.int64],
    w_code: NDArray[np.int64],
    w_param: FloatArray,
    w_pool: FloatArray,
    l_fixed: FloatArray,
    l_random: NDArray[np.int64],
    l_code: NDArray[np.int64],
    l_param: FloatArray,
    l_pool: FloatArray,
    work: NDArray[np.floating],
    lead: NDArray[np.floating],
    lo: int,
    hi: int,
) -> None:
    """Rows ``lo .. hi - 1`` of `work` (S, V) and `lead` (S, E): scenarios ``first + row``."""
    state = np.empty(4, dtype=np.uint64)
    for s in range(lo, hi):
        seed_state(key, first + s, state)
        fill(state, w_fixed, w_random, w_code, w_param, w_pool, work[s])
        fill(state, l_fixed, l_random, l_code, l_param, l_pool, lead[s])
