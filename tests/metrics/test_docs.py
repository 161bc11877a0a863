"""What ``docs/guide/metrics.md`` claims about the metrics is what they do."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import intcust as ic
from intcust.errors import ParameterError

GUIDE = Path(__file__).parents[2] / "docs" / "guide" / "metrics.md"


def defaults_table() -> dict[str, tuple[str, str, str]]:
    """function -> (weight, ties, level) cells of the "Defaults at a glance" table."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Defaults at a glance", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`(\w+)`", cells[0]) if len(cells) == 4 else None
        if match:
            rows[match.group(1)] = (cells[1], cells[2], cells[3])
    return rows


TABLE = defaults_table()


def _default(func: Any, name: str) -> Any:
    params = inspect.signature(func).parameters
    return params[name].default if name in params else inspect.Parameter.empty


def test_the_table_lists_every_metric_of_one_organisation() -> None:
    functions = {
        n
        for n in ic.metrics.__all__
        if inspect.isfunction(getattr(ic.metrics, n)) and n not in ("compare", "read_survey")
    }
    assert set(TABLE) == functions


@pytest.mark.parametrize("name", sorted(TABLE))
def test_weight_and_ties_defaults(name: str) -> None:
    func = getattr(ic.metrics, name)
    weight, ties, _ = TABLE[name]
    quoted = re.fullmatch(r'`"(\w+)"`', weight)
    value = re.match(r'`value="(\w+)"`', weight)
    if quoted:
        assert _default(func, "weight") == quoted.group(1)
    elif value:
        assert _default(func, "value") == value.group(1)
    elif weight.startswith("`None`"):
        assert _default(func, "weight") is None
    elif weight == "unweighted" or not weight:
        assert _default(func, "weight") is inspect.Parameter.empty
    quoted = re.fullmatch(r'`"(\w+)"`', ties)
    if quoted:
        assert _default(func, "ties") == quoted.group(1)
    else:
        assert _default(func, "ties") is inspect.Parameter.empty


@pytest.mark.parametrize("name", sorted(TABLE))
def test_unit_level_claims(name: str) -> None:
    func = getattr(ic.metrics, name)
    G = ic.datasets.email_campaign()
    args = {"breakdown_points": ("customers",), "key_players": (1,)}.get(name, ())
    if TABLE[name][2] == "yes":
        func(G, *args, level="unit")
    else:
        with pytest.raises(ParameterError, match=f"'level' parameter of {name} must be"):
            func(G, *args, level="unit")


def test_external_reach_columns_are_named_as_documented() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Who serves whom", 1)[1]
    row = next(line for line in section.splitlines() if line.startswith("| `external_reach`"))
    named = re.findall(r"`(\w+)`", row.split("|")[2])
    assert tuple(named) == ic.metrics.external_reach(ic.datasets.company()).columns
