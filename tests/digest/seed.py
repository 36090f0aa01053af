"""A small archive for the digest tests: a day of claims on two channels, four weeks of
history before it, footage flagged as recycled that day, and posts full of hostile text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import update

from storage import Store
from storage.models import MatchRow
from storage.records import (
    Batch,
    Channel,
    Extraction,
    Factor,
    Match,
    MediaRef,
    Post,
    Score,
    Segment,
    Target,
    Verdict,
    Weapon,
)

DAY = date(2026, 11, 20)
# The digest of DAY covers the 24 hours to 07:00 Asia/Baghdad (UTC+3) that day.
END = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
START = END - timedelta(hours=24)
HOSTILE_TEXT = (
    '<script>alert("pwned")</script><img src=x onerror="window.__pwned=1">'
    "\u202eثبت وكالة\u202c بيان"
)
HOSTILE_CHANNEL = "evil\u202eoc.xss"
ARABIC = "المقاومة الإسلامية في العراق تستهدف بالطيران المسيّر هدفاً حيوياً في إيلات"
EILAT = Target("Eilat", "إيلات", "Israel", 29.55, 34.95)


@dataclass(frozen=True)
class Seeded:
    claims_today: tuple[int, ...]
    hostile_claim: int
    match_today: int
    match_old: int


def seed(store: Store, folder: Path) -> Seeded:
    """Two channels and a hostile one; 3 claims in the day, 10 in the 4 weeks before."""
    folder.mkdir(parents=True, exist_ok=True)
    kh = Channel("telegram", "kataib_test", title="كتائب حزب الله", group="Kataib Hezbollah")
    nj = Channel("telegram", "nujaba_test", title="النجباء", group="Harakat al-Nujaba")
    evil = Channel("telegram", HOSTILE_CHANNEL, title="<b>bold</b>", group="<i>group</i>")
    # Footage flagged before the day, between two of kataib_test's older posts.
    old = [photo(folder / f"old{n}.jpg", (40, 90 + 60 * n, 200)) for n in range(2)]
    history = [
        _post(kh, 100 + n, START - timedelta(days=2 + 2 * n), ARABIC, old[n] if n < 2 else None)
        for n in range(8)
    ] + [_post(nj, 200 + n, START - timedelta(days=3 + 5 * n), ARABIC, None) for n in range(2)]
    first = photo(folder / "first.jpg", (200, 60, 40))
    again = photo(folder / "again.jpg", (200, 60, 40), size=(640, 360))
    today = [
        _post(kh, 1, START + timedelta(hours=2), ARABIC, None),
        _post(nj, 2, START + timedelta(hours=9), ARABIC, again),
        _post(evil, 3, START + timedelta(hours=20), HOSTILE_TEXT, None),
    ]
    # The first photo was posted long before: its post is in history, 40 days back.
    early = _post(kh, 50, START - timedelta(days=40), ARABIC, first)
    for channel in (kh, nj, evil):
        posts = [p for p in (*history, *today, early) if p.channel == channel.handle]
        store.archive.ingest(Batch(channel, tuple(posts)))
    for post in history:
        _claim(store, post.channel, post.message_id)
    todays = tuple(_claim(store, p.channel, p.message_id) for p in today)
    # An analyst confirms one of kataib_test's older claims during the day: its record moves.
    confirmed = _claim_of(store, kh.handle, 100)
    at = START + timedelta(hours=5)
    store.verdicts.add(Verdict("claim", confirmed, "zainab", "confirmed", "", at))
    sha_first = _sha(store, kh.handle, 50)
    sha_again = _sha(store, nj.handle, 2)
    match_today = flag(
        store,
        Match(
            a=sha_first,
            b=sha_again,
            kind="copy",
            similarity=0.93,
            algorithm="test",
            segments=(Segment(0.0, 0.0, 0.0, 0.0),),
            created_at=START + timedelta(hours=10),
        ),
    )
    match_old = flag(
        store,
        Match(
            a=_sha(store, kh.handle, 101),
            b=_sha(store, kh.handle, 100),
            kind="same_scene",
            similarity=0.7,
            algorithm="test",
            segments=(),
            created_at=START - timedelta(days=3),
        ),
    )
    return Seeded(todays, todays[2], match_today, match_old)


def flag(store: Store, match: Match) -> int:
    """Store `match` as found at its `created_at` (the store stamps the present time)."""
    stored = store.matches.upsert(match)
    assert stored.id is not None and match.created_at is not None
    with store.sessions.begin() as session:
        session.execute(
            update(MatchRow).where(MatchRow.id == stored.id).values(created_at=match.created_at)
        )
    return stored.id


def add_claims(
    store: Store, channel: Channel, times: list[datetime], text: str = ARABIC
) -> list[int]:
    """One claim posted at each of `times` on `channel`, each with its own text."""
    posts = tuple(_post(channel, 1000 + n, at, f"{text} ({n})", None) for n, at in enumerate(times))
    store.archive.ingest(Batch(channel, posts))
    return [_claim(store, channel.handle, post.message_id) for post in posts]


def _post(channel: Channel, message_id: int, at: datetime, text: str, photo: Path | None) -> Post:
    media = () if photo is None else (MediaRef("photo", path=photo, mime="image/jpeg"),)
    return Post(
        platform="telegram",
        channel=channel.handle,
        message_id=message_id,
        posted_at=at,
        text=text,
        source="tg-export",
        media=media,
    )


def _claim(store: Store, channel: str, message_id: int) -> int:
    post = store.archive.find("telegram", channel, message_id)
    assert post is not None
    extraction = Extraction(
        is_claim=True,
        group=None,
        targets=(EILAT,),
        weapons=(Weapon("drone"),),
        claimed_date=post.post.posted_at.date(),
        part_of_day="night",
        extractor="test",
    )
    claim_id = store.claims.save(post.id, extraction)
    factors = (
        Factor(
            "alert_match", "supports", 0.9, ("UAV alert in Eilat 40 min after the claimed time",)
        ),
        Factor("track_record", "neutral", 0.1, ("channel's track record is average",)),
        Factor("media_recycled", "undermines", -1.4, ("footage first posted 40 days earlier",)),
    )
    store.claims.add_score(Score(claim_id, 58.0, "plausible", factors, "test"))
    return claim_id


def _claim_of(store: Store, channel: str, message_id: int) -> int:
    post = store.archive.find("telegram", channel, message_id)
    claim = store.claims.for_post(post.id) if post else None
    assert claim is not None
    return claim.id


def _sha(store: Store, channel: str, message_id: int) -> str:
    post = store.archive.find("telegram", channel, message_id)
    assert post is not None and post.media
    return post.media[0].sha256


def photo(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (1280, 720)) -> Path:
    image = Image.new("RGB", size, (30, 30, 40))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.3, h * 0.2, w * 0.7, h * 0.8), fill=colour)
    draw.rectangle((0, h * 0.85, w, h), fill=(90, 120, 60))
    image.save(path, "JPEG", quality=90)
    return path
