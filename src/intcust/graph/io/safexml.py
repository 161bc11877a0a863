"""An expat parser that refuses document type declarations and entities.

A document type declaration (DTD) is the only place XML declares entities,
and entities are how a few hundred bytes expand into gigabytes ("billion
laughs") or pull in local files and URLs (external entities). GraphML and XES
need neither, so, as defusedxml does, the parser raises a `ReadError` the
moment it meets a DTD, an entity declaration or an external reference,
wherever it is in the file: the parser itself refuses them, not a scan of
the first bytes.
"""

from __future__ import annotations

from typing import Any, NoReturn
from xml.parsers import expat

from intcust.errors import ReadError

__all__ = ["safe_parser"]


def safe_parser(name: str) -> Any:
    """A namespace-aware expat parser (separator ``" "``) that refuses DTDs and entities.

    Parameters
    ----------
    name : str
        The file's name, for messages.

    Examples
    --------
    >>> p = safe_parser("evil.xml")
    >>> p.Parse(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', True)
    Traceback (most recent call last):
    ...
    intcust.errors.ReadError: evil.xml, line 1: XML document type declarations (DTDs) and entities are refused: they can expand a small file into gigabytes or read other files; this file declares the document type 'x'
    """
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(what: str) -> NoReturn:
        raise ReadError(
            f"{name}, line {parser.CurrentLineNumber}: XML document type declarations (DTDs) "
            "and entities are refused: they can expand a small file into gigabytes or read "
            f"other files; this file {what}"
        )

    def doctype(doctype_name: str, *_: Any) -> None:
        refuse(f"declares the document type {doctype_name[:40]!r}")

    def entity(entity_name: str, *_: Any) -> None:
        refuse(f"declares the entity {entity_name[:40]!r}")

    def external(*_: Any) -> int:
        refuse("refers to an external entity")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser
