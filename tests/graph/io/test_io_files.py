"""Writers replace files atomically: an interrupted write leaves the previous files as they were."""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

import intcust as ic
from _hostile import Case, qualified, run_case, snapshot
from intcust.errors import ReadError, WriteError

pytest.importorskip("yaml")

Write = Callable[[nx.DiGraph, Path], None]
Read = Callable[[Path], nx.DiGraph]

WRITERS: dict[str, tuple[Write, Read]] = {
    "json": (lambda G, d: ic.write_json(G, d / "o.json"), lambda d: ic.read_json(d / "o.json")),
    "graphml": (
        lambda G, d: ic.write_graphml(G, d / "o.graphml"),
        lambda d: ic.read_graphml(d / "o.graphml"),
    ),
    "yaml": (lambda G, d: ic.write_yaml(G, d / "o.yaml"), lambda d: ic.read_yaml(d / "o.yaml")),
    "csv": (
        lambda G, d: ic.write_csv(G, d / "s.csv", d / "e.csv"),
        lambda d: ic.read_csv(d / "s.csv", d / "e.csv"),
    ),
    "folder": (lambda G, d: ic.write(G, d / "org"), lambda d: ic.read(d / "org")),
}


def old() -> nx.DiGraph:
    return ic.datasets.email_campaign()


def new() -> nx.DiGraph:
    return ic.datasets.generate_org(60, seed=3)


def _fail_on_call(n: int, error: BaseException) -> Callable[[int], None]:
    """An `os.fsync` that fails on its n-th call: the n-th file is written, not yet on disk."""
    real = os.fsync
    calls = [0]

    def fsync(fd: int) -> None:
        calls[0] += 1
        if calls[0] == n:
            raise error
        real(fd)

    return fsync


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
    ids=["disk full", "interrupted"],
)
def test_a_write_failing_in_its_last_file_changes_nothing(
    fmt: str, error: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write, read = WRITERS[fmt]
    write(old(), tmp_path)
    before = snapshot(tmp_path)
    last = 2 if fmt in ("csv", "folder") else 1  # the second file of the pair
    monkeypatch.setattr(os, "fsync", _fail_on_call(last, error))
    expected = KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else WriteError
    with pytest.raises(expected):
        write(new(), tmp_path)
    assert snapshot(tmp_path) == before
    assert list(read(tmp_path)) == list(old())


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_a_file_size_limit_leaves_the_previous_files(fmt: str, tmp_path: Path) -> None:
    write, read = WRITERS[fmt]
    write(old(), tmp_path)
    before = snapshot(tmp_path)
    case = Case(fmt, lambda d: write(new(), d), WriteError, ("File too large",), fsize=4096)
    outcome = run_case(case, tmp_path)
    assert outcome.type == qualified(WriteError), outcome
    assert "File too large" in outcome.message
    assert snapshot(tmp_path) == before
    assert list(read(tmp_path)) == list(old())


def test_a_failed_second_replacement_rolls_the_first_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ic.write_csv(old(), tmp_path / "s.csv", tmp_path / "e.csv")
    before = snapshot(tmp_path)
    real = os.replace
    calls = [0]

    def replace(src: str | Path, dst: str | Path) -> None:
        calls[0] += 1
        if calls[0] == 2:
            raise PermissionError(errno.EACCES, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(WriteError, match=r"e\.csv: cannot be written: Permission denied"):
        ic.write_csv(new(), tmp_path / "s.csv", tmp_path / "e.csv")
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


def test_a_crash_between_the_two_replacements_is_detected(tmp_path: Path) -> None:
    """The process dies after the first file of the pair is in place: the reader refuses the
    pair rather than read new stakeholders beside old services."""
    ic.write_csv(old(), tmp_path / "s.csv", tmp_path / "e.csv")

    def crash(folder: Path) -> None:
        real = os.replace
        calls = [0]

        def replace(src: str | Path, dst: str | Path) -> None:
            calls[0] += 1
            if calls[0] == 2:
                os._exit(3)  # power cut: no rollback, no clean-up
            real(src, dst)

        os.replace = replace  # type: ignore[assignment]
        ic.write_csv(new(), folder / "s.csv", folder / "e.csv")

    outcome = run_case(Case("crash", crash, SystemExit, ()), tmp_path)
    assert outcome.kind == "died"
    for leftover in tmp_path.glob(".*"):  # what a crash leaves: the temporary file, a link
        leftover.unlink()
    with pytest.raises(ReadError, match="were not written together"):
        ic.read_csv(tmp_path / "s.csv", tmp_path / "e.csv")


def test_writes_keep_the_permissions_of_the_file_they_replace(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    ic.write_json(old(), path)
    path.chmod(0o640)
    ic.write_json(new(), path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.json"]


def test_a_symbolic_link_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "o.json"
    ic.write_json(old(), target)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    ic.write_json(new(), link)
    assert link.is_symlink() and list(ic.read_json(target)) == list(new())


def test_streams_are_written_as_text_or_bytes() -> None:
    text, binary = io.StringIO(), io.BytesIO()
    ic.write_json(old(), text)
    ic.write_json(old(), binary)
    assert binary.getvalue().decode("utf-8") == text.getvalue()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    import stat

    fifo = tmp_path / "o.json"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that opening to write does not wait
    try:
        ic.write_json(old(), fifo)
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    expected = io.StringIO()
    ic.write_json(old(), expected)
    assert received.decode("utf-8") == expected.getvalue()
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.json"]
