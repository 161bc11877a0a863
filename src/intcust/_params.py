"""Argument checks shared by every public function, with one message template.

``"The 'n' parameter of monte_carlo must be a positive int; got 0."``
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np

from intcust.errors import ParameterError, UnknownNodeError

__all__ = [
    "check_choice",
    "check_int",
    "check_node",
    "check_nodes",
    "check_number",
    "rng_from_seed",
]

Seed = int | np.random.Generator | np.random.SeedSequence | None


def _fail(func: str, param: str, expected: str, got: object) -> ParameterError:
    return ParameterError(f"The {param!r} parameter of {func} must be {expected}; got {got!r}.")


def check_int(value: object, *, func: str, param: str, minimum: int | None = None) -> int:
    """Return `value` as an int, or raise naming `param` of `func`.

    Examples
    --------
    >>> check_int(3, func="f", param="k", minimum=1)
    3
    >>> check_int(0, func="monte_carlo", param="n", minimum=1)
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The 'n' parameter of monte_carlo must be an int >= 1; got 0.
    """
    expected = "an int" if minimum is None else f"an int >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail(func, param, expected, value)
    if minimum is not None and int(value) < minimum:
        raise _fail(func, param, expected, value)
    return int(value)


def check_number(
    value: object,
    *,
    func: str,
    param: str,
    minimum: float | None = None,
    strict: bool = False,
) -> float:
    """Return `value` as a finite float, or raise naming `param` of `func`.

    Parameters
    ----------
    minimum : float, optional
        The smallest value allowed.
    strict : bool, optional
        Whether `minimum` itself is excluded.
    """
    if minimum is None:
        expected = "a finite number"
    else:
        expected = f"a finite number {'>' if strict else '>='} {minimum:g}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(func, param, expected, value)
    x = float(value)
    if not math.isfinite(x):
        raise _fail(func, param, expected, value)
    if minimum is not None and (x < minimum or (strict and x == minimum)):
        raise _fail(func, param, expected, value)
    return x


def check_choice(value: object, choices: Iterable[str], *, func: str, param: str) -> str:
    """Return `value` if it is one of `choices`, or raise naming them."""
    options = list(choices)
    if not isinstance(value, str) or value not in options:
        raise _fail(func, param, f"one of {options}", value)
    return value


def check_node(G: nx.DiGraph, node: Hashable, *, func: str, param: str) -> Hashable:
    """Return `node` if `G` has it, or raise `UnknownNodeError`."""
    try:
        present = node in G
    except TypeError:  # unhashable
        present = False
    if not present:
        raise UnknownNodeError(
            f"The {param!r} parameter of {func} must name a node of the organisation; "
            f"got {node!r}."
        )
    return node


def check_nodes(
    G: nx.DiGraph, nodes: Iterable[Hashable], *, func: str, param: str
) -> list[Hashable]:
    """Check every node of `nodes` with `check_node`; return them as a list."""
    return [check_node(G, n, func=func, param=param) for n in nodes]


def rng_from_seed(seed: Seed, *, func: str = "", param: str = "seed") -> np.random.Generator:
    """Turn `seed` into a `numpy.random.Generator`.

    Parameters
    ----------
    seed : None, int, SeedSequence or Generator
        None draws fresh entropy; an int or SeedSequence gives reproducible
        streams; a Generator is used as is.

    Examples
    --------
    >>> a = rng_from_seed(1).random()
    >>> b = rng_from_seed(1).random()
    >>> a == b
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and int(seed) >= 0:
        return np.random.default_rng(int(seed))
    raise _fail(func or "this function", param, "None, an int >= 0 or a numpy Generator", seed)
