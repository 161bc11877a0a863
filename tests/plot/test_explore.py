"""explore: the map's data, its escaping, the unit level, the vendored library, the options."""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import time
import tomllib
from importlib import resources
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given

import intcust as ic
from intcust.plot import OrgMap, explore
from intcust.plot.page import CONTENT_SECURITY_POLICY, CYTOSCAPE_VERSION
from strategies import HOSTILE, hostile_names

ROOT = Path(__file__).resolve().parents[2]
VENDOR = resources.files("intcust.plot") / "_vendor"
DATA = re.compile(r'<script type="application/json" class="icm-data">(.*?)</script>', re.S)


def payload(m: OrgMap) -> dict:
    blocks = DATA.findall(m.html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def hostile_org(names: list[str]) -> nx.DiGraph:
    G = ic.org_graph(name=names[0], time_unit="day")
    people = [f"{n} #{i}" for i, n in enumerate(names)]
    for i, name in enumerate(people):
        ic.add_stakeholder(G, name, unit=names[(i + 1) % len(names)], role=names[-1], work=1)
    ic.add_stakeholder(G, "buyer " + names[0], kind="external", due=9)
    for a, b in zip(people, [*people[1:], "buyer " + names[0]], strict=True):
        ic.add_service(G, a, b, deliverable=names[0])
    return G


# --- the data ------------------------------------------------------------------------------


def test_nodes_services_and_what_hovering_shows():
    G = ic.datasets.hotel()
    data = payload(explore(G))
    nodes = list(G)
    assert data["nodes"]["name"] == [str(n) for n in nodes]
    assert data["nodes"]["kind"] == [G.nodes[n].get("kind", "person") for n in nodes]
    edges = list(zip(data["edges"]["s"], data["edges"]["t"], strict=True))
    assert edges == [(nodes.index(u), nodes.index(v)) for u, v in G.edges]
    soft = {tuple(edges[k]) for k in data["edges"]["soft"]}
    assert soft == {
        (nodes.index(u), nodes.index(v))
        for u, v, d in G.edges(data=True)
        if d.get("blocking") is False or d.get("lag")
    }
    fields = {f["label"]: f["values"] for f in data["fields"]}
    assert {"unit", "kind", "employment", "work", "due"} <= set(fields)
    i = nodes.index("guests")
    assert fields["due"][i] == f"{G.nodes['guests']['due']:g} hours"
    units = [u for u in dict.fromkeys(G.nodes[n].get("unit") for n in nodes) if u]
    assert data["units"] == units
    assert len(set(data["unitColors"])) == len(units)
    assert data["colors"]["external"] not in data["unitColors"]
    # every position is a finite pair, no two nodes on one spot
    xy = list(zip(data["nodes"]["x"], data["nodes"]["y"], strict=True))
    assert len(set(xy)) == len(xy)


def test_a_tie_with_several_services_shows_them_all():
    G = ic.datasets.hotel()
    ic.add_service(G, "IT", "accounts", deliverable="IT support", volume=4)
    m = explore(G)
    data = payload(m)
    nodes = list(G)
    pair = (nodes.index("IT"), nodes.index("accounts"))
    k = list(zip(data["edges"]["s"], data["edges"]["t"], strict=True)).index(pair)
    assert data["edges"]["v"][k] == 25 + 4
    assert data["deliverables"][data["edges"]["d"][k]] == "PMS access, IT support"
    assert m.n_edges == G.number_of_edges()
    assert f"{G.number_of_edges() + 1} services" in data["title"]


def test_metrics_colour_choices_and_bottleneck_reasons():
    G = ic.datasets.company()
    load = ic.metrics.service_load(G)
    dep = ic.metrics.dependence(G)
    report = ic.bottlenecks(G)
    util = ic.metrics.utilisation(G)
    data = payload(
        explore(G, metrics=[load, dep, util], color_by="dependence", bottlenecks=report)
    )
    numeric = [m["name"] for m in data["metrics"]]
    assert numeric[:5] == [
        "customers",
        "volume supplied",
        "suppliers",
        "volume received",
        "dependence",
    ]
    assert data["colorBy"] == numeric.index("dependence")
    nodes = list(G)
    values = data["metrics"][numeric.index("dependence")]["values"]
    assert values == pytest.approx([dep[n] for n in nodes])
    assert "state" in [t["name"] for t in data["texts"]]  # utilisation's words stay words
    top = report.rows[0]
    entry = data["bottlenecks"][str(nodes.index(top.node))]
    assert entry["rank"] == 1 and entry["score"] == pytest.approx(top.score)
    assert len(entry["reasons"]) == len(top.reasons)
    assert not any("(s)" in r for e in data["bottlenecks"].values() for r in e["reasons"])


def test_color_by_scores_of_its_own_and_infinite_values():
    G = ic.datasets.email_campaign()
    slack = ic.NodeScores(dict.fromkeys(G, 1.5) | {"customers": math.inf}, name="slack")
    data = payload(explore(G, color_by=slack))
    assert [m["name"] for m in data["metrics"]] == ["slack"]
    assert data["colorBy"] == 0
    assert data["metrics"][0]["values"] == [1.5, 1.5, 1.5, 1.5, "inf"]


def test_beyond_max_nodes_units_and_the_page_says_so():
    G = ic.datasets.generate_org(300, seed=4)
    R = ic.rollup(G)
    m = explore(G, metrics=ic.metrics.dependence(G), max_nodes=100)
    data = payload(m)
    assert m.level == "unit" and m.n_nodes == R.number_of_nodes()
    assert data["nodes"]["name"] == [str(n) for n in R]
    assert "max_nodes=100" in data["note"] and "each node is a unit" in data["note"]
    assert data["metrics"][0]["name"] == "dependence (largest in unit)"
    dep = ic.metrics.dependence(G)
    unit = G.nodes["p0"]["unit"]
    best = max(dep[n] for n in G if G.nodes[n].get("unit") == unit)
    assert data["metrics"][0]["values"][list(R).index(unit)] == pytest.approx(best)
    # asked for, the unit level has no note; a rollup is shown as units too
    for m in (explore(G, level="unit"), explore(R)):
        assert m.level == "unit" and payload(m)["note"] == ""
        assert m.n_nodes == R.number_of_nodes() and m.n_edges == R.number_of_edges()


def test_the_unit_level_counts_units_apart_from_the_nodes_beside_them():
    G = ic.datasets.company()  # 6 departments, 2 people without a unit, 2 customers
    R = ic.rollup(G)
    data = payload(explore(G, level="unit"))
    assert data["title"] == (
        "Company · 6 units, 2 external customers, 2 stakeholders without a unit, 126 services"
    )
    # the unit list counts the people of each unit, not the one node drawn for it
    assert data["nodes"]["members"] == [R.nodes[v]["size"] for v in R]
    assert sum(data["nodes"]["members"]) == G.number_of_nodes()
    assert "members" not in payload(explore(G))["nodes"]
    assert payload(explore(G))["title"] == "Company · 65 stakeholders, 207 services"


def test_5000_people_are_drawn_one_by_one_within_5_seconds(tmp_path):
    G = ic.datasets.generate_org(5000, seed=1)
    began = time.perf_counter()
    out = explore(G).save(tmp_path / "map.html")
    seconds = time.perf_counter() - began
    m = explore(G)
    assert m.level == "person" and m.n_nodes == G.number_of_nodes() == 5004
    print(f"explore(generate_org(5000)) wrote {out.stat().st_size:,} bytes in {seconds:.2f} s")
    assert seconds < 5.0


# --- one offline file ----------------------------------------------------------------------


def test_the_page_is_one_file_that_loads_nothing():
    m = explore(ic.datasets.company())
    page = m.html
    library = (VENDOR / "cytoscape.min.js").read_text(encoding="utf-8")
    assert page.count(library) == 1
    assert f'content="{CONTENT_SECURITY_POLICY}"' in page
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    rest = page.replace(library, "")
    assert re.search(r"(https?:|ftp:|wss?:)//", rest) is None
    assert not re.search(r"<(script|img|link|iframe)[^>]*\s(src|href)=", page)
    assert "@import" not in rest and "url(" not in rest
    assert page.count("<script") == 3  # the data, the library, the map


def test_vendored_library_is_the_published_file_with_its_licence():
    data = (VENDOR / "cytoscape.min.js").read_bytes()
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in readme
    assert f"cytoscape-{CYTOSCAPE_VERSION}.tgz" in readme
    assert f'cf.version="{CYTOSCAPE_VERSION}"' in data.decode()
    licence = (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "Permission is hereby granted, free of charge" in licence
    assert "The Cytoscape Consortium" in licence


def test_package_data_ships_the_javascript():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["setuptools"]["package-data"]["intcust"]
    src = ROOT / "src" / "intcust"
    files = {p.relative_to(src).as_posix() for pattern in shipped for p in src.glob(pattern)}
    assert {
        "plot/_vendor/cytoscape.min.js",
        "plot/_vendor/LICENSE",
        "plot/_vendor/README.md",
        "plot/_assets/map.js",
        "plot/_assets/map.css",
    } <= files


# --- names are data, never markup or code --------------------------------------------------


def test_hostile_names_travel_only_as_escaped_json():
    G = hostile_org(list(HOSTILE))
    m = explore(G, metrics=ic.NodeScores(dict.fromkeys(G, 1.0), name=HOSTILE[1]), title=HOSTILE[0])
    page = m.html
    block = DATA.findall(page)[0]
    assert not set("<>&") & set(block)
    for name in HOSTILE:
        if set("<>&") & set(name):
            assert name not in page
    data = json.loads(block)
    assert data["nodes"]["name"] == [str(n) for n in G]
    assert data["metrics"][0]["name"] == HOSTILE[1]
    assert data["title"].startswith(HOSTILE[0])
    assert f"<title>{html.escape(HOSTILE[0])}</title>" in page
    assert page.count("<script") == 3 and page.count("</script>") == 3


@given(hostile_names)
def test_any_name_round_trips_through_the_page(name):
    G = ic.org_graph(name=name)
    ic.add_stakeholder(G, name, unit=name, role=name)
    ic.add_stakeholder(G, name + "!", kind="external")
    ic.add_service(G, name, name + "!", deliverable=name)
    page = explore(G, title=name).html
    data = json.loads(DATA.findall(page)[0])
    assert data["nodes"]["name"] == [name, name + "!"]
    assert data["units"] == [name]
    assert data["deliverables"] == [name]
    assert page.count("</script>") == 3


def test_a_lone_surrogate_travels_as_a_json_escape_and_the_page_is_written(tmp_path):
    lone = "\udcff"
    G = ic.org_graph(name=f"Acme{lone}")
    ic.add_stakeholder(G, f"a{lone}", unit=f"u{lone}")
    ic.add_stakeholder(G, "b", kind="external")
    ic.add_service(G, f"a{lone}", "b", deliverable=f"d{lone}")
    m = explore(G)
    assert re.search("[\ud800-\udfff]", m.html + m._repr_html_()) is None
    data = json.loads(DATA.findall(m.html)[0])
    assert data["nodes"]["name"] == [f"a{lone}", "b"]
    assert data["units"] == [f"u{lone}"] and data["deliverables"] == [f"d{lone}"]
    assert "<title>Acme\\udcff</title>" in m.html
    assert m.save(tmp_path / "map.html").read_text(encoding="utf-8") == m.html


def test_save_replaces_the_file_atomically(tmp_path, monkeypatch):
    import errno
    import os

    from intcust.errors import WriteError

    path = tmp_path / "map.html"
    path.write_bytes(b"the previous map")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match=r"map\.html: cannot be written: No space left"):
        explore(ic.datasets.email_campaign()).save(path)
    assert path.read_bytes() == b"the previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    monkeypatch.undo()
    with pytest.raises(WriteError, match="does not exist"):
        explore(ic.datasets.email_campaign()).save(tmp_path / "no" / "map.html")


def test_repr_html_is_a_sandboxed_iframe_holding_the_page():
    m = explore(ic.datasets.email_campaign())
    frame = m._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in frame
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == m.html
    assert repr(m) == "OrgMap('E-mail campaign': 5 nodes, 5 services, person level)"


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"metrics": {"nobody": 1.0}}, ic.UnknownNodeError, "'metrics' parameter of explore"),
        ({"metrics": ic.NodeScores({"designer": float("nan")})}, ic.ParameterError, "NaN"),
        ({"metrics": 3}, ic.ParameterError, "'metrics' parameter of explore"),
        ({"color_by": "dependence"}, ic.ParameterError, "'color_by' parameter of explore"),
        ({"bottlenecks": [1]}, ic.ParameterError, "'bottlenecks' parameter of explore"),
        ({"level": "team"}, ic.ParameterError, "'level'"),
        ({"layout": "circle"}, ic.ParameterError, "'layout'"),
        ({"max_nodes": 0}, ic.ParameterError, "'max_nodes'"),
        ({"title": 3}, ic.ParameterError, "'title'"),
    ],
)
def test_bad_input_is_named(kwargs, error, words):
    with pytest.raises(error, match=words):
        explore(ic.datasets.email_campaign(), **kwargs)


def test_not_a_graph():
    with pytest.raises(ic.ParameterError, match="'G' parameter of explore"):
        explore(nx.Graph())
