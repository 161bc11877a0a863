"""Durations: a fixed number or a probability distribution of time.

A duration in an organisation is a non-negative number, a mapping such as
``{"dist": "triangular", "low": 1, "mode": 2, "high": 5}``, or one of the
distribution objects below, which serialise to that mapping with ``to_dict()``.
They are re-exported from `intcust.sim`; the interface they share, `Duration`,
is defined in `intcust.graph.duration_base`.

`intcust.graph.duration_array.DurationArray` gathers many durations (one per
node or edge) by family for vectorised work.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from intcust.graph.duration_base import ArrayLike, Duration

__all__ = [
    "PERT",
    "Duration",
    "Empirical",
    "Fixed",
    "LogNormal",
    "Triangular",
    "Uniform",
]

FloatArray = NDArray[np.float64]
ESTIMATES = ("mode", "mean", "median")


def _arr(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


@dataclass(frozen=True)
class Fixed(Duration):
    """A duration that is always `value`.

    Examples
    --------
    >>> Fixed(2.0).to_dict()
    {'dist': 'fixed', 'value': 2.0}
    """

    value: float
    dist: ClassVar[str] = "fixed"
    keys: ClassVar[tuple[str, ...]] = ("value",)

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        return np.full(size, self.value, dtype=np.float64)

    def ppf(self, q: ArrayLike) -> FloatArray:
        return np.full_like(_arr(q), self.value)

    def cdf(self, x: ArrayLike) -> FloatArray:
        return (_arr(x) >= self.value).astype(np.float64)

    @property
    def mean(self) -> float:
        return self.value

    @property
    def mode(self) -> float:
        return self.value

    @property
    def median(self) -> float:
        return self.value


@dataclass(frozen=True)
class Uniform(Duration):
    """Uniform between `low` and `high`.

    Examples
    --------
    >>> Uniform(1.0, 3.0).mean
    2.0
    """

    low: float
    high: float
    dist: ClassVar[str] = "uniform"
    keys: ClassVar[tuple[str, ...]] = ("low", "high")

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        return rng.uniform(self.low, self.high, size)

    def ppf(self, q: ArrayLike) -> FloatArray:
        return self.low + (self.high - self.low) * _arr(q)

    def cdf(self, x: ArrayLike) -> FloatArray:
        if self.high == self.low:
            return (_arr(x) >= self.low).astype(np.float64)
        return np.clip((_arr(x) - self.low) / (self.high - self.low), 0.0, 1.0)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def mode(self) -> float:
        """The midpoint (every value is equally likely; the midpoint is the convention)."""
        return self.mean


@dataclass(frozen=True)
class Triangular(Duration):
    """Triangular between `low` and `high`, peaked at `mode`.

    Examples
    --------
    >>> Triangular(1.0, 2.0, 6.0).mean
    3.0
    """

    low: float
    mode_: float
    high: float
    dist: ClassVar[str] = "triangular"
    keys: ClassVar[tuple[str, ...]] = ("low", "mode", "high")

    def __init__(self, low: float, mode: float, high: float) -> None:
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "mode_", mode)
        object.__setattr__(self, "high", high)

    def __repr__(self) -> str:
        return f"Triangular(low={self.low!r}, mode={self.mode_!r}, high={self.high!r})"

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        return self.ppf(rng.random(size))

    def ppf(self, q: ArrayLike) -> FloatArray:
        return triangular_ppf(_arr(q), self.low, self.mode_, self.high)

    def cdf(self, x: ArrayLike) -> FloatArray:
        a, c, b = self.low, self.mode_, self.high
        x = np.clip(_arr(x), a, b)
        if b == a:
            return (_arr(x) >= a).astype(np.float64)
        # ratios of at most 1 multiplied: the product of two tiny widths would underflow
        left = (x - a) / (b - a) * ((x - a) / (c - a)) if c > a else np.zeros_like(x)
        right = 1 - (b - x) / (b - a) * ((b - x) / (b - c)) if b > c else np.ones_like(x)
        return np.where(x <= c, left, right)

    @property
    def mean(self) -> float:
        return (self.low + self.mode_ + self.high) / 3

    @property
    def mode(self) -> float:
        return self.mode_


def triangular_ppf(
    q: FloatArray, a: float | FloatArray, c: float | FloatArray, b: float | FloatArray
) -> FloatArray:
    width = np.asarray(b - a, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        split = np.where(width > 0, (c - a) / np.where(width > 0, width, 1.0), 0.0)
    # the width taken out of the root: the product of two tiny widths would underflow
    left = a + width * np.sqrt(q * split)
    right = b - width * np.sqrt((1 - q) * (1 - split))
    return np.asarray(np.where(q <= split, left, right), dtype=np.float64)


@dataclass(frozen=True)
class PERT(Duration):
    """PERT-beta between `low` and `high` with most likely value `mode`.

    The scaled Beta(α, β) with α = 1 + shape·(mode − low)/(high − low) and
    β = 1 + shape·(high − mode)/(high − low); shape 4 gives the classic PERT
    mean (low + 4·mode + high)/6 (Malcolm et al. 1959; Vose 2008).

    Examples
    --------
    >>> PERT(1.0, 2.0, 9.0).mean
    3.0
    """

    low: float
    mode_: float
    high: float
    shape: float = 4.0
    dist: ClassVar[str] = "pert"
    keys: ClassVar[tuple[str, ...]] = ("low", "mode", "high", "shape")

    def __init__(self, low: float, mode: float, high: float, shape: float = 4.0) -> None:
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "mode_", mode)
        object.__setattr__(self, "high", high)
        object.__setattr__(self, "shape", shape)

    def __repr__(self) -> str:
        return (
            f"PERT(low={self.low!r}, mode={self.mode_!r}, high={self.high!r}, "
            f"shape={self.shape!r})"
        )

    @property
    def alpha_beta(self) -> tuple[float, float]:
        """The two Beta shape parameters."""
        width = self.high - self.low
        if width == 0:
            return 1.0, 1.0
        return (
            1 + self.shape * (self.mode_ - self.low) / width,
            1 + self.shape * (self.high - self.mode_) / width,
        )

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        a, b = self.alpha_beta
        return self.low + (self.high - self.low) * rng.beta(a, b, size)

    def ppf(self, q: ArrayLike) -> FloatArray:
        from scipy.special import betaincinv

        a, b = self.alpha_beta
        return self.low + (self.high - self.low) * np.asarray(betaincinv(a, b, _arr(q)))

    def cdf(self, x: ArrayLike) -> FloatArray:
        from scipy.special import betainc

        if self.high == self.low:
            return (_arr(x) >= self.low).astype(np.float64)
        a, b = self.alpha_beta
        z = np.clip((_arr(x) - self.low) / (self.high - self.low), 0.0, 1.0)
        return np.asarray(betainc(a, b, z), dtype=np.float64)

    @property
    def mean(self) -> float:
        return (self.low + self.shape * self.mode_ + self.high) / (self.shape + 2)

    @property
    def mode(self) -> float:
        return self.mode_


@dataclass(frozen=True)
class LogNormal(Duration):
    """Log-normal: ``exp(N(mu, sigma²))``, as numpy and scipy parametrise it.

    Examples
    --------
    >>> round(LogNormal(0.0, 0.5).median, 6)
    1.0
    """

    mu: float
    sigma: float
    dist: ClassVar[str] = "lognormal"
    keys: ClassVar[tuple[str, ...]] = ("mu", "sigma")

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        return rng.lognormal(self.mu, self.sigma, size)

    def ppf(self, q: ArrayLike) -> FloatArray:
        from scipy.special import ndtri

        return np.exp(self.mu + self.sigma * np.asarray(ndtri(_arr(q))))

    def cdf(self, x: ArrayLike) -> FloatArray:
        from scipy.special import ndtr

        x = _arr(x)
        if self.sigma == 0:
            return (x >= math.exp(self.mu)).astype(np.float64)
        with np.errstate(divide="ignore", over="ignore"):
            z = (np.log(np.maximum(x, 0.0)) - self.mu) / self.sigma
        return np.asarray(ndtr(z), dtype=np.float64)

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    @property
    def median(self) -> float:
        return math.exp(self.mu)

    @property
    def mode(self) -> float:
        return math.exp(self.mu - self.sigma**2)


@dataclass(frozen=True)
class Empirical(Duration):
    """The empirical distribution of observed `samples` (each equally likely).

    Its mode is the most frequent observed value (the median of the tied
    values when several are equally frequent), which is the median itself
    when every observation is distinct.

    Examples
    --------
    >>> e = Empirical([1.0, 2.0, 2.0, 7.0])
    >>> e.mode, e.median, e.mean
    (2.0, 2.0, 3.0)
    """

    samples: tuple[float, ...]
    dist: ClassVar[str] = "empirical"
    keys: ClassVar[tuple[str, ...]] = ("samples",)

    def __init__(self, samples: Sequence[float] | FloatArray) -> None:
        if isinstance(samples, np.ndarray) and samples.ndim == 1:
            values = tuple(samples.astype(np.float64, copy=False).tolist())  # logs hold many
        else:
            values = tuple(float(s) for s in samples)
        object.__setattr__(self, "samples", values)

    @property
    def sorted(self) -> FloatArray:
        """The samples in increasing order."""
        return np.sort(np.asarray(self.samples, dtype=np.float64))

    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        return np.asarray(self.samples, dtype=np.float64)[
            rng.integers(len(self.samples), size=size)
        ]

    def ppf(self, q: ArrayLike) -> FloatArray:
        """The inverse of the empirical CDF (the lower quantile)."""
        s = self.sorted
        idx = np.ceil(_arr(q) * len(s)).astype(np.int64) - 1
        return s[np.clip(idx, 0, len(s) - 1)]

    def cdf(self, x: ArrayLike) -> FloatArray:
        s = self.sorted
        return np.searchsorted(s, _arr(x), side="right") / len(s)

    @property
    def mean(self) -> float:
        return float(np.mean(self.samples))

    @property
    def median(self) -> float:
        return float(np.median(self.samples))

    @property
    def mode(self) -> float:
        values, counts = np.unique(np.asarray(self.samples), return_counts=True)
        return float(np.median(values[counts == counts.max()]))


FAMILIES: dict[str, type[Duration]] = {
    cls.dist: cls for cls in (Fixed, Uniform, Triangular, PERT, LogNormal, Empirical)
}
