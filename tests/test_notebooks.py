"""The tutorial notebooks: stored without outputs, and the data-dependent one skips cleanly.

Running every notebook top to bottom is ``pytest --nbmake notebooks``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")


def test_at_least_four_tutorials() -> None:
    names = [p.name for p in PATHS]
    assert len(names) >= 4, names
    for prefix in ("01_", "02_", "03_", "04_"):
        assert any(n.startswith(prefix) for n in names), names


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and nb.cells[0].cell_type == "markdown"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_each_tutorial_shows_the_map_and_a_result_drawing_itself(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert re.search(r"\bexplore\(", code), "no interactive map (explore)"
    assert re.search(r"\.plot\(", code), "no result drawn with .plot()"


def test_krackhardt_notebook_without_the_data(tmp_path: Path) -> None:
    """Placed where ``../../shared/data`` does not exist, it says so and raises nothing."""
    pytest.importorskip("nbclient", reason="nbclient is not installed")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed")
    from nbclient import NotebookClient

    folder = tmp_path / "project" / "notebooks"
    folder.mkdir(parents=True)
    path = folder / "03_krackhardt_ona.ipynb"
    shutil.copy(NOTEBOOKS / path.name, path)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    streams = [
        o["text"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o["output_type"] == "stream" and o["name"] == "stdout"
    ]
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o["output_type"] == "error"
    ]
    assert errors == []
    assert streams == [
        f"The Krackhardt data is not at "
        f"{tmp_path / 'shared' / 'data' / 'orgnets'}; the cells below do nothing.\n"
    ]
