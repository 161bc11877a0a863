"""Every format gives back the organisation it was given, attribute for attribute."""

from __future__ import annotations

import pathlib
import tempfile
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from _compare import assert_same_org
from strategies import organisations

pytest.importorskip("pandas")
pytest.importorskip("yaml")


def _via_json(G: nx.DiGraph, tmp: pathlib.Path) -> nx.DiGraph:
    ic.write_json(G, tmp / "org.json")
    return ic.read_json(tmp / "org.json")


def _via_csv(G: nx.DiGraph, tmp: pathlib.Path) -> nx.DiGraph:
    ic.write_csv(G, tmp / "stakeholders.csv", tmp / "services.csv")
    return ic.read_csv(tmp / "stakeholders.csv", tmp / "services.csv")


def _via_graphml(G: nx.DiGraph, tmp: pathlib.Path) -> nx.DiGraph:
    ic.write_graphml(G, tmp / "org.graphml")
    return ic.read_graphml(tmp / "org.graphml")


def _via_frames(G: nx.DiGraph, tmp: pathlib.Path) -> nx.DiGraph:
    return ic.from_frames(*ic.to_frames(G))


def _via_yaml(G: nx.DiGraph, tmp: pathlib.Path) -> nx.DiGraph:
    ic.write_yaml(G, tmp / "org.yaml")
    return ic.read_yaml(tmp / "org.yaml")


def _via_dispatch(G: nx.DiGraph, tmp: pathlib.Path) -> nx.DiGraph:
    ic.write(G, tmp / "org")
    return ic.read(tmp / "org")


FORMATS: dict[str, Callable[[nx.DiGraph, pathlib.Path], nx.DiGraph]] = {
    "json": _via_json,
    "csv": _via_csv,
    "graphml": _via_graphml,
    "frames": _via_frames,
    "yaml": _via_yaml,
    "dispatch-folder": _via_dispatch,
}


@pytest.mark.parametrize("fmt", list(FORMATS))
@given(G=organisations(services=True))
def test_round_trip_loses_nothing(fmt: str, G: nx.DiGraph) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        H = FORMATS[fmt](G, pathlib.Path(tmp))
    assert_same_org(G, H)


@pytest.mark.parametrize("fmt", list(FORMATS))
@given(G=organisations(lags=True, max_nodes=6, services=True))
def test_round_trip_keeps_lags(fmt: str, G: nx.DiGraph) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        H = FORMATS[fmt](G, pathlib.Path(tmp))
    assert_same_org(G, H)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_of_typed_names(fmt: str) -> None:
    """Int, float, str-that-looks-like-a-number and tuple names keep their type."""
    G = ic.org_graph(name="names")
    names: list[Any] = [1, "1", 2.5, "true", "a\rb\x00", "<<"]
    if fmt not in ("yaml",):
        names.append(("team", 3))
    for n in names:
        ic.add_stakeholder(G, n, attrs={"note": None if n == 1 else "x"})
    ic.add_service(G, 1, "1", lead_time=ic.sim.Empirical([1.0, 2.0]))
    ic.add_service(G, 2.5, "a\rb\x00", attrs={"tags": ["a", 1, {"k": [True]}]})
    with tempfile.TemporaryDirectory() as tmp:
        H = FORMATS[fmt](G, pathlib.Path(tmp))
    if fmt == "frames":  # a None value is a missing cell, hence absent
        del G.nodes[1]["note"]
    assert_same_org(G, H)


def test_bundled_example_round_trips_everywhere() -> None:
    G = ic.datasets.email_campaign()
    for fmt, via in FORMATS.items():
        with tempfile.TemporaryDirectory() as tmp:
            H = via(G, pathlib.Path(tmp))
        assert_same_org(G, H), fmt
