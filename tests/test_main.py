"""``python -m intcust`` runs the ``intcust`` command: same output, same exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import intcust as ic
from intcust import __version__

#: The console script pip installed beside this interpreter, as a user runs it.
SCRIPT = Path(sysconfig.get_path("scripts")) / "intcust"


def _run(entry: list[str], *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*entry, *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("main")
    ic.write_json(ic.datasets.email_campaign(), path / "o.json")
    (path / "c.json").write_text(
        '{"directed": true, "graph": {}, "nodes": [{"id": "a"}, {"id": "b"}], '
        '"edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}]}'
    )
    return path


def test_python_m_intcust_prints_the_version(folder: Path) -> None:
    done = _run([sys.executable, "-m", "intcust"], "--version", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"intcust {__version__}"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["info", "o.json"], 0),
        (["validate", "c.json"], 1),  # a blocking cycle: the organisation is invalid
        (["info", "nowhere.json"], 2),  # a missing file
        (["info", "o.json", "--colour"], 2),  # a bad option
        ([], 2),  # no command
    ],
)
def test_python_m_intcust_is_the_console_script(folder: Path, argv: list[str], code: int) -> None:
    module = _run([sys.executable, "-m", "intcust"], *argv, cwd=folder)
    assert module.returncode == code, module.stderr
    assert "Traceback" not in module.stderr
    if SCRIPT.exists():  # an installed checkout: the same run through the console script
        script = _run([str(SCRIPT)], *argv, cwd=folder)
        assert (script.returncode, script.stdout, script.stderr) == (
            module.returncode,
            module.stdout,
            module.stderr,
        )
