"""The package surface: light import, curated and sorted __all__, version."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any

import pytest

import intcust as ic

PACKAGES = [
    "intcust",
    "intcust.graph",
    "intcust.sim",
    "intcust.metrics",
    "intcust.datasets",
    "intcust.errors",
    "intcust.results",
]


def test_import_is_light():
    code = (
        "import intcust, sys; heavy = {'matplotlib', 'pandas', 'dask', 'yaml', 'numba'} "
        "& set(sys.modules); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_complete(name):
    module = importlib.import_module(name)
    names = module.__all__
    assert list(names) == sorted(
        names, key=lambda s: (not s.isupper(), not s[0].isupper(), s)
    ) or list(names) == sorted(names)
    assert len(set(names)) == len(names)
    for attr in names:
        assert hasattr(module, attr), f"{name}.{attr} is in __all__ but missing"
    is_package = hasattr(module, "__path__")
    public = {
        a
        for a, v in vars(module).items()
        if not a.startswith("_")
        and callable(v)
        and (
            getattr(v, "__module__", "") == name
            or (is_package and getattr(v, "__module__", "").startswith("intcust"))
        )
    }
    assert public <= set(names), f"{name} exposes {public - set(names)} outside __all__"


def test_version_single_source():
    from importlib.metadata import version

    assert ic.__version__ == version("intcust")


@pytest.mark.parametrize("module", [ic, ic.graph])
def test_generate_org_has_one_public_name_and_the_old_ones_warn(module: Any) -> None:
    assert "generate_org" not in module.__all__
    with pytest.warns(DeprecationWarning, match="datasets.generate_org") as seen:
        old = module.generate_org
    assert seen[0].filename == __file__
    assert old is ic.datasets.generate_org
