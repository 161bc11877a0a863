"""from_event_log: handover-of-work organisations mined from event logs."""

from __future__ import annotations

import gzip
import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import intcust as ic
from intcust.errors import ParameterError, ReadError
from intcust.graph.eventlog.mining import sketch
from intcust.graph.eventlog.xes import read_xes_columns

CASE, ACT, RES, TIME = "case:concept:name", "concept:name", "org:resource", "time:timestamp"
ORACLE_LOGS = ["running-example.csv", "receipt.csv", "helpdesk.xes.gz"]


def _log(rows, columns=(CASE, ACT, RES, TIME)):
    return pd.DataFrame(rows, columns=list(columns))


def _read_frame(path: Path) -> pd.DataFrame:
    """The log as a DataFrame of strings, read independently of intcust where possible."""
    if path.name.endswith(".csv"):
        return pd.read_csv(path, dtype=str)
    if importlib.util.find_spec("pm4py") is not None:
        import pm4py

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = pm4py.read_xes(str(path))
        return df.astype({CASE: str, ACT: str, RES: str, TIME: str})
    cols, _ = read_xes_columns(path, [CASE, ACT, RES, TIME])
    return pd.DataFrame(cols)


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["_t"] = pd.to_datetime(df[TIME], utc=True, format="ISO8601")
    df["_i"] = np.arange(len(df))
    return df.sort_values([CASE, "_t", "_i"], kind="stable").reset_index(drop=True)


def _pandas_handover(df: pd.DataFrame):
    """Direct-succession hand-offs (A != B) and their waits in days, recomputed with pandas."""
    df = _sorted(df)
    nxt = df.groupby(CASE, sort=False).shift(-1)
    mask = nxt[RES].notna() & (nxt[RES] != df[RES])
    waits = (nxt["_t"] - df["_t"])[mask].dt.total_seconds() / 86400
    pairs = pd.DataFrame({"u": df[RES][mask], "v": nxt[RES][mask], "w": waits})
    counts = pairs.groupby(["u", "v"]).size().to_dict()
    samples = {k: sorted(g["w"]) for k, g in pairs.groupby(["u", "v"])}
    return counts, samples


def _mined(G):
    return {(u, v): d["volume"] for u, v, d in G.edges(data=True) if v != "case completed"}


@pytest.mark.oracle
@pytest.mark.parametrize("name", ORACLE_LOGS)
def test_pairs_counts_and_waits_equal_a_pandas_recomputation(shared_data, name):
    path = shared_data / "eventlogs" / name
    G = ic.from_event_log(path)
    counts, samples = _pandas_handover(_read_frame(path))
    assert _mined(G) == counts
    for (u, v), expected in samples.items():
        got = G.edges[u, v]["lead_time"].samples
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    assert G.graph["event_log"]["handoffs"] == sum(counts.values())


@pytest.mark.oracle
@pytest.mark.parametrize("name", ORACLE_LOGS)
def test_pairs_and_counts_equal_pm4py(shared_data, name):
    pm4py = pytest.importorskip(
        "pm4py", reason="pm4py (AGPL, optional test oracle) is not installed"
    )
    path = shared_data / "eventlogs" / name
    df = _sorted(_read_frame(path))
    df[TIME] = df["_t"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sna = pm4py.discover_handover_of_work_network(df, beta=0)
    # pm4py divides by all direct successions, self-handovers (A -> A) included
    total = int((df.groupby(CASE).size() - 1).sum())
    expected = {k: round(v * total) for k, v in sna.connections.items() if k[0] != k[1]}
    assert _mined(ic.from_event_log(path)) == expected


def test_running_example_csv_and_xes_agree(shared_data):
    logs = shared_data / "eventlogs"
    if not (logs / "running-example.xes").exists():
        pytest.skip("running-example.xes not found")
    a = ic.from_event_log(logs / "running-example.csv")
    b = ic.from_event_log(logs / "running-example.xes")
    assert _mined(a) == _mined(b)
    assert a.graph["event_log"]["span"] == pytest.approx(b.graph["event_log"]["span"])


def test_mined_organisation_validates_and_survives_json(tmp_path):
    log = _log(
        [
            ("1", "a", "x", "2024-01-01T00:00:00Z"),
            ("1", "b", "y", "2024-01-01T06:00:00Z"),
            ("1", "c", "x", "2024-01-02T00:00:00Z"),
            ("2", "a", "y", "2024-01-03T00:00:00Z"),
            ("2", "b", "x", "2024-01-03T12:00:00Z"),
        ]
    )
    G = ic.from_event_log(log)
    ic.validate(G)  # the x <-> y loop closes through a lag edge
    assert sum(1 for u, v, d in G.edges(data=True) if d.get("lag")) == 1
    assert G.edges["x", "y"]["volume"] == 1 and G.edges["y", "x"]["volume"] == 2
    assert G.graph["event_log"]["span"] == pytest.approx(2.5)
    assert G.nodes["case completed"]["kind"] == "external"
    ic.write_json(G, tmp_path / "g.json")
    H = ic.read_json(tmp_path / "g.json")
    assert H.edges["y", "x"]["lead_time"].samples == G.edges["y", "x"]["lead_time"].samples


def test_self_handovers_are_not_counted_and_deliverable_is_the_handed_activity():
    log = _log(
        [
            ("1", "a", "x", "2024-01-01 00:00"),
            ("1", "b", "x", "2024-01-01 01:00"),
            ("1", "c", "y", "2024-01-01 03:00"),
            ("2", "a", "x", "2024-01-02 00:00"),
            ("2", "c", "y", "2024-01-02 02:00"),
            ("3", "b", "x", "2024-01-03 00:00"),
            ("3", "c", "y", "2024-01-03 02:00"),
        ]
    )
    G = ic.from_event_log(log, time_unit="hour")
    assert not G.has_edge("x", "x")
    edge = G.edges["x", "y"]
    assert edge["volume"] == 3
    assert edge["deliverable"] == "b"  # b twice, a once
    assert edge["deliverable_share"] == pytest.approx(2 / 3)
    assert sorted(edge["lead_time"].samples) == [2.0, 2.0, 2.0]
    assert G.graph["time_unit"] == "hour"


def test_levels_group_and_activity():
    log = pd.DataFrame(
        {
            CASE: ["1", "1", "1"],
            ACT: ["a", "b", "c"],
            RES: ["p", "q", "r"],
            "org:group": ["G1", "G1", "G2"],
            TIME: ["2024-01-01", "2024-01-02", "2024-01-03"],
        }
    )
    groups = ic.from_event_log(log, level="group")
    assert _mined(groups) == {("G1", "G2"): 1}
    assert groups.nodes["G1"]["kind"] == "team"
    acts = ic.from_event_log(log, level="activity")
    assert _mined(acts) == {("a", "b"): 1, ("b", "c"): 1}
    people = ic.from_event_log(log)
    assert people.nodes["p"]["unit"] == "G1" and people.nodes["r"]["unit"] == "G2"


def test_lifecycle_pairs_give_work_and_queue_waits():
    rows = [
        ("1", "a", "x", "2024-01-01 00:00", "start"),
        ("1", "a", "x", "2024-01-01 02:00", "complete"),
        ("1", "b", None, "2024-01-01 03:00", "schedule"),
        ("1", "b", None, "2024-01-01 05:00", "start"),
        ("1", "b", "y", "2024-01-01 06:00", "complete"),
    ]
    log = _log(rows, (CASE, ACT, RES, TIME, "lifecycle:transition"))
    G = ic.from_event_log(log, time_unit="hour")
    assert G.nodes["x"]["work"].samples == (2.0,)
    assert G.nodes["y"]["work"].samples == (1.0,)
    assert G.edges["x", "y"]["lead_time"].samples == (3.0,)  # 02:00 done -> 05:00 started
    assert G.graph["event_log"]["ignored_events"] == 1


def test_start_timestamp_column():
    log = pd.DataFrame(
        {
            CASE: ["1", "1"],
            ACT: ["a", "b"],
            RES: ["x", "y"],
            "start": ["2024-01-01 00:00", "2024-01-01 04:00"],
            TIME: ["2024-01-01 01:00", "2024-01-01 05:00"],
        }
    )
    G = ic.from_event_log(log, start_timestamp="start", time_unit="hour")
    assert G.edges["x", "y"]["lead_time"].samples == (3.0,)
    assert G.nodes["y"]["work"].samples == (1.0,)


def test_missing_resources_error_or_drop():
    log = _log(
        [
            ("1", "a", "x", "2024-01-01"),
            ("1", "b", None, "2024-01-02"),
            ("1", "c", "y", "2024-01-03"),
        ]
    )
    with pytest.raises(
        ReadError, match=r"row 1: the event lacks 'org:resource' \(1 event\(s\) do\)"
    ):
        ic.from_event_log(log)
    G = ic.from_event_log(log, missing="drop")
    assert _mined(G) == {("x", "y"): 1}
    assert G.graph["event_log"]["dropped_events"] == 1


def test_unsorted_events_are_sorted_or_refused():
    log = _log(
        [
            ("1", "b", "y", "2024-01-02"),
            ("1", "a", "x", "2024-01-01"),
            ("2", "a", "x", "2024-01-01"),
        ]
    )
    G = ic.from_event_log(log)
    assert _mined(G) == {("x", "y"): 1}
    assert G.graph["event_log"]["reordered_cases"] == 1
    with pytest.raises(ReadError, match="case '1' are not in time order"):
        ic.from_event_log(log, unsorted="error")


def test_mixed_time_zones_are_refused_and_offsets_converted():
    mixed = _log([("1", "a", "x", "2024-01-01T00:00+01:00"), ("1", "b", "y", "2024-01-01T03:00")])
    with pytest.raises(ReadError, match="mixes time zones: 1 timestamps carry a UTC offset"):
        ic.from_event_log(mixed)
    offsets = _log(
        [("1", "a", "x", "2024-01-01T00:00+02:00"), ("1", "b", "y", "2024-01-01T00:00+00:00")]
    )
    G = ic.from_event_log(offsets, time_unit="hour")
    assert G.edges["x", "y"]["lead_time"].samples == (2.0,)
    assert G.graph["event_log"]["start"].endswith("Z")


def test_datetime_columns_are_accepted():
    log = _log([("1", "a", "x", "2024-01-01"), ("1", "b", "y", "2024-01-03")])
    log[TIME] = pd.to_datetime(log[TIME]).dt.tz_localize("Europe/Paris")
    assert ic.from_event_log(log).edges["x", "y"]["lead_time"].samples == (2.0,)


def test_bad_columns_and_values_are_named():
    log = _log([("1", "a", "x", "2024-01-01")])
    with pytest.raises(ReadError, match="no column 'org:group'"):
        ic.from_event_log(log, level="group")
    with pytest.raises(ReadError, match="no column 'when'"):
        ic.from_event_log(log, timestamp="when")
    bad = _log([("1", "a", "x", "yesterday")])
    with pytest.raises(
        ReadError, match="row 0: column 'time:timestamp' has 'yesterday', not an ISO 8601 time"
    ):
        ic.from_event_log(bad)
    with pytest.raises(ParameterError, match="'level' parameter of from_event_log"):
        ic.from_event_log(log, level="team")
    with pytest.raises(ParameterError, match="'customer' parameter"):
        ic.from_event_log(log, customer="x")
    with pytest.raises(ParameterError, match="'log' parameter"):
        ic.from_event_log(42)  # type: ignore[arg-type]
    with pytest.raises(ReadError, match=r"must be a \.csv, \.xes or \.xes\.gz"):
        ic.from_event_log("log.txt")


XES = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <global scope="event"><string key="org:resource" value="UNKNOWN"/></global>
  <trace><string key="concept:name" value="c1"/>
    <event><string key="concept:name" value="a"/><string key="org:resource" value="x"/>
      <date key="time:timestamp" value="2024-01-01T00:00:00+00:00"/></event>
    <event><string key="concept:name" value="b"/><string key="org:resource" value="y"/>
      <date key="time:timestamp" value="2024-01-01T12:00:00+00:00"/>
      <list key="tags"><string key="tag" value="nested"/></list></event>
  </trace>
</log>
"""


@pytest.mark.parametrize("suffix", [".xes", ".xes.gz"])
def test_xes_and_gzip(tmp_path, suffix):
    path = tmp_path / f"log{suffix}"
    data = XES.encode()
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    seen = []
    G = ic.from_event_log(path, progress=lambda done, total: seen.append((done, total)))
    assert _mined(G) == {("x", "y"): 1}
    assert G.edges["x", "y"]["lead_time"].samples == (0.5,)
    assert seen and seen[-1][0] == seen[-1][1]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE log [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<log><trace><string key="concept:name" value="&lol9;"/></trace></log>
"""


def test_xes_with_a_dtd_is_refused(tmp_path):
    path = tmp_path / "laughs.xes"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(
        ReadError, match=r"document type declarations \(DTDs\) and entities are refused"
    ):
        ic.from_event_log(path)
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE log SYSTEM "http://example.org/x.dtd">\n<log/>'
    )
    with pytest.raises(ReadError, match=r"DTDs\) and entities are refused"):
        read_xes_columns(path, [CASE])


def test_malformed_xes(tmp_path):
    path = tmp_path / "bad.xes"
    path.write_text("<log><trace></log>")
    with pytest.raises(ReadError, match="not well-formed XML"):
        read_xes_columns(path, [CASE])
    path.write_text("<graph/>")
    with pytest.raises(ReadError, match="not an XES log"):
        read_xes_columns(path, [CASE])


@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=300),
    st.integers(1, 40),
    st.floats(0, 1e6, allow_nan=False),
)
def test_sketch_cdf_is_within_its_bound(samples, m, x):
    exact = ic.sim.Empirical(samples)
    summary, err = sketch(np.asarray(samples), m)
    assert len(summary.samples) == min(m, len(samples))
    assert abs(float(summary.cdf(x)) - float(exact.cdf(x))) <= err + 1e-12
    if len(samples) <= m:
        assert err == 0.0


def test_max_samples_keeps_a_sketch():
    rows = [(str(i), "a", "x", f"2024-01-01T00:00:{i % 60:02d}") for i in range(50)]
    rows += [(str(i), "b", "y", f"2024-01-01T01:{i % 60:02d}:00") for i in range(50)]
    G = ic.from_event_log(_log(rows), max_samples=8)
    edge = G.edges["x", "y"]
    assert len(edge["lead_time"].samples) == 8
    assert edge["lead_time_n"] == edge["volume"] == 50
    assert edge["lead_time_error"] == pytest.approx(1 / 16)
