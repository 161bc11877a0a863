"""`DurationArray`: many durations at once, grouped by family.

Point estimates, samples and quantiles of every node's work or every edge's
lead time come from a few vectorised numpy calls per family, never from a
Python loop over nodes or edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from intcust.errors import ParameterError
from intcust.graph.duration_parsing import as_duration
from intcust.graph.durations import ESTIMATES, FAMILIES, Duration, Fixed, triangular_ppf

__all__ = ["DurationArray"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class _Family:
    """Durations of one family: their positions and stacked parameters."""

    dist: str
    index: NDArray[np.int64]
    params: dict[str, FloatArray]
    # empirical only: all samples, and each duration's slice [ptr[i], ptr[i+1])
    pool: FloatArray | None = None
    ptr: NDArray[np.int64] | None = None


class DurationArray:
    """Many durations at once, grouped by family for vectorised work.

    Parameters
    ----------
    values : sequence of number, mapping or Duration
        One duration per position (node or edge). Plain numbers, the common
        case, take a fast path that creates no objects.
    where : callable, optional
        ``where(i)`` names position `i` in an error message.

    Raises
    ------
    SchemaError
        If a value is not a valid duration.

    Examples
    --------
    >>> from intcust.sim import Triangular
    >>> arr = DurationArray([1.0, Triangular(0.0, 1.0, 2.0), {"dist": "uniform", "low": 2, "high": 4}])
    >>> arr.point("mean").tolist()
    [1.0, 1.0, 3.0]
    >>> arr.sample(5, np.random.default_rng(0)).shape
    (3, 5)
    """

    def __init__(
        self, values: Sequence[object], where: Callable[[int], str] | None = None
    ) -> None:
        self.size = len(values)
        fixed = np.zeros(self.size, dtype=np.float64)
        is_fixed = np.ones(self.size, dtype=bool)
        self._durations: dict[int, Duration] = {}
        groups: dict[str, list[int]] = {}
        for i, x in enumerate(values):
            if type(x) is float or type(x) is int:
                if not 0 <= x < math.inf:
                    as_duration(x, where=where(i) if where else f"duration {i}")
                fixed[i] = x
                continue
            d = as_duration(x, where=where(i) if where else f"duration {i}")
            if isinstance(d, Fixed):
                fixed[i] = d.value
            else:
                is_fixed[i] = False
                self._durations[i] = d
                groups.setdefault(d.dist, []).append(i)
        self.families: list[_Family] = []
        if is_fixed.any():
            idx = np.flatnonzero(is_fixed)
            self.families.append(_Family("fixed", idx, {"value": fixed[idx]}))
        for dist in sorted(groups):
            idx = np.asarray(groups[dist], dtype=np.int64)
            members = [self._durations[i] for i in groups[dist]]
            if dist == "empirical":
                lengths = np.fromiter(
                    (len(m.samples) for m in members),  # type: ignore[attr-defined]
                    np.int64,
                    len(members),
                )
                ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
                pool = np.fromiter(
                    (s for m in members for s in m.samples),  # type: ignore[attr-defined]
                    np.float64,
                    int(ptr[-1]),
                )
                self.families.append(_Family(dist, idx, {}, pool, ptr))
            else:
                params = {
                    k: np.fromiter(
                        (getattr(m, "mode_" if k == "mode" else k) for m in members),
                        np.float64,
                        len(members),
                    )
                    for k in FAMILIES[dist].keys
                }
                self.families.append(_Family(dist, idx, params))
        self._fixed = fixed
        self._point: dict[str, FloatArray] = {}
        self.is_fixed = not self._durations

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> Duration:
        """The duration at position `i` as an object."""
        return self._durations.get(i) or Fixed(float(self._fixed[i]))

    def point(self, estimate: str = "mode") -> FloatArray:
        """The point value of each duration: ``"mode"``, ``"mean"`` or ``"median"``."""
        if estimate not in self._point:
            if estimate not in ESTIMATES:
                raise ParameterError(
                    f"The 'estimate' parameter must be one of {list(ESTIMATES)}; got {estimate!r}."
                )
            out = self._fixed.copy()
            for i, d in self._durations.items():
                out[i] = d.estimate(estimate)
            self._point[estimate] = out
        return self._point[estimate]

    def sample(self, n: int, rng: np.random.Generator, dtype: Any = np.float64) -> FloatArray:
        """Draw `n` scenarios of every duration: an array of shape ``(size, n)``.

        Families are drawn in a fixed order, so the same generator state gives
        the same numbers.
        """
        out = np.empty((self.size, n), dtype=dtype)
        for fam in self.families:
            out[fam.index] = self._draw(fam, n, rng)
        return out

    def ppf(self, q: FloatArray) -> FloatArray:
        """The quantiles `q` (shape ``(size, n)``) of every duration, row by row."""
        out = np.empty(q.shape, dtype=np.float64)
        for fam in self.families:
            out[fam.index] = self._ppf(fam, q[fam.index])
        return out

    @staticmethod
    def _draw(fam: _Family, n: int, rng: np.random.Generator) -> FloatArray:
        p = {k: v[:, None] for k, v in fam.params.items()}
        k = len(fam.index)
        if fam.dist == "fixed":
            return np.broadcast_to(p["value"], (k, n))
        if fam.dist == "uniform":
            return p["low"] + (p["high"] - p["low"]) * rng.random((k, n))
        if fam.dist == "triangular":
            return triangular_ppf(rng.random((k, n)), p["low"], p["mode"], p["high"])
        if fam.dist == "pert":
            a, b = _pert_shapes(p)
            return p["low"] + (p["high"] - p["low"]) * rng.beta(a, b, (k, n))
        if fam.dist == "lognormal":
            return np.exp(p["mu"] + p["sigma"] * rng.standard_normal((k, n)))
        assert fam.pool is not None and fam.ptr is not None
        lengths = np.diff(fam.ptr)[:, None]
        pick = fam.ptr[:-1, None] + (rng.random((k, n)) * lengths).astype(np.int64)
        return fam.pool[pick]

    @staticmethod
    def _ppf(fam: _Family, q: FloatArray) -> FloatArray:
        from scipy.special import betaincinv, ndtri

        p = {k: v[:, None] for k, v in fam.params.items()}
        if fam.dist == "fixed":
            return np.broadcast_to(p["value"], q.shape)
        if fam.dist == "uniform":
            return p["low"] + (p["high"] - p["low"]) * q
        if fam.dist == "triangular":
            return triangular_ppf(q, p["low"], p["mode"], p["high"])
        if fam.dist == "pert":
            a, b = _pert_shapes(p)
            return p["low"] + (p["high"] - p["low"]) * betaincinv(a, b, q)
        if fam.dist == "lognormal":
            return np.exp(p["mu"] + p["sigma"] * ndtri(q))
        assert fam.pool is not None and fam.ptr is not None
        lengths = np.diff(fam.ptr)[:, None]
        # lower quantile of each sorted sample slice
        pool = np.concatenate(
            [np.sort(fam.pool[a:b]) for a, b in zip(fam.ptr[:-1], fam.ptr[1:], strict=True)]
        )
        rank = np.clip(np.ceil(q * lengths).astype(np.int64) - 1, 0, lengths - 1)
        return np.asarray(pool[fam.ptr[:-1, None] + rank], dtype=np.float64)


def _pert_shapes(p: Mapping[str, FloatArray]) -> tuple[FloatArray, FloatArray]:
    width = p["high"] - p["low"]
    safe = np.where(width > 0, width, 1.0)
    a = np.where(width > 0, 1 + p["shape"] * (p["mode"] - p["low"]) / safe, 1.0)
    b = np.where(width > 0, 1 + p["shape"] * (p["high"] - p["mode"]) / safe, 1.0)
    return a, b
