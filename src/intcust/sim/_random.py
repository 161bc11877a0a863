"""Random durations inside compiled kernels: one stream per scenario.

Scenario ``i`` of a run draws from its own xoshiro256++ generator [1]_,
seeded by SplitMix64 [2]_ from the run's 64-bit key and ``i``; so a scenario
sees the same durations whatever the chunk size, thread or worker that
simulates it. It draws the work of every node with a random duration, then
the lead time of every gating service with a random duration; within each,
kind by kind in the order of the list below (the PERT kinds in the order
given there), positions ascending. Fixed durations draw nothing.

Families and their draws (one uniform ``u`` in (0, 1] unless said):

- uniform: ``low + (high - low) u``;
- triangular: the inverse CDF;
- PERT: ``low + (high - low) X`` with ``X ~ Beta(alpha, beta)``: as the
  k-th smallest of ``alpha + beta - 1`` uniforms when both shapes are
  integers and the smaller, k, is at most 3 (PERT(0.5 m, m, 2.5 m) gives
  Beta(2, 4): five uniforms); by the inverse CDF, one uniform, when a shape
  is 1; otherwise by Cheng's algorithm BB [3]_ (about 1.2 pairs of uniforms
  on average);
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

from intcust._jit import inline_kernel, inner_kernel, kernel
from intcust.graph.duration_array import DurationArray
from intcust.sim._passes import copy_into

__all__ = [
    "DurationTable",
    "State",
    "draw_rows",
    "duration_table",
    "fill_random",
    "rare_flag",
    "seed_state",
]

FloatArray = NDArray[np.float64]
U64 = NDArray[np.uint64]

# kinds of draw, in draw order; the parameters of each are in `duration_table`
UNIFORM, TRIANGULAR, ORDER, ORDER_FLIP, POWER, POWER_FLIP, CHENG, LOGNORMAL, EMPIRICAL = range(9)
_GOLDEN = 0x9E3779B97F4A7C15

#: Beta shapes whose sum is at most this use order statistics when both are integers.
_ORDER_MAX = 12


@dataclass(frozen=True, eq=False)
class DurationTable:
    """Durations laid out for a kernel: fixed values, and the random ones' parameters.

    Random positions are grouped by kind of draw, positions ascending within
    a kind, with four parameters each:

    - UNIFORM: low, width; TRIANGULAR: low, width, (mode - low) / width;
    - ORDER (ORDER_FLIP): low, width, k, m: Beta is the k-th smallest of m
      uniforms (one minus it);
    - POWER (POWER_FLIP): low, width, e: Beta is ``u ** e`` (one minus it);
    - CHENG: low, width, the row of its constants in `cheng` (a0, b0, beta,
      gamma), and 1 when the larger shape is alpha;
    - LOGNORMAL: mu, sigma (in the low and width columns); EMPIRICAL: first
      sample in `pool`, count.
    """

    fixed: FloatArray  #: value at every position (the fixed ones; random ones are drawn)
    random: NDArray[np.int64]  #: positions with a random duration, in draw order
    kind: NDArray[np.int64]  #: kind of draw of each random position
    kind_ptr: NDArray[np.int64]  #: rows of kind k: kind_ptr[k]:kind_ptr[k + 1]
    param: FloatArray  #: (len(random), 4) parameters
    cheng: FloatArray  #: (k, 4) constants of Cheng's algorithm
    pool: FloatArray  #: samples of the empirical durations

    @property
    def has_rare(self) -> bool:
        """Whether some draw is of a kind from POWER on (see `fill_random`)."""
        return bool(self.kind_ptr[EMPIRICAL + 1] > self.kind_ptr[POWER])


def rare_flag(*tables: DurationTable) -> bool | None:
    """The `rare` argument of the kernels for a run drawing from `tables`: True when
    one of them has a draw of the kinds from POWER on, else None."""
    return True if any(t.has_rare for t in tables) else None


def _beta_row(a: float, b: float, cheng: list[tuple[float, ...]]) -> tuple[int, float, float]:
    """The kind of draw and two parameters of Beta(a, b), a, b >= 1."""
    # a shape equal to an integer to 12 digits is that integer (PERT(0.5 m, m, 2.5 m)
    # gives 2 and 4 up to rounding)
    a = float(round(a)) if abs(a - round(a)) <= 1e-12 * a else a
    b = float(round(b)) if abs(b - round(b)) <= 1e-12 * b else b
    if a.is_integer() and b.is_integer() and min(a, b) <= 3 and a + b <= _ORDER_MAX:
        # Beta(a, b) is the a-th smallest of a + b - 1 uniforms; Beta(a, b) = 1 - Beta(b, a)
        return (ORDER_FLIP if a > b else ORDER), min(a, b), a + b - 1
    if a == 1.0:
        return POWER_FLIP, 1.0 / b, 0.0  # 1 - u ** (1 / b)
    if b == 1.0:
        return POWER, 1.0 / a, 0.0
    a0, b0 = min(a, b), max(a, b)
    alpha = a0 + b0
    beta = math.sqrt((alpha - 2.0) / (2.0 * a0 * b0 - alpha))
    cheng.append((a0, b0, beta, a0 + 1.0 / beta))
    return CHENG, float(len(cheng) - 1), float(a > b)


def duration_table(durations: DurationArray, positions: NDArray[np.int64]) -> DurationTable:
    """The kernel form of the durations at `positions` (distinct), position j of the
    table holding ``durations[positions[j]]``."""
    fixed = durations.point("mode").astype(np.float64)[positions]
    slot = np.full(len(durations), -1, dtype=np.int64)
    slot[positions] = np.arange(len(positions))
    wanted = slot >= 0
    rows: list[tuple[int, int, tuple[float, ...]]] = []
    pools: list[FloatArray] = []
    cheng: list[tuple[float, ...]] = []
    used = 0
    for fam in durations.families:
        if fam.dist == "fixed":
            continue
        for j in np.flatnonzero(wanted[fam.index]).tolist():
            i = int(slot[fam.index[j]])
            if fam.dist == "empirical":
                assert fam.pool is not None and fam.ptr is not None
                lo, hi = int(fam.ptr[j]), int(fam.ptr[j + 1])
                pools.append(fam.pool[lo:hi])
                rows.append((EMPIRICAL, i, (float(used), float(hi - lo))))
                used += hi - lo
                continue
            p = {k: float(v[j]) for k, v in fam.params.items()}
            if fam.dist == "lognormal":
                rows.append((LOGNORMAL, i, (p["mu"], p["sigma"])))
                continue
            low, width = p["low"], p["high"] - p["low"]
            if fam.dist == "uniform" or width <= 0:
                rows.append((UNIFORM, i, (low, width)))
            elif fam.dist == "triangular":
                rows.append((TRIANGULAR, i, (low, width, (p["mode"] - low) / width)))
            else:
                a = 1 + p["shape"] * (p["mode"] - low) / width
                b = 1 + p["shape"] * (p["high"] - p["mode"]) / width
                kind, x, y = _beta_row(a, b, cheng)
                rows.append((kind, i, (low, width, x, y)))
    rows.sort(key=lambda r: (r[0], r[1]))
    param = np.zeros((len(rows), 4))
    for j, (_, _, par) in enumerate(rows):
        param[j, : len(par)] = par
    kinds = np.array([r[0] for r in rows], dtype=np.int64)
    return DurationTable(
        fixed=fixed,
        random=np.array([r[1] for r in rows], dtype=np.int64),
        kind=kinds,
        kind_ptr=np.searchsorted(kinds, np.arange(EMPIRICAL + 2)).astype(np.int64),
        param=param,
        cheng=np.array(cheng, dtype=np.float64).reshape(-1, 4),
        pool=np.concatenate(pools) if pools else np.zeros(0),
    )


@inner_kernel
def seed_state(key: np.uint64, scenario: int, state: U64) -> None:
    """Fill `state` with the generator of `scenario` (SplitMix64 from the key)."""
    x = np.uint64(key) + np.uint64(_GOLDEN) * np.uint64(scenario + 1)
    for i in range(4):
        x = x + np.uint64(_GOLDEN)
        z = x
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        state[i] = z ^ (z >> np.uint64(31))


@inner_kernel
def _rotl(x: np.uint64, k: np.uint64) -> np.uint64:
    return (x << k) | (x >> (np.uint64(64) - k))


#: A generator's state in registers: its four 64-bit words.
State = tuple[np.uint64, np.uint64, np.uint64, np.uint64]


@inner_kernel
def uniform(s: State) -> tuple[State, float]:
    """The next uniform number in (0, 1] (53 random bits), and the advanced state.

    The state travels as a tuple of four words, which the compiler keeps in
    registers; a state in an array would be reloaded and stored at every
    draw, because the array could alias the output.
    """
    s0, s1, s2, s3 = s
    result = _rotl(s0 + s3, np.uint64(23)) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, np.uint64(45))
    # 53 bits fit an int64, whose conversion to float is one instruction
    u = (float(np.int64(result >> np.uint64(11))) + 1.0) * (1.0 / 9007199254740992.0)
    return (s0, s1, s2, s3), u


@inline_kernel
def _order_statistic(s: State, k: int, m: int) -> tuple[State, float]:
    """The k-th smallest of m uniforms, k <= 3."""
    # keep the three smallest seen, with min and max rather than branches (random
    # comparisons defeat branch prediction)
    x1 = x2 = x3 = 2.0
    for _ in range(m):
        s, u = uniform(s)
        x3 = min(max(u, x2), x3)
        x2 = min(max(u, x1), x2)
        x1 = min(u, x1)
    return s, (x1 if k == 1 else (x2 if k == 2 else x3))


@inner_kernel
def _cheng(s: State, c: FloatArray, row: int) -> tuple[State, float]:
    """Beta(a0, b0) with 1 < a0 <= b0: Cheng (1978), algorithm BB (constants a0, b0,
    beta, gamma in row `row` of `c`)."""
    a0, b0, beta, gamma = c[row, 0], c[row, 1], c[row, 2], c[row, 3]
    alpha = a0 + b0
    while True:
        s, u1 = uniform(s)
        s, u2 = uniform(s)
        if u1 >= 1.0:
            continue
        v = beta * math.log(u1 / (1.0 - u1))
        w = a0 * math.exp(v)
        z = u1 * u1 * u2
        r = gamma * v - 1.3862943611198906
        t0 = a0 + r - w
        if t0 + 2.6094379124341003 >= 5.0 * z:
            break
        t = math.log(z)
        if t0 > t:
            break
        if r + alpha * math.log(alpha / (b0 + w)) >= t:
            break
    return s, float(w / (b0 + w))


@inline_kernel
def _triangular(s: State, param: FloatArray, j: int) -> tuple[State, float]:
    s, u = uniform(s)
    c = param[j, 2]
    # both branches, then a select: a random comparison defeats branch prediction
    left = math.sqrt(u * c)
    right = 1.0 - math.sqrt((1.0 - u) * (1.0 - c))
    return s, float(param[j, 0] + param[j, 1] * (left if u < c else right))


@inline_kernel
def _order(s: State, param: FloatArray, j: int, flip: bool) -> tuple[State, float]:
    s, x = _order_statistic(s, int(param[j, 2]), int(param[j, 3]))
    return s, float(param[j, 0] + param[j, 1] * (1.0 - x if flip else x))


@inline_kernel
def _power(s: State, param: FloatArray, j: int, flip: bool) -> tuple[State, float]:
    s, u = uniform(s)
    x = u ** param[j, 2]
    return s, float(param[j, 0] + param[j, 1] * (1.0 - x if flip else x))


@inline_kernel
def _beta_cheng(s: State, param: FloatArray, j: int, cheng: FloatArray) -> tuple[State, float]:
    s, x = _cheng(s, cheng, int(param[j, 2]))
    return s, float(param[j, 0] + param[j, 1] * (1.0 - x if param[j, 3] == 1.0 else x))


@inline_kernel
def _lognormal(s: State, param: FloatArray, j: int) -> tuple[State, float]:
    s, u1 = uniform(s)
    s, u2 = uniform(s)
    z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
    return s, math.exp(param[j, 0] + param[j, 1] * z)


@inline_kernel
def _empirical(s: State, param: FloatArray, j: int, pool: FloatArray) -> tuple[State, float]:
    start, length = int(param[j, 0]), int(param[j, 1])
    s, u = uniform(s)
    pick = int((1.0 - u) * length)
    return s, float(pool[start + min(pick, length - 1)])


@inner_kernel
def _rare(
    s: State, kind: int, param: FloatArray, j: int, cheng: FloatArray, pool: FloatArray
) -> tuple[State, float]:
    """A draw of the kinds from POWER on: one compiled unit for the kinds
    organisations use least, so that a first call compiles one function,
    not four, for them."""
    if kind in (POWER, POWER_FLIP):
        return _power(s, param, j, kind == POWER_FLIP)
    if kind == CHENG:
        return _beta_cheng(s, param, j, cheng)
    if kind == LOGNORMAL:
        return _lognormal(s, param, j)
    return _empirical(s, param, j, pool)


@inner_kernel
def fill_random(
    state: U64,
    random: NDArray[np.int64],
    kind_ptr: NDArray[np.int64],
    param: FloatArray,
    cheng: FloatArray,
    pool: FloatArray,
    out: NDArray[np.floating],
    rare: bool | None,
) -> None:
    """One scenario's draws into `out`, one for every random position in order
    (the fixed positions of `out` are left as they are), advancing `state`.

    `rare` is None when no table of the run has a draw of the kinds from
    POWER on (`rare_flag`): numba then compiles this function
    without `_rare`, which saves about 0.3 s of a first call.

    Rows of one kind are ``kind_ptr[k]:kind_ptr[k + 1]``. The common kinds
    (uniform, triangular, PERT by order statistics) have loops of their own,
    which the compiler keeps tight (one loop dispatching on the kind per draw
    runs several times slower); the others share `_rare`, one function to
    compile rather than four.
    """
    s = (state[0], state[1], state[2], state[3])
    for j in range(kind_ptr[UNIFORM], kind_ptr[UNIFORM + 1]):
        s, u = uniform(s)
        out[random[j]] = param[j, 0] + param[j, 1] * u
    for j in range(kind_ptr[TRIANGULAR], kind_ptr[TRIANGULAR + 1]):
        s, out[random[j]] = _triangular(s, param, j)
    # a kind and its flipped twin are adjacent; one loop each keeps `flip` a
    # variable, so the samplers compile once rather than once per constant
    for j in range(kind_ptr[ORDER], kind_ptr[ORDER_FLIP + 1]):
        s, out[random[j]] = _order(s, param, j, j >= kind_ptr[ORDER_FLIP])
    if rare is not None:  # a constant to numba: without it, the branch is not compiled
        for k in range(POWER, EMPIRICAL + 1):
            for j in range(kind_ptr[k], kind_ptr[k + 1]):
                s, out[random[j]] = _rare(s, k, param, j, cheng, pool)
    elif kind_ptr[EMPIRICAL + 1] > kind_ptr[POWER]:
        raise ValueError("fill_random: the table has draws of the rare kinds but rare is None")
    state[0], state[1], state[2], state[3] = s


@kernel
def draw_rows(
    key: np.uint64,
    first: int,
    rare: bool | None,
    w_fixed: FloatArray,
    w_random: NDArray[np.int64],
    w_kind_ptr: NDArray[np.int64],
    w_param: FloatArray,
    w_cheng: FloatArray,
    w_pool: FloatArray,
    l_fixed: FloatArray,
    l_random: NDArray[np.int64],
    l_kind_ptr: NDArray[np.int64],
    l_param: FloatArray,
    l_cheng: FloatArray,
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
        copy_into(work[s], w_fixed)
        copy_into(lead[s], l_fixed)
        fill_random(state, w_random, w_kind_ptr, w_param, w_cheng, w_pool, work[s], rare)
        fill_random(state, l_random, l_kind_ptr, l_param, l_cheng, l_pool, lead[s], rare)
