"""`read_psplib`: a PSPLIB single-mode project (``.sm``) as an organisation.

PSPLIB [1]_ is the standard library of project-scheduling instances. Each job
becomes a stakeholder whose ``work`` is its duration, each precedence a
blocking service from a job to its successor, and the last job (the sink)
the external customer. The project header (``MPM-Time``, the critical-path
length without resources; due date, horizon, ...) and the resources are kept
as graph attributes, the resource requests as node attributes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import networkx as nx

from intcust.errors import ReadError, quote
from intcust.graph.io._build import OrgBuilder
from intcust.graph.io.files import path_argument, read_text

__all__ = ["read_psplib"]

_RESOURCE_KINDS = {"renewable": "R", "nonrenewable": "N", "doubly constrained": "D"}


class _Lines:
    """The file's lines with their numbers, for messages that name the place."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.i = 0

    def error(self, expected: str, line: int | None = None) -> ReadError:
        n = self.i if line is None else line
        got = (
            quote(self.lines[n - 1].strip()) if 0 < n <= len(self.lines) else "the end of the file"
        )
        return ReadError(f"{self.path}, line {n}: expected {expected}; got {got}")

    def find(self, prefix: str) -> int:
        """Advance past the first line starting with `prefix`; return its number."""
        while self.i < len(self.lines):
            self.i += 1
            if self.lines[self.i - 1].strip().lower().startswith(prefix.lower()):
                return self.i
        raise ReadError(f"{self.path}: expected a line starting with {prefix!r}; none found")

    def next(self, expected: str) -> str:
        """The next line that is not a rule of '*' or '-' characters."""
        while self.i < len(self.lines):
            self.i += 1
            line = self.lines[self.i - 1].strip()
            if line and not set(line) <= {"*", "-"}:
                return line
        self.i += 1
        raise self.error(expected)

    def ints(self, line: str, expected: str, *, count: int | None = None) -> list[int]:
        try:
            values = [_int(x) for x in line.split()]
        except ValueError:
            raise self.error(expected) from None
        if count is not None and len(values) < count:
            raise self.error(expected)
        return values

    def value(self, prefix: str) -> int:
        """The integer after the colon of the line starting with `prefix`."""
        n = self.find(prefix)
        m = re.search(r":\s*+(\d{1,9})\b", self.lines[n - 1])
        if m is None:
            raise self.error(f"'{prefix} : <integer>' (of at most 9 digits)", n)
        return int(m.group(1))


def _int(text: str) -> int:
    """An integer field of at most 9 digits (PSPLIB's are far smaller)."""
    if len(text.lstrip("+-")) > 9:
        raise ValueError(text)
    return int(text)


def read_psplib(path: str | os.PathLike[str]) -> nx.DiGraph:
    """Read a PSPLIB single-mode project file (``.sm``) as an organisation.

    Parameters
    ----------
    path : str or path-like
        A ``.sm`` file, e.g. one of the j30 instances.

    Returns
    -------
    networkx.DiGraph
        One stakeholder per job (the job number is the node), with ``work``
        its duration and ``requests`` its resource needs (``{"R1": 4, ...}``);
        a blocking service per precedence; the last job (the sink) has
        ``kind="external"``. Graph attributes: ``name`` (the file's stem),
        ``time_unit="period"``, ``mpm_time``, ``due_date``,
        ``release_date``, ``tardiness_cost``, ``horizon``, ``base_data``,
        ``seed`` and ``resources`` (``{"R1": {"kind": "renewable",
        "available": 12}, ...}``). The project due date is kept as a graph
        attribute, not set on the sink, so floats are taken against the
        critical-path length.

    Raises
    ------
    ReadError
        If the file cannot be read, is not single-mode, lists no job, or is
        malformed; the message names the file and the line.
    SchemaError
        If a duration is negative, listing every such job with its line.
    CycleError
        If the precedences form a cycle (a job among its own successors too).

    Notes
    -----
    The critical-path length of the result (``schedule(G).makespan``)
    equals the header's ``MPM-Time`` on all 480 j30 instances.

    References
    ----------
    .. [1] R. Kolisch and A. Sprecher, "PSPLIB - A project scheduling problem
       library", European Journal of Operational Research 96 (1997) 205-216.

    Examples
    --------
    >>> import pathlib, tempfile, intcust as ic
    >>> text = '''jobs (incl. supersource/sink ):  3
    ... horizon                       :  5
    ... RESOURCES
    ...   - renewable                 :  1   R
    ...   - nonrenewable              :  0   N
    ...   - doubly constrained        :  0   D
    ... PROJECT INFORMATION:
    ... pronr.  #jobs rel.date duedate tardcost  MPM-Time
    ...     1      1      0        4        1         4
    ... PRECEDENCE RELATIONS:
    ... jobnr.    #modes  #successors   successors
    ...    1        1          1           2
    ...    2        1          1           3
    ...    3        1          0
    ... REQUESTS/DURATIONS:
    ... jobnr. mode duration  R 1
    ... ------------------------------------------------------------------------
    ...   1      1     0       0
    ...   2      1     4       2
    ...   3      1     0       0
    ... RESOURCEAVAILABILITIES:
    ...   R 1
    ...     3
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "tiny.sm"
    ...     _ = p.write_text(text)
    ...     G = ic.read_psplib(p)
    >>> G.graph["mpm_time"], ic.sim.schedule(G).makespan
    (4, 4.0)
    >>> G.nodes[2]
    {'kind': 'person', 'work': 4, 'requests': {'R1': 2}}
    """
    text, _ = read_text(path_argument(path, "read_psplib"), "read_psplib")
    p = Path(path)
    f = _Lines(p, text)
    attrs: dict[str, Any] = {}
    for key, label in (("base_data", "file with basedata"), ("seed", "initial value random")):
        m = re.search(rf"^{label}[^:\n]*+:[ \t]*+(\S{{1,200}})", text, flags=re.MULTILINE)
        if m:
            value = m.group(1)
            attrs[key] = int(value) if value.isdigit() and len(value) <= 9 else value
    n_jobs = f.value("jobs")
    if n_jobs < 1:
        raise f.error("at least one job", f.i)
    attrs["horizon"] = f.value("horizon")
    kinds: list[str] = []
    f.find("RESOURCES")
    for kind, letter in _RESOURCE_KINDS.items():
        line = f.next(f"'- {kind} : <count> {letter}'")
        m = re.match(rf"-\s*+{kind}\s*+:\s*+(\d{{1,4}})\b", line)
        if m is None:
            raise f.error(f"'- {kind} : <count> {letter}'")
        kinds += [kind] * int(m.group(1))
    f.find("PROJECT INFORMATION")
    f.next("the project header 'pronr. #jobs rel.date duedate tardcost MPM-Time'")
    info = f.ints(
        f.next("six integers"),
        "six integers: pronr. #jobs rel.date duedate tardcost MPM-Time",
        count=6,
    )
    attrs.update(release_date=info[2], due_date=info[3], tardiness_cost=info[4], mpm_time=info[5])

    f.find("PRECEDENCE RELATIONS")
    f.next("the header 'jobnr. #modes #successors successors'")
    successors: dict[int, list[int]] = {}
    rows: dict[int, int] = {}
    for _ in range(n_jobs):
        expected = "'jobnr. #modes #successors successors...' of a job"
        values = f.ints(f.next(expected), expected, count=3)
        job, modes, count = values[:3]
        if modes != 1:
            raise f.error("a single-mode job (#modes 1); multi-mode projects are not supported")
        if len(values) != 3 + count or job in successors:
            raise f.error(f"job {job} once, with {count} successors")
        successors[job] = values[3:]
        rows[job] = f.i

    f.find("REQUESTS/DURATIONS")
    header = f.next("the header 'jobnr. mode duration R 1 ...'")
    names = [f"{a}{b}" for a, b in re.findall(r"\b([RND])\s*(\d+)", header)]
    if len(names) != len(kinds):
        raise f.error(f"{len(kinds)} resource columns as listed under RESOURCES", f.i)
    work: dict[int, int] = {}
    requests: dict[int, dict[str, int]] = {}
    for _ in range(n_jobs):
        expected = f"'jobnr. mode duration' and {len(names)} resource requests"
        values = f.ints(f.next(expected), expected, count=3 + len(names))
        job = values[0]
        if job not in successors or job in work or len(values) != 3 + len(names):
            raise f.error(f"one row per job of the precedence table: {expected}")
        work[job] = values[2]
        requests[job] = dict(zip(names, values[3:], strict=True))

    f.find("RESOURCEAVAILABILITIES")
    f.next("the resource names")
    available = f.ints(
        f.next(f"{len(names)} availabilities"), "the availabilities", count=len(names)
    )
    attrs["resources"] = {
        name: {"kind": kind, "available": a}
        for name, kind, a in zip(names, kinds, available, strict=False)
    }

    sink = max(successors)
    b = OrgBuilder(str(p))
    b.set_graph({"name": p.stem, "time_unit": "period", **attrs}, f"{p}, header")
    for job in sorted(successors):
        where = f"{p}, line {rows[job]}"
        kind = "external" if job == sink else "person"
        b.add_node(job, {"kind": kind, "work": work[job], "requests": requests[job]}, where)
    for job in sorted(successors):
        for s in successors[job]:
            if s not in successors:
                raise f.error(f"successors among the jobs 1..{n_jobs}", rows[job])
            b.add_edge(job, s, {}, f"{p}, line {rows[job]}")
    return b.build()
