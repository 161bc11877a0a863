"""`read` and `write`: pick the format from the path."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import networkx as nx

from intcust.errors import ParameterError, ReadError, WriteError, quote
from intcust.graph.io.csv import read_csv, write_csv
from intcust.graph.io.files import path_argument
from intcust.graph.io.graphml import read_graphml, write_graphml
from intcust.graph.io.json import read_json, write_json
from intcust.graph.io.yaml import read_yaml, write_yaml

__all__ = ["read", "write"]

_READERS = {
    ".json": read_json,
    ".graphml": read_graphml,
    ".yaml": read_yaml,
    ".yml": read_yaml,
}
_WRITERS = {
    ".json": write_json,
    ".graphml": write_graphml,
    ".yaml": write_yaml,
    ".yml": write_yaml,
}
_PAIR = ("stakeholders.csv", "services.csv")
_FORMATS = (
    ".json, .graphml, .yaml, .yml or .sm (PSPLIB), or a folder with stakeholders.csv "
    "and services.csv"
)


def read(path: str | os.PathLike[str]) -> nx.DiGraph:
    """Read an organisation, choosing the reader by the path.

    Parameters
    ----------
    path : str or path-like
        ``*.json`` (`read_json`), ``*.graphml`` (`read_graphml`),
        ``*.yaml``/``*.yml`` (`read_yaml`), ``*.sm`` (a PSPLIB project,
        `intcust.graph.io.psplib.read_psplib`), or a folder holding
        ``stakeholders.csv`` and ``services.csv`` (`read_csv`; naming either
        file of the pair works too).

    Returns
    -------
    networkx.DiGraph
        The organisation, validated.

    Raises
    ------
    ParameterError
        If the suffix names no known format.
    ReadError
        If the file or folder cannot be read (see each reader).
    SchemaError
        If the organisation breaks the schema.

    Examples
    --------
    >>> import pathlib, tempfile, intcust as ic
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ic.write(ic.datasets.email_campaign(), pathlib.Path(tmp) / "org")
    ...     G = ic.read(pathlib.Path(tmp) / "org")
    >>> G.number_of_nodes()
    5
    """
    p = Path(path_argument(path, "read"))
    if p.is_dir() or (p.suffix.lower() == ".csv" and p.name in _PAIR):
        folder = p if p.is_dir() else p.parent
        return read_csv(folder / _PAIR[0], folder / _PAIR[1])
    suffix = p.suffix.lower()
    if suffix == ".sm":
        psplib: Any = importlib.import_module("intcust.graph.io.psplib")
        G: nx.DiGraph = psplib.read_psplib(p)
        return G
    if suffix not in _READERS:
        if not p.exists():
            raise ReadError(f"{os.fspath(path)}: no such file or folder")
        raise ParameterError(
            f"The 'path' parameter of read must end in {_FORMATS}; got {quote(os.fspath(path))}."
        )
    return _READERS[suffix](p)


def write(G: nx.DiGraph, path: str | os.PathLike[str]) -> None:
    """Write an organisation, choosing the writer by the path.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation.
    path : str or path-like
        ``*.json``, ``*.graphml``, ``*.yaml``/``*.yml``, or a folder (an
        existing one, or a path without suffix, created as needed) that gets
        ``stakeholders.csv`` and ``services.csv``.

    Raises
    ------
    ParameterError
        If the suffix names no format intcust writes, or a value cannot be
        written.
    WriteError
        If a file or the folder cannot be written; previous files are left
        as they were.

    Examples
    --------
    >>> import pathlib, tempfile, intcust as ic
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ic.write(ic.datasets.email_campaign(), pathlib.Path(tmp) / "org.yaml")
    ...     print(ic.read(pathlib.Path(tmp) / "org.yaml").graph["name"])
    E-mail campaign
    """
    p = Path(path_argument(path, "write"))
    suffix = p.suffix.lower()
    if p.is_dir() or not suffix:
        try:
            p.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise WriteError(
                f"{os.fspath(path)}: cannot make the folder for stakeholders.csv and "
                f"services.csv: {err.strerror or err}"
            ) from err
        write_csv(G, p / _PAIR[0], p / _PAIR[1])
        return
    if suffix not in _WRITERS:
        raise ParameterError(
            "The 'path' parameter of write must end in .json, .graphml, .yaml or .yml, or "
            f"name a folder for stakeholders.csv and services.csv; got {quote(os.fspath(path))}."
        )
    _WRITERS[suffix](G, p)
