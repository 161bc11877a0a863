"""Text for a terminal: names and values from the user's data, printed so that they
cannot drive it.

A name in an organisation file may hold an ESC sequence (which can clear the
screen, retitle the window or write the clipboard), a carriage return that
overprints a line, a C1 control, DEL, a bidirectional override (U+202E)
that shows text backwards, or a lone surrogate that no terminal encoding
accepts. Every text output path of the command goes through `escape`:
tables and summaries (`shown`, `echo`), error messages and warnings; JSON
goes through `json_text`, which writes the same characters as ``\\u``
escapes (four hex digits), so it stays exactly the JSON of the result.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from typing import Any, TextIO

__all__ = [
    "NAME_LIMIT",
    "echo",
    "emit_json",
    "escape",
    "json_text",
    "shown",
    "tolerate_unencodable",
]

#: Characters longer names are cut to in tables and summaries (JSON keeps them whole).
NAME_LIMIT = 200
#: Unicode categories of characters that a terminal may act on rather than show:
#: controls, format characters (bidirectional marks and overrides, invisible tags),
#: surrogates, and the line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Format characters kept as they are: the zero-width (non-)joiners that shape
#: Persian, Indic and emoji text.
_KEPT = frozenset("\u200c\u200d")


def _unsafe(ch: str) -> bool:
    return (
        not ch.isprintable() and ch not in _KEPT and unicodedata.category(ch) in _UNSAFE_CATEGORIES
    )


#: The short escapes Python's repr uses.
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _python_escape(ch: str) -> str:
    code = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON spells characters beyond U+FFFF
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _replace(text: str, spell: Any) -> str:
    if text.isprintable():  # the common case, at C speed
        return text
    return "".join(spell(ch) if _unsafe(ch) else ch for ch in text)


def escape(text: str) -> str:
    """`text` with every character a terminal could act on written as a Python escape.

    Controls (C0, DEL, C1: ``\\x1b``, ``\\r``, ``\\n``, ``\\x9b``), format
    characters such as the bidirectional override ``\\u202e``, surrogates
    and the line separators are escaped; letters of every script, spaces,
    emoji and the zero-width joiners are kept.

    Examples
    --------
    >>> escape("a\\x1b[2Jb")
    'a\\\\x1b[2Jb'
    >>> print(escape("evil\\u202egnp.exe"), escape("x\\ry"), escape("Zoë → Ünal"))
    evil\\u202egnp.exe x\\ry Zoë → Ünal
    """
    return _replace(text, _python_escape)


def shown(value: object, *, limit: int = NAME_LIMIT) -> str:
    """A name or value from the user's data, as text for a table or a summary line.

    The text of `value`, escaped (`escape`) and cut to `limit` characters,
    the cut marked with the number of characters left out.

    Examples
    --------
    >>> shown("IT\\x07"), shown(7)
    ('IT\\\\x07', '7')
    >>> shown("n" * 1000, limit=12)
    'nnnnnnnnnnnn… (+988 characters)'
    """
    text = escape(str(value))
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (+{len(text) - limit} characters)"


def echo(*lines: str, file: TextIO | None = None) -> None:
    """Print each of `lines` on a line of its own, escaped (`escape`).

    Each argument is one line: a newline inside it (from a name) is shown
    as ``\\n`` rather than starting a line the data would have forged.
    Nothing is printed when the stream is closed (None).

    Examples
    --------
    >>> echo("critical path: a → b\\x1b]0;owned\\x07", "done")
    critical path: a → b\\x1b]0;owned\\x07
    done
    """
    stream = sys.stdout if file is None else file
    if stream is not None:
        stream.write("".join(f"{escape(line)}\n" for line in lines))


def json_text(data: Any) -> str:
    """`data`, a result's ``to_dict()``, as indented strict JSON safe for a terminal.

    The JSON of `data` exactly (``json.loads`` gives `data` back); the
    characters `escape` would escape are written as ``\\u`` escapes (four
    hex digits) rather than raw, which JSON allows inside strings and which every terminal
    shows as text.

    Examples
    --------
    >>> print(json_text({"a\\u202eb": [1.5, "\\x1b[2J", "Zoë"]}))
    {
      "a\\u202eb": [
        1.5,
        "\\u001b[2J",
        "Zoë"
      ]
    }
    """
    text = json.dumps(data, indent=2, ensure_ascii=not _utf(sys.stdout), allow_nan=False)
    # json.dumps writes every newline inside a string as \n: a raw one is layout
    return "\n".join(_replace(line, _json_escape) for line in text.split("\n"))


def _utf(stream: TextIO | None) -> bool:
    """Whether `stream` takes every character (else JSON is written in ASCII).

    A stream without an encoding (a `io.StringIO`) holds text, not bytes.
    """
    encoding = getattr(stream, "encoding", None)
    try:
        "\U0010fffd".encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def emit_json(data: Any) -> None:
    """Print `data`, a result's ``to_dict()``, as indented strict JSON.

    A ``to_dict()`` is strict JSON already and prints exactly; anything else
    is first written in the same encoding (`intcust.results.json_ready`).
    """
    from intcust.results import json_ready

    if sys.stdout is not None:
        sys.stdout.write(json_text(json_ready(data)) + "\n")


def tolerate_unencodable() -> None:
    """Let standard output and error write a character their encoding lacks as an escape
    (a Latin-1 terminal shows ``→`` as ``\\u2192``) rather than fail."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not _utf(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
