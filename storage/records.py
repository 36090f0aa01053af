"""The plain records every package speaks.

Collectors produce `Batch`es of `Post`s; the store turns them into stored rows and hands
back `StoredPost`, `MediaFile` and friends. No SQLAlchemy row, Telethon message or httpx
response ever crosses a package boundary: only these dataclasses do.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from claimwatch.phrase import Field, Phrase

Platform = Literal["telegram", "x"]
SourceName = Literal["telegram-web", "telegram", "x", "tg-export"]
MediaStatus = Literal["pending", "done", "failed", "skipped"]
MatchKind = Literal["copy", "same_scene"]
MatchStatus = Literal["pending", "recycled", "not_same", "legitimate"]
WeaponCategory = Literal["drone", "cruise_missile", "ballistic_missile", "rocket", "unspecified"]


@dataclass(frozen=True)
class Channel:
    """A Telegram channel or X account we watch.

    `since` bounds a first collection: nothing posted before it is fetched.
    """

    platform: Platform
    handle: str
    external_id: str | None = None
    title: str | None = None
    group: str | None = None
    since: datetime | None = None


# What the archive's columns hold: PostgreSQL's bigint (message ids, counts, alert ids),
# its integer (row ids, pixel sizes, alert categories) and the width of name columns
# (handles, group and area names). Values beyond them are refused, or dropped, where
# they are read, so the database never fails half-way through a batch.
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1
NAME_CHARS = 200


def possible_id(row_id: int) -> bool:
    """Whether a row could have this id: rows are numbered from 1 with integers, so a
    larger number, or one below 1, names no row (and the database would refuse it
    rather than find nothing). Numbers from addresses are checked before use."""
    return 0 < row_id <= INT_MAX


def mention(handle: str) -> str:
    """How texts name a channel: `@username`, or `channel 1862040145` for a Telegram channel
    known only by its numeric id (an export imported without `--channel`)."""
    return f"channel {handle}" if handle.lstrip("-").isdigit() else f"@{handle}"


def mentioned(handle: str) -> Phrase:
    """`mention` as a phrase: the handle a field, so it is shown isolated among other words."""
    return (f"channel {handle}",) if handle.lstrip("-").isdigit() else ("@", Field(handle))


# Telethon marks a channel's id as -(10**12 + id); the web preview shows -id, exports id.
MARKED_CHANNEL = 10**12
_WHOLE = re.compile(r"-?[0-9]+")


def canonical_channel_id(external_id: str | None) -> str | None:
    """The one form of a channel's id, so that ids from different sources can be compared.

    A Telegram channel reaches us as `-100<id>` (the API), `-<id>` (the web preview) or
    `<id>` (an export): all three give `<id>`. X user ids are positive and stay as they are.
    An id that is not a whole number is compared as it is.
    """
    if not external_id:
        return None
    if not _WHOLE.fullmatch(external_id):
        return external_id
    value = int(external_id)
    if value <= -MARKED_CHANNEL:
        return str(-value - MARKED_CHANNEL)
    return str(abs(value))


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
T = TypeVar("T")


def same_handle(a: str, b: str) -> bool:
    """Whether two handles name one channel.

    Telegram usernames and X handles ignore case (t.me/Sabreen_News is t.me/sabreen_news)
    and are made of ASCII letters, digits and _, so A-Z and a-z are taken as one letter.
    Every other character is compared exactly as written: a channel imported from an
    export without a username is named by its title (Arabic, or "Öl"), and folding those
    would follow Python's or a database's idea of case (ß, İ), which differ; this way
    "ÖL" and "Öl" are one channel, "Öl" and "öl" two, everywhere.
    """
    return handle_key(a) == handle_key(b)


def handle_key(handle: str) -> str:
    """`handle` as `same_handle` compares it: A-Z as a-z, every other character as written."""
    return handle.translate(_ASCII_LOWER)


def closest(items: Iterable[T], handle: str, spelling: Callable[[T], str]) -> T | None:
    """Of `items`, the one filed under `handle` in any case: the one spelled exactly so,
    else the first. Archives from before case was ignored may hold both spellings."""
    same = [item for item in items if same_handle(spelling(item), handle)]
    return next((item for item in same if spelling(item) == handle), same[0] if same else None)


@dataclass(frozen=True)
class MediaRef:
    """A media item attached to a post, as a collector delivers it.

    `path` is a local file ready to archive (the collector downloaded it, or it sits in an
    export folder); `missing` says why there is no file (not exported, too large, refused).
    """

    kind: str
    path: Path | None = None
    url: str | None = None
    file_name: str | None = None
    mime: str | None = None
    size: int | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    missing: str | None = None


@dataclass(frozen=True)
class Post:
    """One post (Telegram message or X post) exactly as the platform showed it."""

    platform: Platform
    channel: str
    message_id: int
    posted_at: datetime
    text: str
    source: SourceName
    url: str | None = None
    views: int | None = None
    forwards: int | None = None
    forwarded_from: str | None = None
    forwarded_from_id: str | None = None
    reply_to: int | None = None
    grouped_id: int | None = None
    edited_at: datetime | None = None
    author: str | None = None
    media: tuple[MediaRef, ...] = ()
    # A poll, place, contact or dice as JSON text (storage/attachments.py); None when the
    # post has none or its source cannot see it (the web preview).
    attachment: str | None = None


@dataclass(frozen=True)
class Checkpoint:
    """Where a source stopped on a channel; opaque to everyone but that source."""

    source: str
    channel: str
    value: str


@dataclass(frozen=True)
class Batch:
    """Posts of one channel and the checkpoint to store once they are committed."""

    channel: Channel
    posts: tuple[Post, ...]
    checkpoint: Checkpoint | None = None


@dataclass(frozen=True)
class IngestResult:
    """What storing a batch changed."""

    new_posts: int = 0
    new_revisions: int = 0
    unchanged: int = 0
    media_stored: int = 0
    media_missing: int = 0
    errors: tuple[str, ...] = ()

    def __add__(self, other: IngestResult) -> IngestResult:
        return IngestResult(
            self.new_posts + other.new_posts,
            self.new_revisions + other.new_revisions,
            self.unchanged + other.unchanged,
            self.media_stored + other.media_stored,
            self.media_missing + other.media_missing,
            self.errors + other.errors,
        )


@dataclass(frozen=True)
class MediaFile:
    """A media file in the content-addressed store."""

    sha256: str
    kind: str
    mime: str | None
    size: int
    path: Path
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    status: MediaStatus = "pending"
    error: str | None = None


@dataclass(frozen=True)
class Revision:
    """A version of a post's text and attachment; the first revision is the one first seen."""

    text: str
    seen_at: datetime
    edited_at: datetime | None
    attachment: str | None = None


@dataclass(frozen=True)
class StoredPost:
    """A post as archived, with its identity in the archive."""

    id: int
    post: Post
    first_seen_at: datetime
    deleted_at: datetime | None
    group: str | None = None
    media: tuple[MediaFile, ...] = ()
    revisions: tuple[Revision, ...] = field(default=())


@dataclass(frozen=True)
class Segment:
    """Seconds [a_start, a_end] of video a show what seconds [b_start, b_end] of b show."""

    a_start: float
    a_end: float
    b_start: float
    b_end: float


@dataclass(frozen=True)
class Fingerprint:
    """A video's perceptual fingerprint; `data` is media/'s serialised frame hashes."""

    sha256: str
    algorithm: str
    frame_count: int
    duration: float
    data: bytes


@dataclass(frozen=True)
class Match:
    """Two media files showing the same footage (`copy`) or the same scene (`same_scene`)."""

    a: str
    b: str
    kind: MatchKind
    similarity: float
    segments: tuple[Segment, ...]
    algorithm: str
    first_posted: str | None = None
    status: MatchStatus = "pending"
    id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class Alert:
    """One Home Front Command alert for one area."""

    rid: int
    time: datetime
    area: str
    category: int
    category_desc: str


@dataclass(frozen=True)
class Verdict:
    """An analyst's decision on a match or a claim."""

    target: Literal["match", "claim"]
    target_id: int
    reviewer: str
    decision: str
    note: str
    at: datetime


@dataclass(frozen=True)
class Target:
    """A place a claim names, resolved through the gazetteer."""

    name: str
    name_ar: str | None
    country: str | None
    lat: float | None
    lon: float | None
    alert_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weapon:
    category: WeaponCategory
    system: str | None = None


@dataclass(frozen=True)
class Extraction:
    """The structured claim in one post; `is_claim` is False for every other kind of post."""

    is_claim: bool
    group: str | None = None
    targets: tuple[Target, ...] = ()
    weapons: tuple[Weapon, ...] = ()
    claimed_date: date | None = None
    part_of_day: str | None = None
    operations: int | None = None
    vague_target: bool = False
    extractor: str = ""
    # The weekday as written ("Tuesday"), even when it does not fit claimed_date.
    stated_weekday: str | None = None
    language: str | None = None
    # The normalised phrases each field was read from, for the analyst to check.
    evidence: tuple[str, ...] = ()


ScoreLabel = Literal["corroborated", "plausible", "unverified", "doubtful", "likely false"]
FactorDirection = Literal["supports", "undermines", "neutral"]


@dataclass(frozen=True)
class EvidenceRef:
    """A link from a factor to what it rests on: `kind` is post, alert, match, claim or verdict.

    `ref` is that record's id (an alert's is "rid/area"); `label` says what it is in a line,
    each channel handle, alert area or reviewer name in it a field of its own.
    """

    kind: str
    ref: str
    label: Phrase


@dataclass(frozen=True)
class Factor:
    """One reason behind a score: `weight` is its signed share of the log-odds.

    `explanation` keeps each name from a channel or an analyst in it a field of its own.
    """

    name: str
    direction: FactorDirection
    weight: float
    explanation: Phrase
    evidence: tuple[EvidenceRef, ...] = ()


@dataclass(frozen=True)
class Score:
    """A claim's credibility as computed once; `inputs` records what it was computed from."""

    claim_id: int
    value: float
    label: ScoreLabel
    factors: tuple[Factor, ...]
    model_version: str
    inputs: dict[str, Any] = field(default_factory=dict)
    computed_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class StoredClaim:
    """An extracted post as stored: the post, its current text, extraction and latest score.

    `group` is the group the claim names, else the group its channel speaks for.
    """

    id: int
    post_id: int
    platform: Platform
    channel: str
    posted_at: datetime
    extraction: Extraction
    extracted_at: datetime
    text: str = ""
    group: str | None = None
    score: Score | None = None
