"""The manifest a writer puts in its files, and the checks a reader makes with it.

Formats whose files stay readable when cut at a line boundary (the CSV pair,
YAML) carry a small manifest: how many stakeholders and services the writer
wrote, an id of the pair of CSV files (a hash of both, so that writing the
same organisation twice gives the same bytes), and how names are written
when they are not plain text. A reader checks what the manifest says when
it is present; hand-written files without one are read as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intcust.errors import ReadError, quote

__all__ = ["Manifest", "check_pair", "manifest_of"]

_KEY = "manifest"


@dataclass(frozen=True)
class Manifest:
    """What a writer says about its file: row counts, pair id, how names are written."""

    stakeholders: int | None = None
    services: int | None = None
    pair: str | None = None
    names: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The mapping written in the file, without the fields left unset."""
        return {k: v for k, v in vars(self).items() if v is not None}


def manifest_of(
    meta: dict[str, Any], where: str, names: tuple[str, ...] = ("json",)
) -> Manifest | None:
    """Take the ``manifest`` out of a file's header mapping `meta` and check its fields.

    Parameters
    ----------
    meta : dict
        The header mapping (graph attributes and format keys); the manifest
        is removed from it.
    where : str
        The place of the header, for messages.
    names : tuple of str, optional
        The values the format allows for ``names``.

    Raises
    ------
    ReadError
        If the manifest is not a mapping or a field has the wrong type.

    Examples
    --------
    >>> meta = {"name": "Acme", "manifest": {"stakeholders": 3, "services": 2}}
    >>> manifest_of(meta, "stakeholders.csv, line 1"), meta
    (Manifest(stakeholders=3, services=2, pair=None, names=None), {'name': 'Acme'})
    """
    if _KEY not in meta:
        return None
    data = meta.pop(_KEY)
    if not isinstance(data, Mapping):
        raise ReadError(f"{where}: 'manifest' must be a mapping; got {quote(data)}")
    fields: dict[str, Any] = {}
    for key in ("stakeholders", "services"):
        value = data.get(key)
        if value is not None and (type(value) is not int or value < 0):
            raise ReadError(
                f"{where}: the manifest's {key!r} must be a count (an int >= 0); got {quote(value)}"
            )
        fields[key] = value
    pair = data.get("pair")
    if pair is not None and not isinstance(pair, str):
        raise ReadError(f"{where}: the manifest's 'pair' must be a str; got {quote(pair)}")
    form = data.get("names")
    if form is not None and form not in names:
        raise ReadError(
            f"{where}: the manifest's 'names' must be one of {list(names)}; got {quote(form)}"
        )
    return Manifest(pair=pair, names=form, **fields)


def check_pair(first: str, a: Manifest | None, second: str, b: Manifest | None) -> str | None:
    """Refuse two files that were not written together; return how names are written.

    Raises
    ------
    ReadError
        If one file has a pair id and the other none or another one: the
        files come from two writes (an interrupted write, or two organisations).
    """
    ids = (a.pair if a else None, b.pair if b else None)
    if ids[0] != ids[1]:
        if None in ids:
            lone, other = (first, second) if ids[0] else (second, first)
            detail = (
                f"{lone} has a manifest (line 1) that pairs it with a file, and {other} has none"
            )
        else:
            detail = f"their manifests (line 1) name two different pairs ({ids[0]} and {ids[1]})"
        raise ReadError(
            f"{first} and {second} were not written together: {detail}. A write was "
            "interrupted, or the files come from two organisations; write them again (or "
            "delete line 1 of both to read them as they are)"
        )
    forms = {m.names for m in (a, b) if m is not None}
    if len(forms) > 1:
        raise ReadError(
            f"{first} and {second} disagree on how names are written: {sorted(map(str, forms))}"
        )
    return next(iter(forms)) if forms else None
