"""Builders for claim cases, so each factor is tested on exactly the evidence it weighs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from config.settings import ScoringSettings
from scoring.case import AlertCheck, Appearance, ClaimCase, MediaCheck, OtherClaim, TrackRecord
from storage.records import (
    Extraction,
    Match,
    MediaFile,
    Post,
    Revision,
    StoredClaim,
    StoredPost,
    Target,
    Weapon,
)

POSTED = datetime(2024, 9, 29, 3, 20, tzinfo=UTC)  # 06:20 in Baghdad, a Sunday
EILAT = Target("Eilat", "أم الرشراش", "Israel", 29.56, 34.95, ("אילת",))
AIN_AL_ASAD = Target("Ain al-Asad", "عين الأسد", "Iraq", 33.8, 42.44)
SETTINGS = ScoringSettings()


def extraction(**changes: Any) -> Extraction:
    base = Extraction(
        is_claim=True,
        group="Islamic Resistance in Iraq",
        targets=(EILAT,),
        weapons=(Weapon("drone"),),
        claimed_date=date(2024, 9, 29),
        part_of_day="dawn",
        extractor="test-1",
    )
    return replace(base, **changes)


def claim(
    claim_id: int = 1,
    text: str = "استهدف مجاهدو المقاومة فجر اليوم الأحد هدفاً في أم الرشراش",
    posted_at: datetime = POSTED,
    channel: str = "sabreen",
    **changes: Any,
) -> StoredClaim:
    return StoredClaim(
        id=claim_id, post_id=claim_id, platform="telegram", channel=channel,
        posted_at=posted_at, extraction=extraction(**changes), extracted_at=posted_at,
        text=text, group="Islamic Resistance in Iraq",
    )  # fmt: skip


def post(stored: StoredClaim, **changes: Any) -> StoredPost:
    message = Post("telegram", stored.channel, stored.post_id, stored.posted_at, stored.text,
                   "telegram-web", forwarded_from=changes.pop("forwarded_from", None),
                   edited_at=changes.pop("edited_at", None))  # fmt: skip
    base = StoredPost(
        id=stored.post_id, post=message, first_seen_at=stored.posted_at, deleted_at=None,
        revisions=(Revision(stored.text, stored.posted_at, None),),
    )  # fmt: skip
    return replace(base, **changes)


def alerts_checked(found: tuple[Any, ...] = (), covered: bool = True, **changes: Any) -> AlertCheck:
    start = datetime(2024, 9, 28, 22, tzinfo=UTC)
    base = AlertCheck(
        start, start + timedelta(hours=13), ("אילת",), ("uav",), found, covered,
        (datetime(2024, 9, 29, 0, tzinfo=UTC), datetime(2024, 9, 29, 5, tzinfo=UTC)),
    )  # fmt: skip
    return replace(base, **changes)


def case(stored: StoredClaim | None = None, **changes: Any) -> ClaimCase:
    stored = stored or claim()
    base = ClaimCase(
        claim=stored, post=post(stored), media=(), shared=(), alerts=alerts_checked(),
        verdicts=(), burst=(), reposts=(), track=TrackRecord(stored.channel, 2.0, 2.0),
    )  # fmt: skip
    return replace(base, **changes)


def video(status: str = "done", copies: tuple[Appearance, ...] = (), **changes: Any) -> MediaCheck:
    return MediaCheck("a" * 64, status, None, copies, **changes)


def earlier(days: float, status: str = "pending", kind: str = "copy", match_id: int = 7,
            exact: bool = False) -> Appearance:  # fmt: skip
    match = Match("b" * 64, "a" * 64, kind, 0.97, (), "vpdq-1", status=status,  # type: ignore[arg-type]
                  id=match_id)  # fmt: skip
    return Appearance(90 + match_id, "old_channel", POSTED - timedelta(days=days), "b" * 64,
                      None if exact else match)  # fmt: skip


def other(claim_id: int, minutes: float = 0, channel: str = "sabreen") -> OtherClaim:
    return OtherClaim(claim_id, claim_id, channel, POSTED + timedelta(minutes=minutes))


def media_file(path: Path, sha: str = "a" * 64) -> MediaFile:
    return MediaFile(sha, "video", "video/mp4", 10, path, status="done")
