"""Reading durations from the schema: every way a value fails, or the distribution it is.

A duration in an organisation is a non-negative number, a mapping such as
``{"dist": "triangular", "low": 1, "mode": 2, "high": 5}``, or a distribution
object of `intcust.graph.durations`. `duration_problems` words every problem
with the place it was found; `as_duration` turns a valid value into an object.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from intcust._params import keyword_only
from intcust.errors import SchemaError, quote
from intcust.graph.attribute_names import suggestion
from intcust.graph.durations import FAMILIES, Duration, Fixed
from intcust.graph.schema import MAX_NUMBER

__all__ = ["as_duration", "duration_problems", "point_value", "real_value"]

_OPTIONAL: dict[str, tuple[str, ...]] = {"pert": ("shape",)}
#: The largest PERT shape (4 is the classic PERT; beyond this the Beta is a spike).
_MAX_SHAPE = 1e6
#: A lognormal's mean exp(mu + sigma²/2) is a duration, so its log is bounded.
_MAX_LOG = math.log(MAX_NUMBER)


def _is_number(x: object) -> bool:
    kind = type(x)
    if kind is float or kind is int:  # the common case, without the ABC check
        return True
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def real_value(x: object) -> float | None:
    """`x` as a finite float, or None when it is not a real number or not finite.

    Ints too large for a float (``10**400``) are None too, never an
    `OverflowError`.

    Examples
    --------
    >>> real_value(2), real_value(0.5), real_value(True), real_value(10**400), real_value("1")
    (2.0, 0.5, None, None, None)
    """
    if type(x) is float:
        return x if math.isfinite(x) else None
    if not _is_number(x):
        return None
    try:
        v = float(x)  # type: ignore[arg-type]
    except (OverflowError, ValueError, TypeError):
        return None
    return v if math.isfinite(v) else None


def _bounded(x: object) -> bool:
    v = real_value(x)
    return v is not None and -MAX_NUMBER <= v <= MAX_NUMBER


def duration_problems(value: object, where: str) -> list[str]:
    """Every way `value` fails to be a duration; empty when it is one.

    Parameters
    ----------
    value : object
        A number, a mapping or a `Duration`.
    where : str
        The place, e.g. ``"work of node 'designer'"``; each problem starts with it.

    Examples
    --------
    >>> duration_problems(-2, "lead_time of edge ('a', 'b')")
    ["lead_time of edge ('a', 'b') must be a non-negative duration; got -2"]
    >>> duration_problems({"dist": "triangular", "low": 3, "mode": 2, "high": 5}, "work")
    ['work: triangular needs low <= mode <= high; got low=3, mode=2, high=5']
    >>> duration_problems(1e300, "work")
    ['work must be a duration of at most 1e+15; got 1e+300']
    """
    if isinstance(value, Duration):
        value = value.to_dict()
    if _is_number(value):
        x = real_value(value)
        huge = isinstance(value, numbers.Integral) and x is None and int(value) > 0
        if not huge and (x is None or x < 0):
            return [f"{where} must be a non-negative duration; got {quote(value)}"]
        if huge or x > MAX_NUMBER:  # type: ignore[operator]
            return [f"{where} must be a duration of at most {MAX_NUMBER:g}; got {quote(value)}"]
        return []
    if not isinstance(value, Mapping):
        return [
            f"{where} must be a non-negative number or a distribution mapping "
            f"such as {{'dist': 'triangular', 'low': 1, 'mode': 2, 'high': 5}}; "
            f"got {quote(value)} of type {type(value).__name__}"
        ]
    dist = value.get("dist")
    if not isinstance(dist, str) or dist not in FAMILIES:
        hint = suggestion(dist, FAMILIES) if isinstance(dist, str) else ""
        return [f"{where}: 'dist' must be one of {sorted(FAMILIES)}; got {quote(dist)}{hint}"]
    cls = FAMILIES[dist]
    required = [k for k in cls.keys if k not in _OPTIONAL.get(dist, ())]
    allowed = {"dist", *cls.keys}
    problems = [
        f"{where}: {dist} needs the key {k!r}; got keys {quote(list(value))}"
        for k in required
        if k not in value
    ]
    problems += [
        f"{where}: {dist} takes the keys {sorted(allowed)}; got unknown key {quote(k)}"
        for k in value
        if k not in allowed
    ]
    if problems:
        return problems
    if dist == "empirical":
        return _samples_problems(value["samples"], where)
    for k in cls.keys:
        if k in value and not _bounded(value[k]):
            problems.append(
                f"{where}: {dist} {k!r} must be a finite number of size at most "
                f"{MAX_NUMBER:g}; got {quote(value[k])}"
            )
    if problems:
        return problems
    if dist == "fixed" and value["value"] < 0:
        problems.append(f"{where} must be a non-negative duration; got {quote(value['value'])}")
    elif dist == "lognormal":
        mu, sigma = float(value["mu"]), float(value["sigma"])
        if sigma < 0:
            problems.append(
                f"{where}: lognormal 'sigma' must be >= 0; got {quote(value['sigma'])}"
            )
        elif mu + 0.5 * sigma * sigma > _MAX_LOG:
            problems.append(
                f"{where}: lognormal's mean exp(mu + sigma**2 / 2) must be at most "
                f"{MAX_NUMBER:g}; got mu={quote(value['mu'])}, sigma={quote(value['sigma'])}"
            )
    elif dist == "uniform" and not 0 <= value["low"] <= value["high"]:
        problems.append(
            f"{where}: uniform needs 0 <= low <= high; "
            f"got low={value['low']!r}, high={value['high']!r}"
        )
    elif dist in ("triangular", "pert"):
        low, mode, high = value["low"], value["mode"], value["high"]
        if low < 0:
            problems.append(f"{where}: {dist} 'low' must be >= 0; got {low!r}")
        if not low <= mode <= high:
            problems.append(
                f"{where}: {dist} needs low <= mode <= high; "
                f"got low={low!r}, mode={mode!r}, high={high!r}"
            )
        if dist == "pert" and not 0 < value.get("shape", 4.0) <= _MAX_SHAPE:
            problems.append(
                f"{where}: pert 'shape' must be > 0 and <= {_MAX_SHAPE:g}; "
                f"got {quote(value['shape'])}"
            )
    return problems


def _samples_problems(samples: object, where: str) -> list[str]:
    if isinstance(samples, (str, bytes)) or not isinstance(samples, Sequence | np.ndarray):
        return [f"{where}: empirical 'samples' must be a list of numbers; got {quote(samples)}"]
    if len(samples) == 0:
        return [f"{where}: empirical 'samples' must not be empty; got []"]
    for s in samples:
        x = real_value(s)
        if x is None or not 0 <= x <= MAX_NUMBER:
            return [
                f"{where}: empirical 'samples' must be numbers from 0 to {MAX_NUMBER:g}; "
                f"got {quote(s)}"
            ]
    return []


@keyword_only("where")
def as_duration(value: object, *, where: str = "duration") -> Duration:
    """Turn a number, mapping or `Duration` into a `Duration`.

    Parameters
    ----------
    value : number, mapping or Duration
        What the schema accepts as a duration.
    where : str, optional
        The place, used in the error message.

    Returns
    -------
    Duration
        `Fixed` for a number.

    Raises
    ------
    SchemaError
        If `value` is not a valid duration; the message starts with `where`.

    Examples
    --------
    >>> as_duration({"dist": "pert", "low": 1, "mode": 2, "high": 9})
    PERT(low=1, mode=2, high=9, shape=4.0)
    >>> as_duration(3)
    Fixed(value=3.0)
    """
    if isinstance(value, Duration):
        problems = duration_problems(value, where)
        if problems:
            raise SchemaError(problems)
        return value
    problems = duration_problems(value, where)
    if problems:
        raise SchemaError(problems)
    if _is_number(value):
        return Fixed(float(value))  # type: ignore[arg-type]
    assert isinstance(value, Mapping)
    cls = FAMILIES[value["dist"]]
    args = {("mode" if k == "mode" else k): value[k] for k in cls.keys if k in value}
    return cls(**args)


def point_value(value: object, estimate: str = "mode") -> float:
    """The point value of a duration given as a number, mapping or object."""
    if _is_number(value):
        return float(value)  # type: ignore[arg-type]
    return as_duration(value).estimate(estimate)
