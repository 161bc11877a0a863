"""How every run of ``intcust`` ends: exit codes, one-line messages, JSON error objects, no
traceback; in process through `main`, and through the real entry point in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import intcust as ic
from _hostile_cli import CLI_CASES, CYCLE, HOSTILE
from intcust.cli import COMMANDS, DEBUG_VARIABLE, EXIT_CODES, build_parser, main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ["info", "--example", "email_campaign"]


def _break_info(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def fail(*_: Any) -> None:
        raise error

    monkeypatch.setattr("intcust.cli.info.counts", fail)


# ---- in process ------------------------------------------------------------------------------


def test_an_internal_error_is_one_line_naming_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(DEBUG_VARIABLE, raising=False)
    _break_info(monkeypatch, ZeroDivisionError("division by zero"))
    assert main(EXAMPLE) == 70
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("intcust info: internal error: ZeroDivisionError: division by zero.")
    assert "please report it" in err and "--debug" in err and DEBUG_VARIABLE in err


def test_an_internal_error_in_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _break_info(monkeypatch, KeyError("x"))
    assert main([*EXAMPLE, "--json"]) == 70
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "InternalError" and error["exit_code"] == 70
    assert error["message"].startswith("KeyError: 'x'. This is a bug in intcust")


@pytest.mark.parametrize(
    ("argv", "variable", "traceback"),
    [
        ([*EXAMPLE, "--debug"], None, True),
        (["--debug", *EXAMPLE], None, True),
        (EXAMPLE, "1", True),
        (EXAMPLE, "0", False),
        (EXAMPLE, "", False),
    ],
)
def test_the_traceback_only_when_asked(
    argv: list[str],
    variable: str | None,
    traceback: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if variable is None:
        monkeypatch.delenv(DEBUG_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(DEBUG_VARIABLE, variable)
    _break_info(monkeypatch, ZeroDivisionError("division by zero"))
    assert main(argv) == 70
    err = capsys.readouterr().err
    assert ("Traceback (most recent call last)" in err) is traceback
    assert err.splitlines()[-1].startswith("intcust info: internal error: ZeroDivisionError")


def test_ctrl_c_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _break_info(monkeypatch, KeyboardInterrupt())
    assert main([*EXAMPLE, "--json"]) == 130
    assert capsys.readouterr() == ("", "")


def test_a_closed_pipe_exits_141_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _break_info(monkeypatch, BrokenPipeError(32, "Broken pipe"))
    assert main(EXAMPLE) == 141
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (ModuleNotFoundError("no", name="matplotlib.pyplot"), 2, "pip install 'intcust[plot]'"),
        (ModuleNotFoundError("no", name="yaml"), 2, "pip install 'intcust[yaml]'"),
        (ModuleNotFoundError("no", name="secret_sauce"), 70, "internal error"),
        (
            PermissionError(13, "Permission denied", "r.html"),
            2,
            "error: r.html: Permission denied",
        ),
        (IsADirectoryError(21, "Is a directory", "out"), 2, "error: out: Is a directory"),
        (ic.errors.WriteError("r.html: cannot be written: disk full"), 2, "disk full"),
        (ic.errors.UnknownNodeError("The 'x' option must name a node"), 2, "must name a node"),
        (ic.errors.SchemaError(["a", "b"]), 1, "error: 2 problems in the organisation:"),
        (RecursionError("deep"), 70, "RecursionError: deep"),
        (MemoryError(), 70, "MemoryError"),
    ],
)
def test_each_kind_of_error_has_its_code(
    error: Exception,
    code: int,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _break_info(monkeypatch, error)
    assert main([*EXAMPLE, "--json"]) == code
    out, err = capsys.readouterr()
    assert message in err and "Traceback" not in err
    data = json.loads(out)["error"]
    assert data["exit_code"] == code
    assert data["type"] == ("InternalError" if code == 70 else type(error).__name__)


def test_a_schema_error_lists_its_problems_and_cycle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.json").write_text(CYCLE)
    assert main(["metrics", str(tmp_path / "c.json"), "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "CycleError" and error["cycle"] == ["a", "b"]
    assert len(error["problems"]) == 1 and "'a' -> 'b' -> 'a'" in error["problems"][0]


def test_a_usage_error_prints_the_usage_then_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*EXAMPLE, "--colour", "--json"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("usage: intcust info")
    assert err.splitlines()[-1] == "intcust info: error: unrecognized arguments: --colour"
    assert json.loads(out) == {
        "error": {
            "type": "UsageError",
            "message": "unrecognized arguments: --colour",
            "exit_code": 2,
        }
    }


def test_warnings_are_one_line_each_and_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from intcust.cli import info

    counts = info.counts

    def noisy(G: Any) -> dict[str, Any]:
        for _ in range(3):
            warnings.warn("Glyph 27 (\x1b) missing from font(s)", UserWarning, stacklevel=1)
        return counts(G)

    monkeypatch.setattr(info, "counts", noisy)
    assert main(EXAMPLE) == 0
    err = capsys.readouterr().err
    assert err == "intcust info: warning: Glyph 27 (\\x1b) missing from font(s)\n"


def test_help_and_version_return_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    help_text = capsys.readouterr().out
    for code in EXIT_CODES:
        assert f"\n  {code:<4} " in help_text
    assert DEBUG_VARIABLE in help_text and '{"error": {"type"' in help_text


def test_help_lists_every_command_and_each_has_debug_and_exit_codes() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert list(commands) == list(COMMANDS)
    for command in commands.values():
        assert "--debug" in command.format_help()
        assert "70 internal error" in command.format_help()


def test_top_0_never_claims_there_is_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bottlenecks", "--example", "company", "--top", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "no bottleneck found" not in err
    assert "argument --top: must be an int from 1 to 1,000,000; got '0'" in err


def test_every_command_has_rows_in_the_hostile_table() -> None:
    ids = [case.id for case in CLI_CASES]
    assert len(ids) >= 40
    for command in COMMANDS:
        mine = [i for i in ids if i.startswith(f"cli {command} ")]
        assert len(mine) >= 2, command
        if command != "demo":
            assert any("missing" in i or "bad" in i for i in mine), command
        if command not in ("demo", "mine", "tickets"):
            assert any(w in i for i in mine for w in ("cycle", "invalid")), command
            assert any("hostile" in i for i in mine), command


def test_docs_list_every_exit_code_and_command() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"\n| {code} |" in page
    for command in COMMANDS:
        assert f"| `{command}` |" in page
    assert DEBUG_VARIABLE in page
    assert "\ncli\n" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")


# ---- through the real entry point ------------------------------------------------------------


def _intcust(
    *argv: str, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "intcust.cli", *argv],
        capture_output=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
        **kw,
    )


def _python(script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`script` run by a fresh interpreter, as `intcust` itself would run."""
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_a_closed_stdout_exits_quietly() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "intcust.cli", "metrics", "--example", "company"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader goes away before the first line, as `| head -0` does
    err = child.stderr.read()
    assert child.wait(timeout=300) == 141
    assert err == b""


def test_ctrl_c_through_the_real_signal() -> None:
    script = (
        "import os, signal, sys\n"
        "import intcust.cli.info as info\n"
        "def interrupted(G):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    raise AssertionError('the signal did not interrupt')\n"
        "info.counts = interrupted\n"
        "from intcust.cli import main\n"
        "sys.exit(main(['info', '--example', 'email_campaign']))\n"
    )
    done = _python(script)
    assert done.returncode == 130 == 128 + signal.SIGINT
    assert done.stdout == b"" and done.stderr == b""


@pytest.mark.parametrize(("variable", "traceback"), [("", False), ("1", True)])
def test_an_internal_error_through_the_real_entry_point(variable: str, traceback: bool) -> None:
    script = (
        "import sys\n"
        "import intcust.cli.info as info\n"
        "info.counts = lambda G: 1 / 0\n"
        "from intcust.cli import main\n"
        "sys.exit(main(['info', '--example', 'email_campaign']))\n"
    )
    done = _python(script, env={DEBUG_VARIABLE: variable})
    assert done.returncode == 70
    err = done.stderr.decode()
    assert (b"Traceback" in done.stderr) is traceback
    assert err.splitlines()[-1].startswith("intcust info: internal error: ZeroDivisionError")


def test_an_invalid_organisation_exits_1_with_a_json_error(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text(CYCLE)
    done = _intcust("simulate", str(tmp_path / "c.json"), "--json")
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert json.loads(done.stdout)["error"]["type"] == "CycleError"


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    done = _intcust("bottlenecks", str(tmp_path / "nowhere.json"))
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().startswith("intcust bottlenecks: error: ")
    assert "nowhere.json" in done.stderr.decode()


def test_hostile_names_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    (tmp_path / "h.json").write_text(HOSTILE, encoding="utf-8")
    for argv in (["bottlenecks"], ["simulate"], ["simulate", "--json"], ["metrics"]):
        done = _intcust(argv[0], str(tmp_path / "h.json"), *argv[1:])
        assert done.returncode == 0, done.stderr
        for raw in (b"\x1b", b"\r", b"\x07", "\u202e".encode()):
            assert raw not in done.stdout + done.stderr, (argv, raw)


def test_an_encoding_without_arrows_neither_fails_nor_breaks_json() -> None:
    latin = {"PYTHONIOENCODING": "latin-1"}
    done = _intcust("simulate", "--example", "email_campaign", env=latin)
    assert done.returncode == 0, done.stderr
    assert b"critical path: designer \\u2192 sender" in done.stdout
    done = _intcust("demo", "--example", "hotel", "--monte-carlo", "64", "--json", env=latin)
    assert done.returncode == 0 and done.stdout.isascii()
    assert json.loads(done.stdout)["organisation"]["name"]
