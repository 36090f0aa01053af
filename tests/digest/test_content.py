"""What the digest says: every section of the issue, hostile text made harmless, size."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from claimwatch.phrase import told
from config.settings import Settings
from digest.chart import weekly_chart
from digest.compose import MAX_MESSAGE_BYTES, compose
from digest.gather import Limits, gather
from digest.render import clean, direction
from storage import Store
from storage.records import Batch, Channel, Match, MediaRef, Post
from tests.digest.seed import (
    ARABIC,
    DAY,
    END,
    HOSTILE_TEXT,
    START,
    Seeded,
    add_claims,
    flag,
    photo,
)
from tests.digest.sqlite_only import database_url  # noqa: F401
from tests.explained import OTHER_PLACE, PLACE, REVIEWER, explained_claim

NOW = datetime(2026, 11, 20, 4, 1, tzinfo=UTC)
FSI, PDI = "\u2068", "\u2069"  # around a name, so it cannot reorder the words after it


def parts(store: Store, settings: Settings) -> tuple[str, str]:
    message = compose(gather(store, settings, DAY), settings, NOW).message
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    assert html is not None and text is not None
    return html.get_content(), text.get_content()


def test_every_section_is_there(store: Store, settings: Settings, seeded: Seeded) -> None:
    store.status.failure("telegram-web", "nujaba_test", "HTTP 502 from t.me")
    digest = gather(store, settings, DAY)

    assert digest.headline.total.last_24h == 3
    assert round(digest.headline.total.avg_28d * 28) == 10  # the history before the day
    assert {r.name for r in digest.headline.groups} >= {"Kataib Hezbollah", "Harakat al-Nujaba"}
    assert sum(sum(c) for c in digest.weekly.counts.values()) == 13
    assert [c.id for c in digest.claims] == list(seeded.claims_today)
    first = digest.claims[0]
    assert told(first.gist).startswith("Kataib Hezbollah claims a drone attack on Eilat (Israel)")
    assert tuple(told(reason) for reason in first.reasons) == (
        "footage first posted 40 days earlier",
        "UAV alert in Eilat 40 min after the claimed time",
    )
    assert first.url == f"http://127.0.0.1:8750/claims/{first.id}"
    assert [f.match_id for f in digest.footage] == [seeded.match_today]
    footage = digest.footage[0]
    assert footage.earlier.channel == "kataib_test" and footage.later.channel == "nujaba_test"
    assert footage.earlier.thumbnail and footage.later.thumbnail
    assert digest.awaiting_review == 2
    assert [m.channel for m in digest.moves] == ["kataib_test"]
    assert digest.moves[0].after > digest.moves[0].before
    assert [p.channel for p in digest.health.problems] == ["nujaba_test"]


def test_a_recent_change_in_a_groups_rate_is_noted(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    # One claim every 4 days for 8 weeks, then 3 a day for the last 10 days.
    kss = Channel("telegram", "kss_test", group="Kataib Sayyid al-Shuhada")
    quiet = [START - timedelta(days=66 - 4 * n) for n in range(14)]
    busy = [START - timedelta(days=9 - d, hours=h) for d in range(10) for h in (1, 5, 9)]
    add_claims(store, kss, quiet + busy)

    html, text = parts(store, settings)

    shift = gather(store, settings, DAY).headline.shifts
    assert [s.subject for s in shift] == ["Kataib Sayyid al-Shuhada"]
    assert shift[0].after > 2.5 and shift[0].before < 0.5
    assert START.date() - timedelta(days=11) <= shift[0].on <= START.date() - timedelta(days=8)
    rates = f"went from {shift[0].before:.1f} to {shift[0].after:.1f} claims a day"
    assert f"{FSI}Kataib Sayyid al-Shuhada{PDI} {rates}" in text  # the name isolated
    assert f"<b>{FSI}Kataib Sayyid al-Shuhada{PDI}</b> {rates}" in html


def test_footage_posted_that_day_but_flagged_later_is_in_that_days_digest(
    store: Store, settings: Settings, seeded: Seeded, tmp_path: Path
) -> None:
    # An archive imported late: the re-post is in the day, its match found two days after.
    kh = Channel("telegram", "kataib_test", group="Kataib Hezbollah")
    copy = photo(tmp_path / "copy.jpg", (40, 90, 200), size=(320, 180))
    media = (MediaRef("photo", path=copy, mime="image/jpeg"),)
    post = Post("telegram", kh.handle, 7, START + timedelta(hours=12), "repost", "tg-export",
                media=media)  # fmt: skip
    store.archive.ingest(Batch(kh, (post,)))
    stored = store.archive.find("telegram", kh.handle, 7)
    old = store.archive.find("telegram", kh.handle, 100)
    assert stored is not None and old is not None
    late = flag(store, Match(
        a=old.media[0].sha256, b=stored.media[0].sha256, kind="copy", similarity=0.9,
        algorithm="test", segments=(), created_at=END + timedelta(days=2),
    ))  # fmt: skip

    digest = gather(store, settings, DAY)

    assert [f.match_id for f in digest.footage] == [seeded.match_today, late]
    assert digest.footage[1].earlier.posted_at == old.post.posted_at


def test_a_second_cameras_view_is_counted_as_a_lead_not_as_recycled_footage(
    store: Store, settings: Settings, seeded: Seeded, tmp_path: Path
) -> None:
    kh = Channel("telegram", "kataib_test", group="Kataib Hezbollah")
    view = photo(tmp_path / "view.jpg", (200, 90, 40), size=(320, 180))
    post = Post("telegram", kh.handle, 8, START + timedelta(hours=13), "another view", "tg-export",
                media=(MediaRef("photo", path=view, mime="image/jpeg"),))  # fmt: skip
    store.archive.ingest(Batch(kh, (post,)))
    stored, old = (store.archive.find("telegram", kh.handle, i) for i in (8, 100))
    assert stored is not None and old is not None
    flag(store, Match(
        a=old.media[0].sha256, b=stored.media[0].sha256, kind="same_scene", similarity=0.5,
        algorithm="test", segments=(), created_at=START + timedelta(hours=14),
    ))  # fmt: skip

    composed = compose(gather(store, settings, DAY), settings, NOW)
    html, text = parts(store, settings)

    assert composed.message["Subject"].endswith(": 3 claims, 1 recycled footage, 1 same-scene lead")
    assert "<h2>Newly flagged footage (1 recycled footage, 1 same-scene lead)</h2>" in html
    assert "\nNEWLY FLAGGED FOOTAGE (1 recycled footage, 1 same-scene lead)\n" in text
    for part in (html, text):
        assert "another camera's view of a scene posted before, not a copy" in part


def test_a_file_no_frame_can_be_cut_from_is_shown_and_reported(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    line = gather(store, settings, DAY).footage[0]
    media = store.media.get(line.later.sha256)
    assert media is not None
    shutil.rmtree(store.data_dir / "thumbs")
    media.path.write_bytes(b"not a picture")

    broken = gather(store, settings, DAY).footage[0]

    assert broken.later.thumbnail is None and broken.earlier.thumbnail is not None
    assert broken.later.missing == "no frame could be cut from this file"
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert health[("digest", "thumbnails")].failures == 1
    assert line.later.sha256[:12] in (health[("digest", "thumbnails")].last_error or "")


def test_hostile_post_text_is_escaped_in_html_and_harmless_in_text(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    html, text = parts(store, settings)
    assert "<script>alert" not in html and 'onerror="window' not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html
    assert "<i>group</i>" not in html and "&lt;i&gt;group&lt;/i&gt;" in html
    for part in (html, text):
        assert "\u202e" not in part and "\u202c" not in part  # no reordering of what follows
    assert "evil\ufffdoc.xss" in text and "evil\ufffdoc.xss" in html
    assert '<script>alert("pwned")</script>' in text  # inert in a text/plain part


def test_arabic_is_laid_out_right_to_left(store: Store, settings: Settings, seeded: Seeded) -> None:
    html, _ = parts(store, settings)
    assert f'<div class="post" dir="rtl" lang="ar">{ARABIC}</div>' in html
    assert direction(ARABIC) == "rtl" and direction("Kataib Hezbollah") == "ltr"
    assert direction(HOSTILE_TEXT) == "ltr"  # the markup's Latin letters come first


def test_clean_keeps_arabic_joiners_and_drops_overrides() -> None:
    assert clean("لا\u200cإله\u202e") == "لا\u200cإله\ufffd"
    assert clean("a\x00b\nc") == "a\ufffdb\nc"


def test_a_digest_with_many_keyframes_stays_under_two_megabytes(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    digest = gather(store, settings, DAY)
    noise = bytes(range(256)) * 800  # 200 KB that does not compress
    line = digest.footage[0]
    heavy = dataclasses.replace(line.earlier, thumbnail=noise)
    many = tuple(
        dataclasses.replace(line, match_id=n, earlier=heavy, later=heavy) for n in range(1, 13)
    )
    composed = compose(dataclasses.replace(digest, footage=many), settings, NOW)

    assert MAX_MESSAGE_BYTES // 2 < composed.size <= MAX_MESSAGE_BYTES
    kept = sum(1 for f in composed.digest.footage for s in (f.earlier, f.later) if s.thumbnail)
    assert 0 < kept < 24
    _, text = parts(store, settings)
    assert "left out to keep the email under 2 MB" in composed.preview_html()
    assert "\nNEWLY FLAGGED FOOTAGE (1 recycled footage)\n" in text


def test_no_claims_no_footage_still_reads_well(store: Store, settings: Settings) -> None:
    html, text = parts(store, settings)
    assert "No new claims in these 24 hours." in text
    assert "No footage newly flagged as recycled." in html
    assert "Every source and job is working." in text
    assert "No change in any group's daily rate in the last 14 days." in text


def test_what_is_left_out_is_counted_in_plain_english(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    shown = len(seeded.claims_today) - 1
    digest = gather(store, settings, DAY, Limits(claims=shown, footage=0))
    html, text = (compose(digest, settings, NOW).message.get_body((k,)) for k in ("html", "plain"))
    assert html is not None and text is not None
    for part in (html.get_content(), text.get_content()):
        assert "1 more claim is left out to keep this email small" in part
        assert "1 more match is left out to keep this email small" in part


def test_the_chart_draws_any_group_name_as_written() -> None:
    weeks = [DAY - timedelta(days=7), DAY]
    counts = {r"Saraya $\alpha$ $\foo$": [1, 2], "_unnamed": [0, 1], "Kataib $": [3, 0]}
    assert weekly_chart(weeks, counts, "claims per week ($)").startswith(b"\x89PNG")


def test_a_name_cannot_start_a_line_of_its_own_in_the_plain_text(
    store: Store, settings: Settings, seeded: Seeded
) -> None:
    """An export filed under its title may name a channel with line breaks in it."""
    forged = "* 20 Nov 06:00  official_channel"
    title = f"Resistance\n\n{forged}\u2028  Score 100/100, corroborated"
    add_claims(store, Channel("telegram", title), [END - timedelta(hours=3)], text="بيان\u2029ثبت")
    _, text = parts(store, settings)

    lines = text.splitlines()
    assert not any(line.startswith((forged, "  Score 100/100")) for line in lines)
    assert any("Resistance  * 20 Nov 06:00  official_channel" in line for line in lines)
    assert any(f"Post: {FSI}بيان ثبت (0){PDI}" in line for line in lines)


def test_names_in_a_claims_reasons_are_isolated_in_both_parts(
    store: Store, settings: Settings
) -> None:
    explained_claim(store, settings, START + timedelta(hours=2))
    for part in parts(store, settings):
        assert f"location: {FSI}{PLACE}{PDI}, {FSI}{OTHER_PLACE}{PDI}." in part
        assert f"{FSI}{REVIEWER}{PDI} recorded corroborating evidence on" in part
        assert f"{FSI}seen\ufffd from a rooftop{PDI}" in part  # the override shown, inert
