"""Text for a terminal: every character a terminal could act on is escaped, nothing else is,
and JSON stays the exact JSON of the data."""

from __future__ import annotations

import io
import json
import re
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from intcust.cli import _terminal
from intcust.cli._terminal import NAME_LIMIT, echo, escape, json_text, shown

#: An oracle written apart from the code under test: C0 controls, DEL, C1 controls, the
#: bidirectional marks, embeddings, overrides and isolates, the line and paragraph
#: separators, and surrogates.
RAW = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
HOSTILE = [
    "\x1b[2J",  # clear the screen
    "\x1b]0;owned\x07",  # retitle the window
    "\x1b]52;c;b3duZWQ=\x07",  # write the clipboard
    "\x9b31m",  # C1 CSI
    "\x7f",
    "a\rb",
    "a\nb",
    "a\tb",
    "evil\u202egnp.exe",
    "\u2066isolated\u2069",
    "\u2028",
    "\ud800",
    "\U000e0041",  # an invisible tag character
]
#: Text a terminal shows as it is.
KEPT = ["Zoë Ünal", "山田 太郎", "محمد", "👩\u200d💻", "نامه\u200cها", "a\u00a0b", "x → y"]

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)


@pytest.mark.parametrize("text", HOSTILE)
def test_what_a_terminal_would_act_on_is_escaped(text: str) -> None:
    shown_text = escape(text)
    assert RAW.search(shown_text) is None
    assert shown_text != text and "\\" in shown_text


@pytest.mark.parametrize("text", KEPT)
def test_letters_of_every_script_emoji_and_joiners_are_kept(text: str) -> None:
    assert escape(text) == text


def test_escapes_are_read_like_python_escapes() -> None:
    assert escape("a\x1b[2J\r\u202e\U000e0041") == "a\\x1b[2J\\r\\u202e\\U000e0041"


@given(any_text)
def test_escaped_text_holds_nothing_raw_and_escapes_once(text: str) -> None:
    once = escape(text)
    assert RAW.search(once) is None
    assert escape(once) == once
    kept = [c for c in text if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Zl", "Zp"}]
    assert all(c in once for c in kept)


@given(any_text)
def test_json_is_exact_and_safe(text: str) -> None:
    # JSON reads a high surrogate escape followed by a low one as one character
    assume(re.search("[\ud800-\udbff][\udc00-\udfff]", text) is None)
    data = {text: [text, 1.5, None]}
    written = json_text(data)
    assert json.loads(written) == data
    assert RAW.search(written.replace("\n", "")) is None


def test_json_spells_characters_beyond_the_basic_plane_as_surrogate_pairs() -> None:
    written = json_text(["\U000e0041"])
    assert "\\udb40\\udc41" in written and json.loads(written) == ["\U000e0041"]


def test_long_names_are_cut_with_what_was_left_out() -> None:
    name = "N" * 100_000
    assert shown(name) == "N" * NAME_LIMIT + f"… (+{100_000 - NAME_LIMIT} characters)"
    assert shown("x" * NAME_LIMIT) == "x" * NAME_LIMIT
    assert shown("\x1b" * 100, limit=10) == "\\x1b\\x1b\\x… (+390 characters)"  # escaped, then cut


def test_each_echoed_argument_is_one_line() -> None:
    out = io.StringIO()
    echo("name: a\nforged line", "next", file=out)
    assert out.getvalue() == "name: a\\nforged line\nnext\n"


def test_a_closed_stream_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", None)
    echo("nothing")
    _terminal.emit_json({"a": 1})


class _Latin1(io.TextIOWrapper):
    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="latin-1")


def test_json_is_ascii_where_the_stream_cannot_encode_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = _Latin1()
    monkeypatch.setattr("sys.stdout", stream)
    _terminal.emit_json({"x → y": "👩\u200d💻"})
    stream.flush()
    written = stream.buffer.getvalue().decode("latin-1")  # type: ignore[attr-defined]
    assert written.isascii() and json.loads(written) == {"x → y": "👩\u200d💻"}


def test_text_falls_back_to_escapes_where_the_stream_cannot_encode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = _Latin1()
    monkeypatch.setattr("sys.stdout", stream)
    monkeypatch.setattr("sys.stderr", None)
    _terminal.tolerate_unencodable()
    echo("a → b")
    stream.flush()
    assert stream.buffer.getvalue() == b"a \\u2192 b\n"  # type: ignore[attr-defined]
