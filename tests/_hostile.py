"""A harness for hostile inputs: each case runs in a forked child under limits.

A `Case` names an entry point (a callable given a fresh folder holding the
case's files), the exception it must raise and the fragments its message must
contain (the place: file and line, node, parameter). `run_case` forks, caps
the child's address space (`RLIMIT_AS`, `memory` bytes above what the test
process already maps) and CPU time, optionally its file size
(`RLIMIT_FSIZE`, with ``SIGXFSZ`` ignored so a write fails with ``EFBIG``),
runs the call, and reports what it raised through a pipe; a child that
outlives `timeout` seconds is killed. Forking the already-imported test
process costs milliseconds, so a table of a hundred cases runs in seconds.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

MiB = 1 << 20


@dataclass(frozen=True)
class Case:
    """One hostile or broken input for one entry point.

    Parameters
    ----------
    id : str
        A short unique name, e.g. ``"yaml billion laughs"``.
    call : callable
        The entry point, called with the case's folder (also the working
        directory of the child).
    raises : exception type
        The exact type the call must raise.
    names : tuple of str
        Fragments the message must contain: the place and the value.
    files : mapping of str to str or bytes
        Files written into the folder before the call (text as UTF-8).
    timeout : float
        Seconds before the child is killed as hung.
    memory : int
        Bytes the child may map beyond the test process.
    fsize : int or None
        A file-size limit for the child, in bytes.
    """

    id: str
    call: Callable[[Path], object]
    raises: type[BaseException]
    names: tuple[str, ...]
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    timeout: float = 10.0
    memory: int = 512 * MiB
    fsize: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What the child did: ``"raised"``, ``"returned"``, ``"hung"`` or ``"died"``."""

    kind: str
    type: str = ""
    message: str = ""
    length: int = 0
    seconds: float = 0.0


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under `folder`: its SHA-256 (or "dir") and permission bits."""
    out: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        mode = path.lstat().st_mode & 0o7777
        if path.is_dir():
            out[rel] = ("dir", mode)
        else:
            out[rel] = (hashlib.sha256(path.read_bytes()).hexdigest(), mode)
    return out


def _mapped_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _limit(case: Case) -> None:
    cap = _mapped_bytes() + case.memory
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu = int(case.timeout) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    if case.fsize is not None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (case.fsize, case.fsize))


def run_case(case: Case, folder: Path) -> Outcome:
    """Run `case.call(folder)` in a forked child under the case's limits."""
    read_end, write_end = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(read_end)
            os.chdir(folder)
            _limit(case)
            try:
                case.call(folder)
                report: tuple[str, str, str, int] = ("returned", "", "", 0)
            except BaseException as err:  # report every kind, MemoryError included
                kind = type(err)
                text = str(err)
                report = (
                    "raised",
                    f"{kind.__module__}.{kind.__qualname__}",
                    text[:20000],
                    len(text),
                )
            data = pickle.dumps(report)
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = start + case.timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return Outcome("hung", seconds=case.timeout)
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - start
    if not chunks:
        return Outcome("died", message=f"wait status {status}", seconds=seconds)
    kind, name, message, length = pickle.loads(b"".join(chunks))
    return Outcome(kind, name, message, length, seconds)


def qualified(kind: type[BaseException]) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"
