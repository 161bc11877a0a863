"""Argument checks: every public function names itself when given a bad argument.

The functions are generated from the ``__all__`` lists of the public packages,
so that a new function is checked as soon as it is exported. Each gets a bad
organisation (an undirected graph) and bad options (a value of no accepted
type), and the message must name the function the user called, never an
inner one.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

import intcust as ic
from intcust import _params
from intcust.errors import IntcustError, ParameterError, UnknownNodeError

PACKAGES = (ic, ic.metrics, ic.sim, ic.datasets)


def public_functions() -> list[tuple[str, Callable[..., Any]]]:
    """Every function in the ``__all__`` of the public packages, once."""
    seen: dict[str, Callable[..., Any]] = {}
    for package in PACKAGES:
        for name in package.__all__:
            value = getattr(package, name)
            if inspect.isfunction(value):
                seen.setdefault(name, value)
    return sorted(seen.items())


FUNCTIONS = public_functions()


class Bad:
    """A value of no type any parameter accepts."""

    def __repr__(self) -> str:
        return "<bad>"


def required(name: str, G: nx.DiGraph, tmp: Path) -> tuple[Any, ...]:
    """Valid values of the required arguments after the organisation, by function."""
    table: dict[str, tuple[Any, ...]] = {
        "add_service": ("designer", "sender"),
        "add_stakeholder": ("newcomer",),
        "breakdown_points": ("customers",),
        "delay": ({"designer": 1.0},),
        "downstream": ("sender",),
        "key_players": (1,),
        "monte_carlo": (8,),
        "monte_carlo_rounds": (2, 8),
        "outage": ({"designer": 1.0},),
        "outage_ranking": (1.0,),
        "rounds": (2,),
        "upstream": ("sender",),
        "value_stream": ("customers",),
        "write": (tmp / "org.json",),
        "write_csv": (tmp / "nodes.csv", tmp / "edges.csv"),
        "write_graphml": (tmp / "org.graphml",),
        "write_json": (tmp / "org.json",),
        "write_yaml": (tmp / "org.yaml",),
    }
    return table.get(name, ())


def _event_log(G: nx.DiGraph, tmp: Path) -> tuple[Any, ...]:
    pd = pytest.importorskip("pandas")
    log = pd.DataFrame(
        {
            "case:concept:name": ["c1", "c1"],
            "concept:name": ["write", "send"],
            "org:resource": ["ann", "bob"],
            "time:timestamp": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:00"]),
        }
    )
    return (log,)


def _frames(G: nx.DiGraph, tmp: Path) -> tuple[Any, ...]:
    pytest.importorskip("pandas")
    return ic.to_frames(G)


#: Functions whose first argument is no organisation, with valid leading arguments.
LEADING: dict[str, Callable[[nx.DiGraph, Path], tuple[Any, ...]]] = {
    "compare": lambda G, tmp: (G, G),
    "from_event_log": _event_log,
    "from_frames": _frames,
    "from_tickets": lambda G, tmp: (ic.datasets.hotel_tickets(),),
    "generate_org": lambda G, tmp: (20,),
    "read_survey": lambda G, tmp: ([("sender", "designer", 4)],),
}


def takes_organisation(func: Callable[..., Any]) -> bool:
    params = list(inspect.signature(func).parameters)
    return bool(params) and params[0] == "G"


def options(func: Callable[..., Any]) -> list[str]:
    """The keyword-only options, flags (bools) aside."""
    return [
        p.name
        for p in inspect.signature(func).parameters.values()
        if p.kind is p.KEYWORD_ONLY and not isinstance(p.default, bool)
    ]


#: Options that take any object, or that keep a 0.1.0 name only to warn.
UNCHECKED = {
    ("add_service", "attrs"),
    ("as_duration", "where"),  # only names the place in a message
    ("add_stakeholder", "attrs"),
    ("from_event_log", "progress"),
    ("monte_carlo", "dtype"),
    ("monte_carlo", "executor"),
    ("monte_carlo", "progress"),
    ("what_if", "merge"),
    ("what_if", "reroute"),
}
#: Packages whose every option is checked here; elsewhere the first one is.
EVERY_OPTION = ("intcust.metrics", "intcust.bottleneck_report")


def test_every_public_function_is_listed() -> None:
    names = {name for name, _ in FUNCTIONS}
    assert {"bottlenecks", "summary", "roles", "schedule", "monte_carlo_rounds"} <= names
    assert len(names) > 60


@pytest.mark.parametrize(
    ("name", "func"), [f for f in FUNCTIONS if takes_organisation(f[1])], ids=lambda x: str(x)
)
def test_a_bad_organisation_names_the_function(
    name: str, func: Callable[..., Any], tmp_path: Path
) -> None:
    args = required(name, ic.datasets.email_campaign(), tmp_path)
    with pytest.raises(IntcustError) as err:
        func(nx.Graph(), *args)
    assert name in str(err.value)


def _cases() -> list[tuple[str, Callable[..., Any], str]]:
    cases = []
    for name, func in FUNCTIONS:
        opts = [o for o in options(func) if (name, o) not in UNCHECKED]
        if not func.__module__.startswith(EVERY_OPTION):
            opts = opts[:1]
        cases += [(name, func, option) for option in opts]
    return cases


@pytest.mark.parametrize(("name", "func", "option"), _cases(), ids=lambda x: str(x))
def test_a_bad_option_names_the_function(
    name: str, func: Callable[..., Any], option: str, tmp_path: Path
) -> None:
    G = ic.datasets.email_campaign()
    if name in LEADING:
        args = LEADING[name](G, tmp_path)
    elif takes_organisation(func):
        args = (G, *required(name, G, tmp_path))
    else:
        args = required(name, G, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 0.1.0 names warn first
        with pytest.raises(IntcustError) as err:
            func(*args, **{option: Bad()})
    assert name in str(err.value), str(err.value)


def test_inner_functions_are_never_named() -> None:
    G = ic.datasets.company()
    cases = {
        "constraint": lambda: ic.metrics.constraint(G, weight="volum"),
        "effective_size": lambda: ic.metrics.effective_size(G, level="team"),
        "summary": lambda: ic.metrics.summary(G, weight=3),
        "roles": lambda: ic.metrics.roles(G, k=2),
        "fragmentation": lambda: ic.metrics.fragmentation(ic.compile(G), removed=["nobody"]),
        "monte_carlo_rounds": lambda: ic.sim.monte_carlo_rounds(G, 2, 8, seed=-1),
    }
    for name, call in cases.items():
        with pytest.raises(IntcustError) as err:
            call()
        message = str(err.value)
        assert f" of {name} " in message or f" for {name} " in message, message
        for inner in ("structural_holes", "service_load", "betweenness", "compile"):
            assert inner not in message, message
    for name in ("bottlenecks", "utilisation", "bus_factor"):
        func = getattr(ic, name, None) or getattr(ic.metrics, name)
        with pytest.raises(ParameterError, match=f"'G' parameter of {name}"):
            func(nx.MultiDiGraph())


# ----------------------------------------------------------------- helpers


def test_argument_errors_have_one_helper_and_no_private_fail() -> None:
    """One idea, one place: no module defines a ``_fail`` or ``fail`` of its own (the
    figures' arguments too come from `parameter_error` and `kind_error`); the command
    line's function that reports the error ending a run is named for that."""
    import ast

    import intcust.cli

    root = Path(ic.__file__).parent
    defined = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name in ("_fail", "fail")
    }
    assert defined == set()
    assert callable(intcust.cli._report_error)


def test_the_message_template() -> None:
    err = _params.parameter_error("monte_carlo", "n", "an int >= 1", 0)
    assert str(err) == "The 'n' parameter of monte_carlo must be an int >= 1; got 0."
    with pytest.raises(ParameterError, match="'alpha' parameter of f must be a number in"):
        _params.check_fraction(1.5, func="f", param="alpha")
    assert _params.check_fraction(0, func="f", param="share") == 0.0
    assert _params.check_fraction(np.float64(0.5), func="f", param="a", strict=True) == 0.5
    for bad in (0, 1, 0.0, 1.0, float("nan")):
        with pytest.raises(
            ParameterError, match=r"'alpha' parameter of f must be a number in \(0, 1\)"
        ):
            _params.check_fraction(bad, func="f", param="alpha", strict=True)
    with pytest.raises(ParameterError, match="the name of an attribute"):
        _params.check_attribute(3, func="f", param="weight")
    with pytest.raises(ParameterError, match="an iterable of nodes"):
        _params.check_nodes(nx.DiGraph(), 5, func="f", param="removed")  # type: ignore[arg-type]
    with pytest.raises(UnknownNodeError, match="'removed' parameter of f"):
        _params.check_nodes(nx.DiGraph(), ["x"], func="f", param="removed")
    assert _params.check_sources(None, 5, func="f") is None
    assert _params.check_sources(np.int64(4), 5, func="f") == 4
    for bad in (2, 6, True, 3.0):
        with pytest.raises(ParameterError, match="'k' parameter of f"):
            _params.check_sources(bad, 5, func="f")


def test_the_value_given_is_quoted_as_every_message_quotes_it() -> None:
    """`intcust.errors.quote`: the repr when short, cut in the middle when long, and a huge
    int by its size (its repr alone is refused past 4,300 digits)."""
    from intcust.errors import quote

    for value in (0, -2.5, "robot", ("a", "b"), None, "x" * 100_000, 10**5000, list(range(10**4))):
        err = _params.parameter_error("f", "p", "something else", value)
        assert str(err) == f"The 'p' parameter of f must be something else; got {quote(value)}."
        assert len(str(err)) < 200
    assert str(_params.parameter_error("f", "p", "x", "robot")).endswith("got 'robot'.")
    long = "n" * 100_000
    with pytest.raises(UnknownNodeError) as unknown:
        _params.check_node(nx.DiGraph(), long, func="f", param="node")
    assert str(unknown.value).endswith(f"got {quote(long)}.") and len(str(unknown.value)) < 200
    with pytest.raises(ParameterError) as level:
        _params.check_choice(long, _params.LEVELS, func="f", param="level")
    assert len(str(level.value)) < 200


def test_positional_options_still_work_with_a_warning() -> None:
    G = ic.datasets.email_campaign()
    with pytest.warns(DeprecationWarning, match="'removed' parameter of fragmentation"):
        old = ic.metrics.fragmentation(G, ["sender"])  # type: ignore[misc]
    assert old == ic.metrics.fragmentation(G, removed=["sender"])
    with pytest.warns(DeprecationWarning, match="'customer' parameter of bus_factor"):
        ic.metrics.bus_factor(G, "customers")  # type: ignore[misc]
    with pytest.raises(TypeError, match="multiple values"):
        ic.metrics.fragmentation(G, ["sender"], removed=["sender"])  # type: ignore[misc]
    with pytest.raises(TypeError, match="positional"):
        ic.metrics.fragmentation(G, [], "extra")  # type: ignore[misc]
    with pytest.warns(DeprecationWarning, match="'where' parameter of as_duration"):
        assert ic.sim.as_duration(2, "here") == ic.sim.as_duration(2)  # type: ignore[misc]
    # the leading argument may come by keyword too
    assert ic.sim.as_duration(value=2, where="here") == ic.sim.as_duration(2)
    assert ic.metrics.bus_factor(G=G).to_dict() == ic.metrics.bus_factor(G).to_dict()


#: Optional parameters that may still come by position: required in fact (None
#: stands for "not given", so that the old name can warn), or what a dataset is.
POSITIONAL_OPTIONAL = {
    ("key_players", "size"),
    ("rounds", "n_rounds"),
    ("monte_carlo_rounds", "n_rounds"),
    ("monte_carlo_rounds", "n"),
    ("hotel_tickets", "month"),
}


def test_optional_arguments_are_keyword_only() -> None:
    import intcust.plot

    found = set()
    for package in (*PACKAGES, intcust.plot):
        for name in package.__all__:
            value = getattr(package, name)
            if not inspect.isfunction(value):
                continue
            for p in inspect.signature(value).parameters.values():
                if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not p.empty:
                    found.add((name, p.name))
    assert found == POSITIONAL_OPTIONAL
