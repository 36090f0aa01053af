"""A small archive for the review tests: two channels, re-used and re-filmed footage,
claims with scores, and posts full of hostile text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from config.settings import Settings
from scoring.pipeline import rescore
from storage import Store
from storage.records import (
    Batch,
    Channel,
    Extraction,
    Match,
    MediaRef,
    Post,
    Segment,
    StoredPost,
    Target,
    Weapon,
)
from tests.review.clips import pattern_clip

HOSTILE_TEXT = (
    '<script>window.__pwned = "script"</script>'
    "<img src=x onerror=\"window.__pwned = 'onerror'\">"
    "<a href=\"javascript:window.__pwned='link'\">click me</a> "
    "\u202eثبت وكالة\u202c"
)
HOSTILE_CHANNEL = "evil\u202eoc.xss"
HOSTILE_FILE = '"><svg onload="window.__pwned=1">.mp4'
EILAT = Target("Eilat", "إيلات", "Israel", 29.55, 34.95)


@dataclass(frozen=True)
class Seeded:
    first_sha: str
    reused_sha: str
    angle_a_sha: str
    angle_b_sha: str
    copy_match: int
    scene_match: int
    first_claim: int
    reused_claim: int
    hostile_post: int


def seed(store: Store, settings: Settings, folder: Path) -> Seeded:
    folder.mkdir(parents=True, exist_ok=True)
    clips = {
        "first": pattern_clip(folder / "first.mp4", 6, seed=1),
        "reused": pattern_clip(folder / "reused.mp4", 7, seed=1, size=(120, 80), lead_in=1),
        "angle_a": pattern_clip(folder / "angle_a.mp4", 4, seed=7),
        "angle_b": pattern_clip(folder / "angle_b.mp4", 4, seed=8),
    }
    kh = Channel("telegram", "kataib_test", title="كتائب حزب الله", group="Kataib Hezbollah")
    store.archive.ingest(
        Batch(
            kh,
            (
                _post(
                    "kataib_test",
                    1,
                    datetime(2024, 5, 1, 21, 10, tzinfo=UTC),
                    "المقاومة الإسلامية في العراق تستهدف بالطيران المسيّر هدفاً حيوياً في إيلات",
                    clips["first"],
                ),
                _post(
                    "kataib_test",
                    2,
                    datetime(2024, 6, 10, 20, 0, tzinfo=UTC),
                    "استهدف مجاهدو المقاومة الاسلامية هدفا في ايلات بالطيران المسير",
                    clips["reused"],
                ),
                _post(
                    "kataib_test",
                    3,
                    datetime(2024, 6, 12, 19, 0, tzinfo=UTC),
                    "Drone launch towards Eilat, first angle",
                    clips["angle_a"],
                ),
            ),
        )
    )
    evil = Channel("telegram", HOSTILE_CHANNEL, title="<b>bold</b>", group="<i>group</i>")
    store.archive.ingest(
        Batch(
            evil,
            (
                _post(
                    HOSTILE_CHANNEL,
                    9,
                    datetime(2024, 6, 12, 19, 5, tzinfo=UTC),
                    HOSTILE_TEXT,
                    clips["angle_b"],
                    url="javascript:window.__pwned='url'",
                    file_name=HOSTILE_FILE,
                ),
            ),
        )
    )
    posts = {
        n: _find(store, c, n)
        for c, n in (
            ("kataib_test", 1),
            ("kataib_test", 2),
            ("kataib_test", 3),
            (HOSTILE_CHANNEL, 9),
        )
    }
    sha = {n: p.media[0].sha256 for n, p in posts.items()}
    claim_ids = [
        store.claims.save(posts[n].id, _extraction(day))
        for n, day in ((1, date(2024, 5, 1)), (2, date(2024, 6, 10)), (3, date(2024, 6, 12)))
    ]
    rescore(store, settings, claim_ids)
    # Stored in this order, the same-scene match is the newest.
    copy = store.matches.upsert(
        Match(
            a=sha[1],
            b=sha[2],
            kind="copy",
            similarity=0.94,
            algorithm="test",
            segments=(Segment(0.0, 6.0, 1.0, 7.0),),
            first_posted=sha[1],
        )
    ).id
    scene = store.matches.upsert(
        Match(
            a=sha[3],
            b=sha[9],
            kind="same_scene",
            similarity=0.71,
            algorithm="test",
            segments=(Segment(0.5, 3.5, 0.0, 3.0),),
            first_posted=sha[3],
        )
    ).id
    assert copy is not None and scene is not None
    return Seeded(
        sha[1], sha[2], sha[3], sha[9], copy, scene, claim_ids[0], claim_ids[1], posts[9].id
    )


def _find(store: Store, channel: str, message_id: int) -> StoredPost:
    found = store.archive.find("telegram", channel, message_id)
    assert found is not None and found.media, f"{channel}/{message_id} was not archived"
    return found


def _post(
    channel: str,
    message_id: int,
    at: datetime,
    text: str,
    clip: Path,
    url: str | None = None,
    file_name: str | None = None,
) -> Post:
    media = MediaRef(kind="video", path=clip, mime="video/mp4", file_name=file_name or clip.name)
    return Post(
        platform="telegram",
        channel=channel,
        message_id=message_id,
        posted_at=at,
        text=text,
        source="tg-export",
        url=url,
        media=(media,),
    )


def _extraction(day: date) -> Extraction:
    return Extraction(
        is_claim=True,
        group="Kataib Hezbollah",
        targets=(EILAT,),
        weapons=(Weapon("drone"),),
        claimed_date=day,
        part_of_day="night",
        extractor="test",
    )
