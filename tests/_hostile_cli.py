"""Hostile and broken inputs for the command line: rows of the table in ``test_hostile.py``.

Each row runs ``intcust ARGV`` through `intcust.cli.main` in the harness's forked
child (`_hostile.run_case`), in the case's folder. Whatever the command does,
every run must print no traceback, let no control character of the data reach
either stream raw, print nothing on standard output when it fails (but
``validate``'s list of problems), and with ``--json`` print one JSON document:
an error object carrying the exit code when the run failed. A run that keeps
these rules raises `Exited`, whose message starts with ``exit N`` and holds
standard error, then the start of standard output, for the harness to check
against the row's fragments; one that breaks them raises `AssertionError`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

import intcust as ic
from _hostile import Case

__all__ = ["CLI_CASES", "Exited"]

#: The part of each stream a message keeps (the harness bounds messages at 4,000 characters).
_KEPT = 1500


class Exited(Exception):
    """``intcust`` ended with an exit code (the message: ``exit N``, stderr, stdout)."""


#: Characters a terminal may act on: C0 controls but the newline, DEL, C1 controls, the
#: bidirectional marks, embeddings, overrides and isolates, the line and paragraph
#: separators, and surrogates.
_RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ud800-\udfff]"
)


def _clean(text: str) -> bool:
    return _RAW.search(text) is None


def _check(argv: tuple[str, ...], code: int, out: str, err: str) -> None:
    assert "Traceback" not in err, err[-2000:]
    assert _clean(out), f"raw control characters on stdout: {out[:500]!r}"
    assert _clean(err), f"raw control characters on stderr: {err[:500]!r}"
    validate = argv[:1] == ("validate",)
    if "--json" in argv:
        data = json.loads(out)
        if code != 0 and not (validate and code == 1):
            assert data["error"]["exit_code"] == code, data
    elif code != 0 and not (validate and code == 1):
        assert out == "", f"output left by a failed run: {out[:500]!r}"


def _run(argv: tuple[str, ...]) -> Any:
    def call(_: Path) -> None:
        from intcust.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        _check(argv, code, out.getvalue(), err.getvalue())
        raise Exited(f"exit {code}\n{err.getvalue()[:_KEPT]}\n{out.getvalue()[:_KEPT]}")

    return call


def cli(
    id: str,
    argv: list[str],
    code: int,
    names: tuple[str, ...] = (),
    files: Mapping[str, str | bytes] | None = None,
    *,
    fsize: int | None = None,
) -> Case:
    """A row: ``intcust ARGV`` in a folder holding `files` ends with `code`, its streams
    holding `names`; `fsize` caps the size of the files it writes."""
    return Case(
        f"cli {id}",
        _run(tuple(argv)),
        Exited,
        (f"exit {code}\n", *names),
        files or {},
        timeout=60.0,
        fsize=fsize,
    )


# ---- content ----------------------------------------------------------------------------

#: Clears the screen, then retitles the terminal window.
ESC = "a\x1b[2J\x1b]0;owned\x07"
#: Shows as "btxt.exe" in a terminal that honours the right-to-left override.
BIDI = "b\u202eexe.txt"
#: A carriage return overprints the start of the line.
CR = "c\rforged"
LONG = "L" * 100_000


def _json(G: nx.DiGraph) -> str:
    f = io.StringIO()
    ic.write_json(G, f)
    return f.getvalue()


def _hostile() -> nx.DiGraph:
    # OSC 52 asks the terminal to write the clipboard
    G = ic.org_graph(name="Acme\x1b]52;c;b3duZWQ=\x07", time_unit="day")
    ic.add_stakeholder(G, ESC, work=1, unit="Sales\u202e")
    ic.add_stakeholder(G, BIDI, work=2)
    ic.add_stakeholder(G, LONG, work=1)
    ic.add_stakeholder(G, CR, kind="external", due=3)
    ic.add_service(G, ESC, BIDI, deliverable="design\x1b[31m", sla=1)
    ic.add_service(G, BIDI, CR, satisfaction=0.5)
    ic.add_service(G, LONG, CR)
    return G


def _rows(*rows: list[str]) -> str:
    f = io.StringIO()
    csv.writer(f).writerows(rows)  # quotes a carriage return in a name
    return f.getvalue()


def _formulas() -> nx.DiGraph:
    """Names, a unit and a deliverable that a spreadsheet would run as formulas."""
    G = ic.org_graph(name="=cmd|' /C calc'!A0", time_unit="day")
    ic.add_stakeholder(G, "=1+1", work=1, unit="+1")
    ic.add_stakeholder(G, "@SUM(A1)", work=2)
    ic.add_stakeholder(G, "-2+3", kind="external", due=5)
    ic.add_service(G, "=1+1", "@SUM(A1)", deliverable='=HYPERLINK("x")', sla=1)
    ic.add_service(G, "@SUM(A1)", "-2+3")
    return G


def _surrogates() -> nx.DiGraph:
    """Lone surrogates (as decoding a file name with surrogateescape leaves) in names."""
    G = ic.org_graph(name="Acme\ud800", time_unit="day")
    ic.add_stakeholder(G, "des\udcffigner", work=2, unit="Mark\udc80eting")
    ic.add_stakeholder(G, "cust\udcff", kind="external", due=3)
    ic.add_service(G, "des\udcffigner", "cust\udcff", deliverable="design\udcff")
    return G


HOSTILE = _json(_hostile())
FORMULAS = _json(_formulas())
SURROGATES = _json(_surrogates())
GOOD = _json(ic.datasets.email_campaign())
CYCLE = (
    '{"directed": true, "graph": {"name": "loop"}, "nodes": [{"id": "a"}, {"id": "b"}, '
    '{"id": "c", "kind": "external"}], "edges": [{"source": "a", "target": "b"}, '
    '{"source": "b", "target": "a"}, {"source": "b", "target": "c"}]}'
)
ROBOT = '{"directed": true, "graph": {}, "nodes": [{"id": "a", "kind": "robot"}], "edges": []}'
BAD = '{"directed": true, "nodes": [{"id": "a"}'
SURVEY = _rows(["customer", "supplier", "score"], [CR, BIDI, "2"])
#: Its second record (on line 4: the first holds a carriage return) rates a service the
#: organisation does not have.
SURVEY_UNKNOWN = _rows(["customer", "supplier", "score"], [CR, BIDI, "2"], [f"{ESC}x", BIDI, "3"])
LOG = _rows(
    ["case:concept:name", "concept:name", "org:resource", "time:timestamp"],
    ["1", "ask", ESC, "2024-01-01T09:00:00"],
    ["1", "answer", BIDI, "2024-01-02T09:00:00"],
    ["1", "close", CR, "2024-01-03T09:00:00"],
)
TICKET_LOG = _rows(
    ["requester", "team", "opened", "resolved"],
    [ESC, BIDI, "2024-01-01T09:00:00", "2024-01-02T09:00:00"],
    [CR, BIDI, "2024-01-01T09:00:00", "2024-01-03T09:00:00"],
)

ORG = {"o.json": GOOD}
HOSTILE_ORG = {"h.json": HOSTILE}
#: A previous output that a failed write must leave as it was.
PREVIOUS = "the previous file\n"
LOOP = {"c.json": CYCLE}
BROKEN = {"b.json": BAD}
TOO_MANY = str(10**12)
#: How the escaped names show on a terminal.
ESC_SHOWN, BIDI_SHOWN, CR_SHOWN = "a\\x1b[2J\\x1b]0;owned\\x07", "b\\u202eexe.txt", "c\\rforged"
LONG_SHOWN = "LLL… (+99800 characters)"

CLI_CASES: list[Case] = [
    # ---- usage --------------------------------------------------------------------------
    cli("no command", [], 2, ("intcust: error: the following arguments are required",)),
    cli("unknown command json", ["nope", "--json"], 2, ('"type": "UsageError"',)),
    cli("unknown option", ["info", "o.json", "--colour"], 2, ("unrecognized arguments",), ORG),
    cli("control in an argument", ["info", "o.json", ESC], 2, (ESC_SHOWN,), ORG),
    # ---- validate -----------------------------------------------------------------------
    cli(
        "validate bad file",
        ["validate", "b.json"],
        2,
        ("b.json, line 1", "not valid JSON"),
        BROKEN,
    ),
    cli("validate missing file", ["validate", "nowhere.json"], 2, ("nowhere.json",)),
    cli("validate missing file json", ["validate", "nowhere.json", "--json"], 2, ("ReadError",)),
    cli("validate cycle", ["validate", "c.json"], 1, ("'a' -> 'b' -> 'a'",), LOOP),
    cli("validate cycle json", ["validate", "c.json", "--json"], 1, ('"valid": false',), LOOP),
    cli(
        "validate hostile names",
        ["validate", "h.json"],
        0,
        ("valid: 4 stakeholders",),
        HOSTILE_ORG,
    ),
    # ---- info ---------------------------------------------------------------------------
    cli("info bad file", ["info", "b.json"], 2, ("intcust info: error: b.json, line 1",), BROKEN),
    cli("info missing file", ["info", "nowhere.json"], 2, ("intcust info: error: nowhere",)),
    cli("info a folder", ["info", "."], 2, ("stakeholders.csv", "cannot be read")),
    cli("info cycle", ["info", "c.json"], 1, ("intcust info: error: c.json", "cycle"), LOOP),
    cli("info cycle json", ["info", "c.json", "--json"], 1, ('"type": "CycleError"',), LOOP),
    cli(
        "info hostile names", ["info", "h.json"], 0, ("Acme\\x1b]52;", "Sales\\u202e"), HOSTILE_ORG
    ),
    cli(
        "info hostile names json",
        ["info", "h.json", "--json"],
        0,
        ('"design\\u001b[31m"',),
        HOSTILE_ORG,
    ),
    # ---- bottlenecks --------------------------------------------------------------------
    cli("bottlenecks cycle", ["bottlenecks", "c.json"], 1, ("intcust bottlenecks: error",), LOOP),
    cli("bottlenecks missing json", ["bottlenecks", "x.json", "--json"], 2, ('"exit_code": 2',)),
    cli("bottlenecks top 0", ["bottlenecks", "o.json", "--top", "0"], 2, ("argument --top",), ORG),
    cli(
        "bottlenecks top huge",
        ["bottlenecks", "o.json", "--top", TOO_MANY],
        2,
        ("1,000,000",),
        ORG,
    ),
    cli(
        "bottlenecks hostile names",
        ["bottlenecks", "h.json"],
        0,
        (ESC_SHOWN, BIDI_SHOWN),
        HOSTILE_ORG,
    ),
    # ---- metrics ------------------------------------------------------------------------
    cli(
        "metrics invalid",
        ["metrics", "r.json"],
        1,
        ("kind of node 'a'", "'robot'"),
        {"r.json": ROBOT},
    ),
    cli("metrics bad file json", ["metrics", "b.json", "--json"], 2, ('"exit_code": 2',), BROKEN),
    cli("metrics top 0", ["metrics", "o.json", "--top", "0"], 2, ("argument --top",), ORG),
    cli("metrics sources 0", ["metrics", "o.json", "--sources", "0"], 2, ("--sources",), ORG),
    cli("metrics hostile names", ["metrics", "h.json"], 0, (CR_SHOWN, LONG_SHOWN), HOSTILE_ORG),
    # ---- simulate -----------------------------------------------------------------------
    cli("simulate missing file", ["simulate", "nowhere.json"], 2, ("nowhere.json",)),
    cli("simulate cycle", ["simulate", "c.json"], 1, ("intcust simulate: error",), LOOP),
    cli("simulate cycle json", ["simulate", "c.json", "--json"], 1, ('"cycle": [',), LOOP),
    cli(
        "simulate hostile names",
        ["simulate", "h.json"],
        0,
        ("critical path: " + ESC_SHOWN,),
        HOSTILE_ORG,
    ),
    cli(
        "simulate hostile json",
        ["simulate", "h.json", "--json"],
        0,
        ('"a\\u001b[2J',),
        HOSTILE_ORG,
    ),
    cli(
        "simulate monte carlo huge",
        ["simulate", "o.json", "--monte-carlo", TOO_MANY],
        2,
        ("argument --monte-carlo: must be an int from 1 to 10,000,000",),
        ORG,
    ),
    cli(
        "simulate rounds huge", ["simulate", "o.json", "--rounds", TOO_MANY], 2, ("--rounds",), ORG
    ),
    cli(
        "simulate delay of a long unknown name",
        ["simulate", "h.json", "--delay", f"{LONG}x=1"],
        2,
        ("'--delay' option must name a node", "LLL...LLL"),
        HOSTILE_ORG,
    ),
    cli(
        "simulate delay of an escaped unknown name",
        ["simulate", "h.json", "--delay", f"{ESC}x=1", "--json"],
        2,
        ("UnknownNodeError", "\\x1b[2J"),
        HOSTILE_ORG,
    ),
    # ---- rounds -------------------------------------------------------------------------
    cli("rounds cycle", ["rounds", "c.json"], 1, ("intcust rounds: error",), LOOP),
    cli("rounds k huge", ["rounds", "o.json", "-k", TOO_MANY], 2, ("argument -k/--rounds",), ORG),
    cli("rounds monte carlo huge", ["rounds", "o.json", "--monte-carlo", TOO_MANY], 2, (), ORG),
    cli("rounds missing json", ["rounds", "x.json", "--json"], 2, ('"ReadError"',)),
    cli("rounds hostile names", ["rounds", "h.json"], 0, ("10 rounds",), HOSTILE_ORG),
    # ---- outage -------------------------------------------------------------------------
    cli("outage missing file", ["outage", "x.json", "a=1"], 2, ("intcust outage: error: x",)),
    cli("outage cycle", ["outage", "c.json", "a=1"], 1, ("cycle",), LOOP),
    cli("outage hostile names", ["outage", "h.json", "--rank", "1"], 0, (ESC_SHOWN,), HOSTILE_ORG),
    cli("outage unknown node", ["outage", "h.json", f"{ESC}x=1"], 2, ("\\x1b[2J",), HOSTILE_ORG),
    cli("outage at nan", ["outage", "o.json", "--at", "nan", "--rank", "1"], 2, ("'--at'",), ORG),
    # ---- mine ---------------------------------------------------------------------------
    cli("mine missing log", ["mine", "nowhere.csv"], 2, ("nowhere.csv",)),
    cli("mine bad log", ["mine", "l.csv"], 2, ("no column",), {"l.csv": "a,b\n1,2\n"}),
    cli("mine bad log json", ["mine", "l.csv", "--json"], 2, ('"ReadError"',), {"l.csv": "a\n"}),
    cli("mine hostile names", ["mine", "l.csv"], 0, ("2 hand-offs",), {"l.csv": LOG}),
    cli(
        "mine into a missing folder",
        ["mine", "l.csv", "-o", "no/o.json"],
        2,
        ("no/o.json",),
        {"l.csv": LOG},
    ),
    cli(
        "mine samples huge",
        ["mine", "l.csv", "--max-samples", TOO_MANY],
        2,
        ("--max-samples",),
        {"l.csv": LOG},
    ),
    # ---- tickets ------------------------------------------------------------------------
    cli("tickets missing log", ["tickets", "nowhere.csv"], 2, ("nowhere.csv",)),
    cli(
        "tickets bad log",
        ["tickets", "t.csv", "--json"],
        2,
        ("line 2", "not an ISO 8601 time"),
        {"t.csv": "requester,team,opened,resolved\nx,y,soon,2024-01-01\n"},
    ),
    cli("tickets hostile names", ["tickets", "t.csv"], 0, ("2 tickets",), {"t.csv": TICKET_LOG}),
    cli(
        "tickets capacity 0",
        ["tickets", "t.csv", "--capacity", "0"],
        2,
        ("'--capacity'",),
        {"t.csv": TICKET_LOG},
    ),
    # ---- sla ----------------------------------------------------------------------------
    cli("sla cycle", ["sla", "c.json"], 1, ("intcust sla: error",), LOOP),
    cli("sla top 0", ["sla", "o.json", "--top", "0"], 2, ("argument --top",), ORG),
    cli("sla hostile names", ["sla", "h.json", "--sla", "1"], 0, (BIDI_SHOWN,), HOSTILE_ORG),
    cli("sla missing json", ["sla", "x.json", "--json"], 2, ('"exit_code": 2',)),
    # ---- feedback -----------------------------------------------------------------------
    cli(
        "feedback missing survey",
        ["feedback", "h.json", "nowhere.csv"],
        2,
        ("nowhere.csv",),
        HOSTILE_ORG,
    ),
    cli(
        "feedback survey not utf-8",
        ["feedback", "h.json", "s.csv", "--json"],
        2,
        ("byte 0xff at offset",),
        {**HOSTILE_ORG, "s.csv": b"customer,supplier,score\nx,y,\xff\n"},
    ),
    cli(
        "feedback cycle", ["feedback", "c.json", "s.csv"], 1, ("cycle",), {**LOOP, "s.csv": SURVEY}
    ),
    cli(
        "feedback hostile names",
        ["feedback", "h.json", "s.csv", "--customer", CR],
        0,
        (f"where the experience of {CR_SHOWN} breaks down",),
        {**HOSTILE_ORG, "s.csv": SURVEY},
    ),
    cli(
        "feedback survey rates an unknown service",
        ["feedback", "h.json", "s.csv", "--customer", CR],
        2,
        (
            "intcust feedback: error: s.csv, line 4 of the survey rates the service "
            f"'{BIDI_SHOWN}' -> '{ESC_SHOWN}x' (supplier -> customer), which the "
            f"organisation does not have: '{ESC_SHOWN}x' is not a stakeholder",
        ),
        {**HOSTILE_ORG, "s.csv": SURVEY_UNKNOWN},
    ),
    cli(
        "feedback survey rates an unknown service json",
        ["feedback", "h.json", "s.csv", "--json"],
        2,
        ('"type": "ReadError"', "s.csv, line 4 of the survey rates the service"),
        {**HOSTILE_ORG, "s.csv": SURVEY_UNKNOWN},
    ),
    cli(
        "recognise survey rates an unknown service",
        ["recognise", "h.json", "--survey", "s.csv", "--monte-carlo", "16"],
        2,
        ("s.csv, line 4 of the survey rates the service",),
        {**HOSTILE_ORG, "s.csv": SURVEY_UNKNOWN},
    ),
    cli(
        "feedback top 0",
        ["feedback", "h.json", "s.csv", "--top", "0"],
        2,
        ("--top",),
        {**HOSTILE_ORG, "s.csv": SURVEY},
    ),
    # ---- catalogue ----------------------------------------------------------------------
    cli("catalogue cycle", ["catalogue", "c.json"], 1, ("intcust catalogue: error",), LOOP),
    cli("catalogue hostile names", ["catalogue", "h.json"], 0, ("design\\x1b[31m",), HOSTILE_ORG),
    cli(
        "catalogue output suffix", ["catalogue", "o.json", "-o", "x.txt"], 2, ("'--output'",), ORG
    ),
    cli("catalogue missing log", ["catalogue", "o.json", "--log", "x.csv"], 2, ("x.csv",), ORG),
    cli(
        "catalogue into a missing folder",
        ["catalogue", "o.json", "-o", "no/c.csv"],
        2,
        ("no/c.csv",),
        ORG,
    ),
    cli(
        "catalogue formula names over the file-size limit",
        ["catalogue", "f.json", "-o", "c.csv"],
        2,
        ("intcust catalogue: error: c.csv: cannot be written: File too large",),
        {"f.json": FORMULAS, "c.csv": PREVIOUS},
        fsize=200,
    ),
    # ---- recognise ----------------------------------------------------------------------
    cli("recognise cycle json", ["recognise", "c.json", "--json"], 1, ('"CycleError"',), LOOP),
    cli("recognise monte carlo 0", ["recognise", "o.json", "--monte-carlo", "0"], 2, (), ORG),
    cli(
        "recognise missing survey",
        ["recognise", "o.json", "--survey", "x.csv"],
        2,
        ("x.csv",),
        ORG,
    ),
    cli(
        "recognise hostile names",
        ["recognise", "h.json", "--monte-carlo", "64"],
        0,
        (ESC_SHOWN,),
        HOSTILE_ORG,
    ),
    # ---- compare ------------------------------------------------------------------------
    cli("compare missing file", ["compare", "o.json", "x.json"], 2, ("x.json",), ORG),
    cli("compare cycle", ["compare", "c.json", "o.json"], 1, ("cycle",), {**LOOP, **ORG}),
    cli(
        "compare bad file json",
        ["compare", "o.json", "b.json", "--json"],
        2,
        ("ReadError",),
        {**BROKEN, **ORG},
    ),
    cli(
        "compare alpha 2",
        ["compare", "o.json", "o.json", "--alpha", "2"],
        2,
        ("intcust compare: error: argument --alpha: must be a number in (0, 1); got '2'",),
        ORG,
    ),
    cli(
        "compare alpha nan json",
        ["compare", "o.json", "o.json", "--alpha", "nan", "--json"],
        2,
        ('"type": "UsageError"', "argument --alpha"),
        ORG,
    ),
    cli(
        "compare hostile names", ["compare", "h.json", "h.json"], 0, ("Comparison(",), HOSTILE_ORG
    ),
    # ---- report -------------------------------------------------------------------------
    cli("report missing file", ["report", "x.json", "-o", "r.html"], 2, ("x.json",)),
    cli(
        "report cycle keeps the old report",
        ["report", "c.json", "-o", "r.html"],
        1,
        ("cycle",),
        {**LOOP, "r.html": "<p>the previous report</p>"},
    ),
    cli(
        "report hostile names into a missing folder",
        ["report", "h.json", "-o", f"no/{ESC}.html", "--monte-carlo", "16"],
        2,
        ("intcust report: error: no/" + ESC_SHOWN,),
        HOSTILE_ORG,
    ),
    cli(
        "report formula names over the file-size limit",
        ["report", "f.json", "-o", "r.html", "--monte-carlo", "16"],
        2,
        ("intcust report: error: r.html: cannot be written: File too large",),
        {"f.json": FORMULAS, "r.html": PREVIOUS},
        fsize=10_000,
    ),
    cli(
        "report lone surrogates over the file-size limit",
        ["report", "s.json", "-o", "r.html", "--monte-carlo", "16"],
        2,
        ("intcust report: error: r.html: cannot be written: File too large",),
        {"s.json": SURROGATES, "r.html": PREVIOUS},
        fsize=10_000,
    ),
    cli(
        "report lone surrogates into a missing folder",
        ["report", "s.json", "-o", "no/r.html", "--monte-carlo", "16"],
        2,
        ("intcust report: error: no/r.html: cannot be written",),
        {"s.json": SURROGATES},
    ),
    cli("report top 0", ["report", "o.json", "-o", "r.html", "--top", "0"], 2, ("--top",), ORG),
    cli(
        "report into a folder", ["report", "o.json", "-o", ".", "--monte-carlo", "10"], 2, (), ORG
    ),
    # ---- demo ---------------------------------------------------------------------------
    cli("demo monte carlo huge", ["demo", "--monte-carlo", TOO_MANY], 2, ("--monte-carlo",)),
    cli(
        "demo unknown example json",
        ["demo", "--example", "nope", "--json"],
        2,
        ("invalid choice",),
    ),
]
