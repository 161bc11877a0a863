"""``intcust report``: writes the HTML report from a file or a bundled example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

import intcust as ic
from intcust.cli import COMMANDS, main
from intcust.report import SECTIONS

matplotlib.use("Agg")


def sections(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [s for s in SECTIONS if f'<section id="{s}">' in text]


def test_registered() -> None:
    assert "report" in COMMANDS


def test_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    code = main(
        [
            "report",
            "--example",
            "email_campaign",
            "-o",
            str(out),
            "--monte-carlo",
            "150",
            "--seed",
            "7",
            "--title",
            "Spring <campaign>",
        ]
    )
    assert code == 0
    assert sections(out) == list(SECTIONS)
    text = out.read_text(encoding="utf-8")
    assert "150 scenarios, seed 7" in text
    assert text.count('class="intcust-map"') == 1  # the interactive map
    assert text.count('class="map-fallback"') == 1  # and its drawing, for print
    assert "<title>Spring &lt;campaign&gt;</title>" in text
    assert f"wrote {out}" in capsys.readouterr().err


def test_file(tmp_path: Path) -> None:
    src = tmp_path / "hotel.json"
    ic.write_json(ic.datasets.hotel(), src)
    out = tmp_path / "hotel.html"
    assert main(["report", str(src), "-o", str(out), "--monte-carlo", "100"]) == 0
    assert sections(out) == list(SECTIONS)
    assert "Hotel" in out.read_text(encoding="utf-8")


def test_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--example", "hotel", "-o", str(out), "--monte-carlo", "0"]) == 2
    assert "argument --monte-carlo: must be an int from 1" in capsys.readouterr().err
    assert not out.exists()
    assert main(["report", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert "missing.json" in capsys.readouterr().err
    assert main(["report", "--example", "hotel"]) == 2  # no -o
    assert "the following arguments are required: -o/--output" in capsys.readouterr().err
    assert main(["report", str(out), "--example", "hotel", "-o", str(out)]) == 2
    assert "not allowed with argument FILE" in capsys.readouterr().err


def test_console_script(tmp_path: Path) -> None:
    out = tmp_path / "company.html"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "intcust.cli",
            "report",
            "--example",
            "company",
            "-o",
            str(out),
            "--monte-carlo",
            "200",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert sections(out) == list(SECTIONS)
