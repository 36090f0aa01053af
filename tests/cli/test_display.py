"""Text on its way out: half an emoji (an unpaired surrogate) shown as U+FFFD and kept in
JSON; bidi controls kept from reaching the words around the text."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from claimwatch.display import contained, displayable, isolated, json_text, unpaired

HALVES = st.text(st.one_of(st.sampled_from(["\ud83d", "\udd25", "a"]), st.characters()))


def test_a_lone_half_is_shown_as_a_replacement_mark_and_two_halves_as_the_emoji() -> None:
    assert displayable("hit \ud83d") == "hit \ufffd"
    assert displayable("\udd25\ud83d") == "\ufffd\ufffd"  # the wrong order is no emoji
    assert displayable("\ud83d\udd25 hit") == "🔥 hit"
    assert displayable("بيان 🔥") == "بيان 🔥"


@given(HALVES)
def test_displayable_text_can_always_be_written_as_utf8(text: str) -> None:
    shown = displayable(text)
    shown.encode("utf-8")  # raises on a surrogate
    assert not unpaired(shown) and (shown == text) == (not unpaired(text))


@given(HALVES)
def test_json_keeps_the_text_exactly_and_can_always_be_written_as_utf8(text: str) -> None:
    written = json_text({"text": text, text: [text]})
    written.encode("utf-8")
    read = json.loads(written)
    # as any JSON of `text` reads: two halves in a row are read as one emoji
    expected = json.loads(json.dumps(text))
    assert read == {"text": expected, expected: [expected]}


def test_non_ascii_text_stays_readable_in_json() -> None:
    assert json_text({"text": "بيان \ud83d"}) == '{"text": "بيان \\ud83d"}'


BIDI = st.text(
    st.sampled_from([*"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "a", "ب"])
)


def still_open(text: str, outer: int = 1) -> list[str]:
    """The embeddings and isolates open after `text` (UAX #9 X1-X8, without overflow),
    inside `outer` isolates opened around it."""
    stack = ["isolate"] * outer
    for char in text:
        if char in "\u202a\u202b\u202d\u202e":
            stack.append("embedding")
        elif char in "\u2066\u2067\u2068":
            stack.append("isolate")
        elif char == "\u202c" and len(stack) > outer and stack[-1] == "embedding":
            stack.pop()
        elif char == "\u2069" and "isolate" in stack:
            while stack.pop() != "isolate":
                pass
    return stack


@given(BIDI)
def test_contained_text_leaves_what_is_around_it_as_it_was(text: str) -> None:
    assert still_open(contained(text)) == ["isolate"]  # the isolation around it holds
    assert still_open(isolated(text), outer=0) == []
    assert contained(text).replace("\ufffd", "\u2069").startswith(text)  # shown as written


def test_contained_shows_a_stray_closing_isolate_and_closes_what_the_text_opens() -> None:
    assert contained("evil\u202eoc") == "evil\u202eoc\u202c"
    assert contained("x\u2069\u202ey") == "x\ufffd\u202ey\u202c"
    assert contained("\u2067ثبت\u2069 \u202eوكالة\u202c") == "\u2067ثبت\u2069 \u202eوكالة\u202c"
    assert contained("Kataib Hezbollah") == "Kataib Hezbollah"
