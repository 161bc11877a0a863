"""Argument checks shared by every public function, with one message template.

``"The 'n' parameter of monte_carlo must be a positive int; got 0."``

Every check takes the name of the public function the user called (`func`)
and of the parameter (`param`), so that the message points at the call the
user wrote, never at an inner helper. `parameter_error` is the template;
the other helpers apply it to one kind of value each.
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

import networkx as nx
import numpy as np

from intcust.errors import ParameterError, UnknownNodeError, quote

__all__ = [
    "LEVELS",
    "TIES",
    "Seed",
    "check_attribute",
    "check_choice",
    "check_fraction",
    "check_graph",
    "check_int",
    "check_node",
    "check_nodes",
    "check_number",
    "check_sources",
    "keyword_only",
    "kind_error",
    "parameter_error",
    "person_level",
    "renamed",
    "rng_from_seed",
]

Seed = int | np.random.Generator | np.random.SeedSequence | None
F = TypeVar("F", bound=Callable[..., Any])

#: Where a metric is computed: on the people of the organisation, or on its units.
LEVELS = ("person", "unit")
#: Which ties a metric counts: those that gate work, or every tie.
TIES = ("blocking", "all")


def parameter_error(func: str, param: str, expected: str, got: object) -> ParameterError:
    """The error for a bad argument, in the one message template.

    The value given is quoted with `intcust.errors.quote`: its repr, cut short
    when it is long, so that a hostile value never makes a huge message.

    Examples
    --------
    >>> print(parameter_error("roles", "spanner_share", "a number in [0, 1]", 2))
    The 'spanner_share' parameter of roles must be a number in [0, 1]; got 2.
    >>> print(parameter_error("schedule", "estimate", "one of ['mode']", "x" * 1000))
    The 'estimate' parameter of schedule must be one of ['mode']; got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'.
    """
    return ParameterError(
        f"The {param!r} parameter of {func} must be {expected}; got {quote(got)}."
    )


def kind_error(func: str, param: str, expected: str, got: object) -> ParameterError:
    """The error for an argument of the wrong kind, naming the type given.

    The same template as `parameter_error`; a graph or a result passed where
    another was expected is named by its type, not by its value.

    Examples
    --------
    >>> print(kind_error("plot_risk", "mc_result", "a MonteCarloResult", {}))
    The 'mc_result' parameter of plot_risk must be a MonteCarloResult; got dict.
    """
    return ParameterError(
        f"The {param!r} parameter of {func} must be {expected}; got {type(got).__name__}."
    )


#: The most numbers one result may hold (2 GiB of float64): a count that would need
#: more is refused before anything is allocated.
MAX_VALUES = 2**28


def check_int(
    value: object,
    *,
    func: str,
    param: str,
    minimum: int | None = None,
    maximum: int | None = None,
    why: str = "",
) -> int:
    """Return `value` as an int, or raise naming `param` of `func`.

    `maximum` bounds it from above, `why` says why in the message.

    Examples
    --------
    >>> check_int(3, func="f", param="k", minimum=1)
    3
    >>> check_int(0, func="monte_carlo", param="n", minimum=1)
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The 'n' parameter of monte_carlo must be an int >= 1; got 0.
    >>> check_int(10**12, func="rounds", param="k", minimum=1, maximum=1000, why="memory")
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The 'k' parameter of rounds must be an int in [1, 1000] (memory); got 1000000000000.
    """
    if minimum is not None and maximum is not None:
        expected = f"an int in [{minimum}, {maximum}]"
    elif maximum is not None:
        expected = f"an int <= {maximum}"
    else:
        expected = "an int" if minimum is None else f"an int >= {minimum}"
    if why:
        expected += f" ({why})"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise parameter_error(func, param, expected, value)
    if minimum is not None and int(value) < minimum:
        raise parameter_error(func, param, expected, value)
    if maximum is not None and int(value) > maximum:
        raise parameter_error(func, param, expected, value)
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
        raise parameter_error(func, param, expected, value)
    x = float(value)
    if not math.isfinite(x):
        raise parameter_error(func, param, expected, value)
    if minimum is not None and (x < minimum or (strict and x == minimum)):
        raise parameter_error(func, param, expected, value)
    return x


def check_fraction(value: object, *, func: str, param: str, strict: bool = False) -> float:
    """Return `value` as a float in [0, 1], or raise naming `param` of `func`.

    With `strict`, 0 and 1 themselves are refused: `value` must lie in (0, 1),
    as a significance level or a probability that is neither certain nor
    impossible does.

    Examples
    --------
    >>> check_fraction(0.9, func="roles", param="broker_quantile")
    0.9
    >>> check_fraction(1, func="compare", param="alpha", strict=True)
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The 'alpha' parameter of compare must be a number in (0, 1); got 1.
    """
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        x = float(value)
        if (0 < x < 1) if strict else (0 <= x <= 1):
            return x
    raise parameter_error(
        func, param, "a number in (0, 1)" if strict else "a number in [0, 1]", value
    )


def check_sources(k: object, n: int, *, func: str, param: str = "k") -> int | None:
    """`k` sampled sources out of `n` nodes: None (all of them) or an int from 3 to `n`.

    Examples
    --------
    >>> check_sources(2, 10, func="roles")
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The 'k' parameter of roles must be None or an int from 3 to the number of nodes (10); got 2.
    """
    if k is None:
        return None
    expected = f"None or an int from 3 to the number of nodes ({n})"
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise parameter_error(func, param, expected, k)
    if not (3 <= int(k) <= n or int(k) == n):
        raise parameter_error(func, param, expected, k)
    return int(k)


def check_choice(value: object, choices: Iterable[str], *, func: str, param: str) -> str:
    """Return `value` if it is one of `choices`, or raise naming them."""
    options = list(choices)
    if not isinstance(value, str) or value not in options:
        raise parameter_error(func, param, f"one of {options}", value)
    return value


def check_attribute(value: object, *, func: str, param: str) -> str | None:
    """Return `value` if it names an attribute (a str) or is None, or raise."""
    if value is None or isinstance(value, str):
        return value
    raise parameter_error(func, param, "the name of an attribute (a str) or None", value)


def check_graph(G: object, *, func: str, compiled: bool = False) -> None:
    """Raise unless `G` is an organisation: a `networkx.DiGraph` (or, with
    `compiled`, a `CompiledOrg`).

    Examples
    --------
    >>> import networkx as nx
    >>> check_graph(nx.Graph(), func="validate")
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The 'G' parameter of validate must be a networkx.DiGraph; got Graph.
    """
    if compiled:
        from intcust.graph.compiled import CompiledOrg  # graph imports this module

        if isinstance(G, CompiledOrg):
            return
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        kinds = "a networkx.DiGraph or a CompiledOrg" if compiled else "a networkx.DiGraph"
        raise kind_error(func, "G", kinds, G)


def person_level(level: object, *, func: str, why: str) -> None:
    """Refuse ``level="unit"`` for a function that has no unit-level reading, saying `why`.

    Examples
    --------
    >>> person_level("unit", func="bus_factor", why="the unit level keeps no deliverables")
    Traceback (most recent call last):
    ...
    intcust.errors.ParameterError: The 'level' parameter of bus_factor must be 'person': the unit level keeps no deliverables; got 'unit'.
    """
    check_choice(level, LEVELS, func=func, param="level")
    if level != "person":
        raise ParameterError(
            f"The 'level' parameter of {func} must be 'person': {why}; got {quote(level)}."
        )


def check_node(G: nx.DiGraph, node: Hashable, *, func: str, param: str) -> Hashable:
    """Return `node` if `G` has it, or raise `UnknownNodeError`."""
    try:
        present = node in G
    except TypeError:  # unhashable
        present = False
    if not present:
        raise UnknownNodeError(
            f"The {param!r} parameter of {func} must name a node of the organisation; "
            f"got {quote(node)}."
        )
    return node


def check_nodes(
    G: nx.DiGraph, nodes: Iterable[Hashable], *, func: str, param: str
) -> list[Hashable]:
    """Check every node of `nodes` with `check_node`; return them as a list."""
    if isinstance(nodes, str) or not isinstance(nodes, Iterable):
        raise parameter_error(func, param, "an iterable of nodes", nodes)
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
    expected = "None, an int >= 0, a numpy SeedSequence or a numpy Generator"
    raise parameter_error(func or "this function", param, expected, seed)


def renamed(
    old: str,
    new: str,
    *,
    func: str,
    version: str = "0.2.0",
    note: str = "",
    depth: int = 1,
    what: str = "parameter",
) -> None:
    """Warn that the parameter (or another `what`, such as an attribute) `old` of
    `func` is now called `new`.

    `note` says how the old values read in the new parameter, when they differ.
    The warning points at the line that called `func`, `depth` frames above
    the caller of `renamed` (more when `func` hands the check to a helper).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     renamed("by", "level", func="utilisation")
    >>> print(seen[0].message)
    The 'by' parameter of utilisation is called 'level' since intcust 0.2.0; the old name \
will be removed in 0.3.0.
    """
    how = f": {note}" if note else ""
    warnings.warn(
        f"The {old!r} {what} of {func} is called {new!r} since intcust {version}{how}; "
        "the old name will be removed in 0.3.0.",
        DeprecationWarning,
        stacklevel=2 + depth,
    )


def keyword_only(*names: str) -> Callable[[F], F]:
    """Let the keyword-only parameters `names` still be given by position, with a warning.

    intcust 0.1.0 took them by position; from 0.2.0 every optional argument
    is keyword-only. The wrapped function keeps its signature for type
    checkers and documentation.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*given: Any, **kwargs: Any) -> Any:
            if len(given) <= 1:  # options by keyword: straight through
                return function(*given, **kwargs)
            lead, args = given[:1], given[1:]  # the organisation (or value), then options
            if len(args) > len(names):
                raise TypeError(
                    f"{function.__name__}() takes 1 positional argument but {1 + len(args)} "
                    "were given"
                )
            for name, value in zip(names, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"{function.__name__}() got multiple values for {name!r}")
                warnings.warn(
                    f"Pass the {name!r} parameter of {function.__name__} by keyword "
                    f"({name}=...): giving it by position is deprecated since intcust "
                    "0.2.0 and will stop working in 0.3.0.",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[name] = value
            return function(*lead, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
