"""The review app's small parts: lockout timing, the signing key, redirects, shapes, text."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from claimwatch.errors import ConfigError
from claimwatch.phrase import told
from config.loader import Secret
from config.settings import ReviewSettings
from review.auth import safe_next
from review.charts import bar_chart
from review.describe import describe
from review.evidence import evidence_link
from review.limiter import LoginLimiter
from review.match_view import duration_words, keyframes
from review.secret import KEY_FILE, secret_key
from review.security import allowed_hosts
from review.templating import platform_url
from review.timeline import layout
from storage.records import EvidenceRef, Extraction, Match, Segment, Target, Weapon


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lockout_starts_at_the_limit_and_ends_after_the_period() -> None:
    clock = Clock()
    limiter = LoginLimiter(3, 600, clock)
    for _ in range(2):
        limiter.failed("Zainab", "10.0.0.1")
    assert limiter.locked_for("zainab", "10.0.0.1") == 0
    limiter.failed("zainab", "10.0.0.2")
    assert limiter.locked_for("ZAINAB", "10.9.9.9") == pytest.approx(600)
    clock.now += 599
    assert limiter.locked_for("zainab", "10.0.0.1") == pytest.approx(1)
    clock.now += 2
    assert limiter.locked_for("zainab", "10.0.0.1") == 0


def test_one_address_sweeping_many_names_is_locked_out() -> None:
    limiter = LoginLimiter(3, 600, Clock())
    for n in range(12):
        limiter.failed(f"name{n}", "10.0.0.1")
    assert limiter.locked_for("someone-else", "10.0.0.1") > 0
    assert limiter.locked_for("someone-else", "10.0.0.2") == 0


def test_success_clears_the_names_failures() -> None:
    limiter = LoginLimiter(3, 600, Clock())
    for _ in range(2):
        limiter.failed("zainab", "10.0.0.1")
    limiter.succeeded("zainab")
    limiter.failed("zainab", "10.0.0.1")
    assert limiter.locked_for("zainab", "10.0.0.1") == 0


def test_the_key_is_generated_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    first = secret_key(ReviewSettings(), tmp_path)
    assert len(first) >= 32
    assert secret_key(ReviewSettings(), tmp_path) == first
    assert oct((tmp_path / KEY_FILE).stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    secret_key(ReviewSettings(), tmp_path)
    os.chmod(tmp_path / KEY_FILE, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        secret_key(ReviewSettings(), tmp_path)


def test_a_configured_key_wins_and_must_be_long(tmp_path: Path) -> None:
    key = "k" * 40
    assert secret_key(ReviewSettings(secret_key=Secret(key)), tmp_path) == key
    assert not (tmp_path / KEY_FILE).exists()
    with pytest.raises(ConfigError, match="too short"):
        secret_key(ReviewSettings(secret_key=Secret("short")), tmp_path)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/claims/3?x=1", "/claims/3?x=1"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/ok\r\nSet-Cookie: x", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_keeps_visitors_on_this_site(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_allowed_hosts() -> None:
    assert allowed_hosts("127.0.0.1", "") == {"127.0.0.1", "localhost", "[::1]"}
    assert "review.example.org" in allowed_hosts("127.0.0.1", "https://review.example.org/")  # type: ignore[operator]
    assert allowed_hosts("0.0.0.0", "") is None


def test_timeline_scales_both_videos_to_the_longer_one() -> None:
    timeline = layout((Segment(0, 5, 10, 15),), 10.0, 20.0)
    assert timeline.b_width == pytest.approx(640) and timeline.a_width == pytest.approx(320)
    (span,) = timeline.spans
    assert (span.a_x, span.a_width) == (0, pytest.approx(160))
    assert (span.b_x, span.b_width) == (pytest.approx(320), pytest.approx(160))
    assert span.label == "A 0.0-5.0 s matches B 10.0-15.0 s"


def test_timeline_without_durations_uses_the_segments() -> None:
    timeline = layout((Segment(2, 4, 0, 2),), None, None)
    assert timeline.scale_seconds == 4 and timeline.a_width == pytest.approx(640)


def test_keyframes_pair_matching_moments_longest_segment_first() -> None:
    match = Match("a", "b", "copy", 0.9, (Segment(0, 2, 5, 7), Segment(10, 20, 0, 10)), "t")
    frames = keyframes(match)
    assert [(f.a, f.b) for f in frames] == [(12, 2), (17, 7), (0.4, 5.4), (1.4, 6.4)]
    still = Match("a", "b", "copy", 1.0, (), "t")
    assert [(f.a, f.b) for f in keyframes(still)] == [(0, 0)]


def test_claims_are_told_in_english() -> None:
    extraction = Extraction(
        True,
        "Kataib Hezbollah",
        (Target("Eilat", "إيلات", "Israel", 29.5, 34.9),),
        (Weapon("drone"),),
        date(2024, 5, 1),
        "night",
        2,
    )
    assert told(describe(extraction)) == (
        "Kataib Hezbollah claims a drone attack on Eilat (Israel), 2024-05-01, night, 2 operations"
    )
    assert told(describe(Extraction(True, weapons=(Weapon("unspecified"),)))) == (
        "An unnamed group claims an unspecified weapon attack on an unnamed target"
    )
    assert told(describe(Extraction(False))) == "Not an attack claim."


def test_each_field_of_a_summary_can_be_isolated() -> None:
    """What came from the post or the gazetteer, and only that, is marked as a field."""
    extraction = Extraction(
        True,
        "كتائب حزب الله",
        (Target("Eilat", None, "Israel", None, None), Target("إيلات", None, None, None, None)),
        (Weapon("drone", "Shahed-136"), Weapon("rocket")),
        date(2024, 5, 1),
        "night",
    )
    assert told(describe(extraction), "[{}]".format) == (
        "[كتائب حزب الله] claims a [Shahed-136] and rocket attack on [Eilat] ([Israel]) and "
        "[إيلات], 2024-05-01, [night]"
    )


def test_evidence_links_only_to_our_own_pages() -> None:
    assert evidence_link(EvidenceRef("match", "4", ("match 4",))) == "/matches/4"
    assert evidence_link(EvidenceRef("alert", "12/Eilat", ("alert",))) is None
    assert evidence_link(EvidenceRef("post", "../../x", ("post",))) is None
    assert evidence_link(EvidenceRef("claim", "٣", ("claim",))) is None


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://t.me/kataib_test/12", True),
        ("https://x.com/someone/status/1", True),
        ("javascript:alert(1)", False),
        ("http://t.me/x/1", False),
        ("https://t.me.evil.example/x", False),
        ("https://user@t.me/x", False),
        (None, False),
    ],
)
def test_only_https_platform_addresses_become_links(url: str | None, linked: bool) -> None:
    assert (platform_url(url) is not None) is linked


def test_bar_chart_marks_change_points_in_their_week() -> None:
    weeks = [(date(2024, 1, 1), 2), (date(2024, 1, 8), 0), (date(2024, 1, 15), 8)]
    chart = bar_chart(weeks, [(date(2024, 1, 15), "rate rose")])
    tallest = chart.base - chart.top
    assert [b.height for b in chart.bars] == [tallest / 4, 0, tallest]
    assert chart.y_max == 8
    (change,) = chart.changes
    assert change.x == pytest.approx(chart.bars[2].x - 0.1 * (chart.bars[1].x - chart.bars[0].x))


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (40 * 86400 + 5, "40 days"),
        (86400, "1 day"),
        (3 * 3600, "3 hours"),
        (300, "5 minutes"),
        (59, "less than a minute"),
    ],
)
def test_the_gap_between_posts_in_words(seconds: float, words: str) -> None:
    assert duration_words(seconds) == words


def test_who_posted_first_is_the_match_s_word_else_the_earlier_post() -> None:
    from datetime import UTC, datetime

    from review.match_view import first_posted
    from storage.records import Post, StoredPost

    def stored(day: int) -> StoredPost:
        at = datetime(2024, 5, day, tzinfo=UTC)
        return StoredPost(day, Post("telegram", "c", day, at, "", "tg-export"), at, None)

    said = Match("a" * 64, "b" * 64, "copy", 0.9, (), "t", first_posted="b" * 64)
    unsaid = Match("a" * 64, "b" * 64, "copy", 0.9, (), "t")
    assert first_posted(said, [stored(1)], [stored(2)]) == "b" * 64
    assert first_posted(unsaid, [stored(3)], [stored(2)]) == "b" * 64
    assert first_posted(unsaid, [stored(2)], [stored(2)]) is None
    assert first_posted(unsaid, [], [stored(2)]) is None


def test_a_segment_starting_before_zero_is_shown_from_zero() -> None:
    match = Match("a", "b", "copy", 0.9, (Segment(-0.1, 0.2, -0.3, 0.0),), "t")
    assert all(f.a >= 0 and f.b >= 0 for f in keyframes(match))
    (span,) = layout(match.segments, 1.0, 1.0).spans
    assert span.label == "A 0.0-0.2 s matches B 0.0-0.0 s" and span.a_x == 0


def test_the_early_hours_are_told_in_words() -> None:
    extraction = Extraction(True, "Kataib Hezbollah", (), (Weapon("drone"),), date(2024, 5, 1),
                            "early_hours")  # fmt: skip
    assert told(describe(extraction)).endswith(", 2024-05-01, early hours")
