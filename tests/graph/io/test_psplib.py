"""read_psplib: structure, malformed files, and MPM-Time on all j30 instances."""

from __future__ import annotations

import pytest

import intcust as ic
from intcust.errors import ReadError

TINY = """\
************************************************************************
file with basedata            : tiny.bas
initial value random generator: 7
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  5
horizon                       :  20
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      3      0       9        2        7
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    1
  3      1     6       1    0
  4      1     4       0    3
  5      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    4    3
************************************************************************
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.sm"
    path.write_text(TINY)
    return path


def test_jobs_precedences_and_attributes(tiny):
    G = ic.read_psplib(tiny)
    ic.validate(G)
    assert list(G) == [1, 2, 3, 4, 5]
    assert sorted(G.edges) == [(1, 2), (1, 3), (2, 4), (3, 5), (4, 5)]
    assert ic.external_customers(G) == [5]
    assert G.nodes[4]["work"] == 4 and G.nodes[4]["requests"] == {"R1": 0, "R2": 3}
    assert G.graph["mpm_time"] == 7 and G.graph["due_date"] == 9
    assert G.graph["horizon"] == 20 and G.graph["base_data"] == "tiny.bas"
    assert G.graph["resources"] == {
        "R1": {"kind": "renewable", "available": 4},
        "R2": {"kind": "renewable", "available": 3},
    }
    sch = ic.sim.schedule(G)
    assert sch.makespan == 7
    assert sch.critical_path() == [1, 2, 4, 5]
    assert sch.total_float[3] == 1


def test_read_dispatches_sm_files(tiny):
    G = ic.read(tiny)
    assert G.graph["mpm_time"] == 7


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            "   3        1          1           5",
            "   3        1          2           5",
            r"line 21: expected job 3 once, with 2 successors",
        ),
        (
            "   2        1          1           4",
            "   2        2          1           4",
            r"line 20: expected a single-mode job",
        ),
        (
            "  4      1     4       0    3",
            "  4      1     four    0    3",
            r"line 31: expected 'jobnr. mode duration'",
        ),
        (
            "   4        1          1           5",
            "   4        1          1           9",
            r"line 22: expected successors among the jobs 1..5",
        ),
        (
            "    1      3      0       9        2        7",
            "    1      3      0",
            r"line 15: expected six integers",
        ),
        (
            "RESOURCEAVAILABILITIES:",
            "RESOURCES LEFT:",
            r"expected a line starting with 'RESOURCEAVAILABILITIES'",
        ),
    ],
)
def test_malformed_file_names_file_and_line(tmp_path, old, new, match):
    assert old in TINY
    path = tmp_path / "bad.sm"
    path.write_text(TINY.replace(old, new))
    with pytest.raises(ReadError, match=match) as info:
        ic.read_psplib(path)
    assert "bad.sm" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="cannot be read"):
        ic.read_psplib(tmp_path / "none.sm")


@pytest.mark.oracle
def test_makespan_equals_mpm_time_on_all_j30(shared_data):
    files = sorted((shared_data / "psplib-j30").glob("*.sm"))
    if not files:
        pytest.skip(f"no PSPLIB .sm files in {shared_data / 'psplib-j30'}")
    mismatched = []
    for path in files:
        G = ic.read_psplib(path)
        if ic.sim.schedule(G).makespan != G.graph["mpm_time"]:
            mismatched.append(path.name)
    print(f"PSPLIB j30: MPM-Time matched on {len(files) - len(mismatched)} of {len(files)}")
    assert len(files) == 480
    assert mismatched == []
