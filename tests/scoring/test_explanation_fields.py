"""Every name from a channel, a post, the gazetteer or an analyst in a factor's explanation
is a field of its own, so each display can isolate it: none is left among our words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import timedelta

from claimwatch.phrase import Field, Phrase, told
from scoring import decisions
from scoring.case import Appearance, ClaimCase, MediaCheck, OtherClaim, Signal, TrackRecord
from scoring.factors import corroboration, media, provenance, specificity, timing, track
from storage.claim_json import phrase_json, phrase_record
from storage.records import Alert, Target, Verdict, Weapon
from tests.scoring.cases import POSTED, SETTINGS, alerts_checked, case, claim, post

HANDLE = "قناة\u202e_x"  # a handle whose override would turn the sentence around
SOURCE = "صابرين نيوز"
PLACES = ("إيلات", "حيفا\u2069")  # a stray closing isolate would end the isolation
AREAS = ("אילת", "חיפה - מערב")
REVIEWER, NOTE = "زينب", "رأيته في الفيديو\u202e"
ERROR = "ملف مفقود"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def hostile_case() -> ClaimCase:
    targets = tuple(
        Target(name, None, "Israel", 29.55 + n, 34.95, (area,))
        for n, (name, area) in enumerate(zip(PLACES, AREAS, strict=True))
    )
    stored = claim(channel=HANDLE, targets=targets, weapons=(Weapon("rocket"),))
    earlier = POSTED - timedelta(days=30)
    copy = Appearance(9, HANDLE, earlier, "b" * 64)
    alerts = tuple(
        Alert(n, POSTED - timedelta(hours=2), area, 2, "uav") for n, area in enumerate(AREAS)
    )
    return replace(
        case(stored, post=post(stored, forwarded_from=SOURCE)),
        media=(MediaCheck("a" * 64, "done", copies=(copy,)),),
        alerts=alerts_checked(alerts, areas=AREAS, base_rate=0.1, base_areas=AREAS[:1]),
        verdicts=tuple(
            Verdict("claim", 1, REVIEWER, d, NOTE, POSTED + timedelta(hours=1))
            for d in (decisions.CORROBORATED, decisions.CONTRADICTED)
        ),
        burst=tuple(OtherClaim(n, n, HANDLE, POSTED + timedelta(minutes=n)) for n in (2, 3, 4)),
        track=TrackRecord(HANDLE, 2.0, 2.0, confirmed=1, false=2),
    )


def every_signal(hostile: ClaimCase) -> list[Signal]:
    families = (corroboration, media, provenance, specificity, timing, track)
    found = [s for family in families for s in family.signals(hostile, SETTINGS)]
    vague = replace(hostile.claim.extraction, vague_target=True)
    found += specificity.signals(
        replace(hostile, claim=replace(hostile.claim, extraction=vague)), SETTINGS
    )
    unchecked = (MediaCheck(None, "failed", ERROR),)
    found += media.signals(replace(hostile, media=unchecked), SETTINGS)
    found += provenance.signals(replace(hostile, reposts=hostile.burst), SETTINGS)
    missing = replace(hostile.alerts, alerts=())
    found += corroboration.signals(replace(hostile, alerts=missing, verdicts=()), SETTINGS)
    return found


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def test_no_name_is_left_among_the_words_of_an_explanation() -> None:
    signals = every_signal(hostile_case())
    features = {s.feature for s in signals}
    assert {"alert_match", "alert_missing", "analyst_corroborated", "analyst_contradicted",
            "media_recycled", "media_fresh", "repost", "target_named", "range_excess",
            "target_vague", "burst", "track_record"} <= features  # fmt: skip
    for signal in signals:
        ours = told(signal.explanation, lambda _: "")
        assert not right_to_left(ours) and not BIDI.search(ours), (signal.feature, ours)
    shown = {p.text for s in signals for p in s.explanation if isinstance(p, Field)}
    assert {HANDLE, SOURCE, *PLACES, *AREAS, REVIEWER, NOTE, ERROR} <= shown


def test_a_channel_mention_keeps_its_at_sign_outside_the_field() -> None:
    (signal,) = track.signals(hostile_case(), SETTINGS)
    assert signal.explanation[:2] == ("@", Field(HANDLE))
    numeric = replace(hostile_case(), track=TrackRecord("1862040145", 2.0, 2.0))
    (signal,) = track.signals(numeric, SETTINGS)
    assert told(signal.explanation).startswith("channel 1862040145 has no reviewed")


def test_explanations_are_stored_as_parts_and_read_back() -> None:
    phrase: Phrase = ("@", Field(HANDLE), " has no reviewed or corroborated claims yet.")
    assert phrase_json(phrase) == ["@", {"field": HANDLE}, phrase[2]]
    assert phrase_record(phrase_json(phrase)) == phrase


def test_an_explanation_stored_as_one_string_is_shown_isolated_as_a_whole() -> None:
    """Scores stored before explanations kept their fields apart, until scored again."""
    assert phrase_record("@evil\u202eoc has no claims yet.") == (
        Field("@evil\u202eoc has no claims yet."),
    )
