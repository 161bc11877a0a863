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

from intcust.errors import SchemaError
from intcust.graph.durations import FAMILIES, Duration, Fixed

__all__ = ["as_duration", "duration_problems", "point_value"]

_OPTIONAL: dict[str, tuple[str, ...]] = {"pert": ("shape",)}


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


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
    """
    if isinstance(value, Duration):
        value = value.to_dict()
    if _is_number(value):
        x = float(value)  # type: ignore[arg-type]
        if not math.isfinite(x) or x < 0:
            return [f"{where} must be a non-negative duration; got {value!r}"]
        return []
    if not isinstance(value, Mapping):
        return [
            f"{where} must be a non-negative number or a distribution mapping "
            f"such as {{'dist': 'triangular', 'low': 1, 'mode': 2, 'high': 5}}; "
            f"got {value!r} of type {type(value).__name__}"
        ]
    dist = value.get("dist")
    if dist not in FAMILIES:
        return [f"{where}: 'dist' must be one of {sorted(FAMILIES)}; got {dist!r}"]
    cls = FAMILIES[dist]
    required = [k for k in cls.keys if k not in _OPTIONAL.get(dist, ())]
    allowed = {"dist", *cls.keys}
    problems = [
        f"{where}: {dist} needs the key {k!r}; got keys {sorted(value)}"
        for k in required
        if k not in value
    ]
    problems += [
        f"{where}: {dist} takes the keys {sorted(allowed)}; got unknown key {k!r}"
        for k in value
        if k not in allowed
    ]
    if problems:
        return problems
    if dist == "empirical":
        samples = value["samples"]
        if isinstance(samples, (str, bytes)) or not isinstance(samples, Sequence | np.ndarray):
            return [f"{where}: empirical 'samples' must be a list of numbers; got {samples!r}"]
        if len(samples) == 0:
            return [f"{where}: empirical 'samples' must not be empty; got []"]
        bad = [s for s in samples if not _is_number(s) or not math.isfinite(s) or s < 0]
        if bad:
            return [
                f"{where}: empirical 'samples' must be non-negative finite numbers; got {bad[0]!r}"
            ]
        return []
    for k in cls.keys:
        if k in value and (not _is_number(value[k]) or not math.isfinite(value[k])):
            problems.append(f"{where}: {dist} {k!r} must be a finite number; got {value[k]!r}")
    if problems:
        return problems
    if dist == "fixed" and value["value"] < 0:
        problems.append(f"{where} must be a non-negative duration; got {value['value']!r}")
    elif dist == "lognormal" and value["sigma"] < 0:
        problems.append(f"{where}: lognormal 'sigma' must be >= 0; got {value['sigma']!r}")
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
        if dist == "pert" and value.get("shape", 4.0) <= 0:
            problems.append(f"{where}: pert 'shape' must be > 0; got {value['shape']!r}")
    return problems


def as_duration(value: object, where: str = "duration") -> Duration:
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
