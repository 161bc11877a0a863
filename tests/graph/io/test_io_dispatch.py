"""`read` and `write` choose the format by the path."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import networkx as nx
import pytest

import intcust as ic
from intcust.errors import ParameterError


@pytest.mark.parametrize("name", ["org.json", "org.graphml", "org.yaml", "org.YML", "folder"])
def test_write_then_read_by_suffix(tmp_path: Path, name: str) -> None:
    G = ic.datasets.email_campaign()
    ic.write(G, tmp_path / name)
    H = ic.read(tmp_path / name)
    assert list(H.edges(data="deliverable")) == list(G.edges(data="deliverable"))


def test_either_file_of_the_pair_names_the_pair(tmp_path: Path) -> None:
    ic.write(ic.datasets.email_campaign(), tmp_path)
    assert ic.read(tmp_path / "services.csv").number_of_edges() == 5
    assert ic.read(str(tmp_path / "stakeholders.csv")).number_of_nodes() == 5


def test_sm_files_go_to_the_psplib_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    fake = types.ModuleType("intcust.graph.io.psplib")

    def read_psplib(path: Path) -> nx.DiGraph:
        seen.append(path)
        return nx.DiGraph()

    fake.read_psplib = read_psplib  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "intcust.graph.io.psplib", fake)
    ic.read(tmp_path / "j301_1.sm")
    assert seen == [tmp_path / "j301_1.sm"]


def test_unknown_suffix_to_write(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="'path' parameter of write"):
        ic.write(ic.datasets.email_campaign(), tmp_path / "org.xlsx")


@pytest.mark.oracle
def test_real_psplib_project_round_trips(shared_data: Path, tmp_path: Path) -> None:
    G = ic.read(shared_data / "psplib-j30" / "j301_1.sm")
    assert all(type(n) is int for n in G)
    for name in ("p.json", "p.graphml", "p.yaml", "p"):
        ic.write(G, tmp_path / name)
        H = ic.read(tmp_path / name)
        assert list(H) == list(G) and all(type(n) is int for n in H)
        assert list(H.edges(data=True)) == list(G.edges(data=True))
        assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))


@pytest.mark.oracle
def test_real_organisational_network_through_frames(shared_data: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    folder = shared_data / "orgnets"
    nodes = pd.read_csv(folder / "enron.nodes.csv")
    edges = pd.read_csv(folder / "enron.edges.csv", nrows=2000)
    edges = edges.rename(columns={"source": "supplier", "target": "customer"})
    edges = edges.drop_duplicates(["supplier", "customer"])
    edges["blocking"] = False  # e-mail ties inform; they do not gate work
    G = ic.from_frames(nodes.rename(columns={"id": "node"}), edges)
    assert G.number_of_nodes() == len(nodes) and G.number_of_edges() == len(edges)
    assert all(type(n) is int for n in G)
    ic.write(G, tmp_path / "enron")
    H = ic.read(tmp_path / "enron")
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert list(H.edges(data=True)) == list(G.edges(data=True))
