"""Media factors: none, fresh, recycled (pending / confirmed / ruled out), shared, same scene."""

from __future__ import annotations

from dataclasses import replace

from claimwatch.phrase import told
from scoring.case import Signal
from scoring.factors import media
from tests.scoring.cases import SETTINGS, case, earlier, other, video


def features(found: list[Signal]) -> dict[str, float]:
    return {s.feature: s.value for s in found if s.value}


def test_no_media() -> None:
    found = media.signals(case(media=()), SETTINGS)
    assert features(found) == {"media_none": 1.0}
    assert "No photo or video" in told(found[0].explanation)


def test_fresh_footage() -> None:
    found = media.signals(case(media=(video(),)), SETTINGS)
    assert features(found) == {"media_fresh": 1.0}


def test_unchecked_footage_is_neither_fresh_nor_recycled() -> None:
    found = media.signals(case(media=(video(status="pending"),)), SETTINGS)
    assert features(found) == {}
    assert "not checked yet (pending)" in told(found[0].explanation)


def test_copy_of_older_footage_is_recycled_with_date_and_channel() -> None:
    found = media.signals(case(media=(video(copies=(earlier(days=40),)),)), SETTINGS)
    assert features(found) == {"media_recycled": 1.0}
    signal = found[0]
    assert "@old_channel on 2024-08-20, 40 days before" in told(signal.explanation)
    assert [e.kind for e in signal.evidence] == ["post", "match"]


def test_a_channel_known_only_by_its_id_is_not_named_like_a_username() -> None:
    first = replace(earlier(days=40), channel="1862040145")
    (signal,) = media.signals(case(media=(video(copies=(first,)),)), SETTINGS)
    assert "first posted by channel 1862040145 on 2024-08-20" in told(signal.explanation)
    assert "@1862040145" not in told(signal.explanation)
    assert told(signal.evidence[0].label).startswith("channel 1862040145, 2024-08-20")


def test_analyst_confirmation_makes_it_stronger() -> None:
    found = media.signals(
        case(media=(video(copies=(earlier(40), earlier(30, "recycled", match_id=8))),)),
        SETTINGS,
    )
    assert features(found) == {"media_recycled_confirmed": 1.0}
    assert "an analyst confirmed it" in told(found[0].explanation)
    assert found[0].evidence[1].ref == "8"


def test_ruled_out_match_does_not_count_but_is_shown() -> None:
    for status in ("not_same", "legitimate"):
        found = media.signals(case(media=(video(copies=(earlier(40, status),)),)), SETTINGS)
        assert features(found) == {"media_fresh": 1.0}
        assert any(f"'{status}': it does not count" in told(s.explanation) for s in found)


def test_a_repost_within_the_gap_is_not_recycling() -> None:
    found = media.signals(case(media=(video(copies=(earlier(days=0.2),)),)), SETTINGS)
    assert features(found) == {"media_fresh": 1.0}


def test_the_very_same_file_posted_earlier() -> None:
    found = media.signals(case(media=(video(copies=(earlier(10, exact=True),)),)), SETTINGS)
    assert features(found) == {"media_recycled": 1.0}
    assert "the same file first posted" in told(found[0].explanation)


def test_footage_on_several_claims() -> None:
    found = media.signals(
        case(media=(video(),), shared=(other(5, 60 * 48), other(6, 60 * 96))), SETTINGS
    )
    assert features(found) == {"media_shared": 2.0}
    assert "attached to 2 other claims" in told(found[0].explanation)


def test_same_scene_lead_pending_and_confirmed() -> None:
    scene = earlier(20, kind="same_scene")
    found = media.signals(case(media=(video(same_scene=(scene,)),)), SETTINGS)
    assert features(found) == {"media_same_scene": 1.0}
    confirmed = earlier(20, "recycled", kind="same_scene")
    found = media.signals(case(media=(video(same_scene=(confirmed,)),)), SETTINGS)
    assert features(found) == {"media_same_scene": 2.0}
