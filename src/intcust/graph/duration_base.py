"""`Duration`: what every distribution of `intcust.graph.durations` offers.

A duration samples itself with numpy, has a mean, median and mode, a CDF and
a quantile function, and a ``to_dict()`` mapping form that `as_duration`
reads back. `ArrayLike` is what the CDF and quantile functions accept.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

__all__ = ["ArrayLike", "Duration"]

FloatArray = NDArray[np.float64]


class Duration(ABC):
    """A non-negative random duration.

    Every subclass has a vectorised ``sample(size, rng)``, its ``mean``,
    ``median`` and ``mode``, ``cdf`` and ``ppf`` (quantile) functions, and a
    ``to_dict()`` that `as_duration` turns back into an equal object.
    """

    dist: ClassVar[str]
    keys: ClassVar[tuple[str, ...]]

    @abstractmethod
    def sample(self, size: int | tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        """Draw `size` independent values with `rng`."""

    @abstractmethod
    def ppf(self, q: ArrayLike) -> FloatArray:
        """The quantile function: the duration not exceeded with probability `q`."""

    @abstractmethod
    def cdf(self, x: ArrayLike) -> FloatArray:
        """The probability that the duration is at most `x`."""

    @property
    @abstractmethod
    def mean(self) -> float:
        """The expected value."""

    @property
    @abstractmethod
    def mode(self) -> float:
        """The most likely value."""

    @property
    def median(self) -> float:
        """The value with probability one half below it."""
        return float(self.ppf(0.5))

    def estimate(self, which: str) -> float:
        """The point value named `which`: ``"mode"``, ``"mean"`` or ``"median"``."""
        return float(getattr(self, which))

    def to_dict(self) -> dict[str, Any]:
        """The mapping form, e.g. ``{"dist": "uniform", "low": 1.0, "high": 2.0}``."""
        out: dict[str, Any] = {"dist": self.dist}
        for key in self.keys:
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        return out


ArrayLike = float | Sequence[float] | FloatArray
