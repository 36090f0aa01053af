"""Half an emoji (an unpaired surrogate) on its way out: shown as U+FFFD, kept in JSON."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from claimwatch.display import displayable, json_text, unpaired

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
