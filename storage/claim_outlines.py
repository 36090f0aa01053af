"""Claims in outline: what counting claims and weighing track records need, read cheaply.

A full `StoredClaim` carries its extraction, its current text and its latest score with
every factor and input, and a year of several channels holds tens of thousands of them:
reading them all took about 10 s. Track records, label counts and claim rates need none
of that, only when each claim was posted, where, its latest label and the outcome its
latest score recorded. One query reads that, the outcome picked out of the score's
inputs by the database, with no ORM objects and no full JSON to decode.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from storage.database import chunks
from storage.models import ChannelRow, ClaimRow, PostRow, RevisionRow, ScoreRow
from storage.records import Platform, StoredClaim


@dataclass(frozen=True)
class ClaimOutline:
    """A claim without its texts, extraction or score details.

    `outcome` is what the claim's latest score recorded of how it turned out
    (corroborated, recycled, checked against alerts), `{}` when it was never scored.
    """

    id: int
    post_id: int
    platform: Platform
    channel: str
    posted_at: datetime
    group: str | None = None
    label: str | None = None
    scored_at: datetime | None = None
    outcome: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, claim: StoredClaim) -> ClaimOutline:
        """The outline of a claim already read in full."""
        score = claim.score
        return cls(
            claim.id,
            claim.post_id,
            claim.platform,
            claim.channel,
            claim.posted_at,
            claim.group,
            score.label if score is not None else None,
            score.computed_at if score is not None else None,
            (score.inputs.get("outcome") or {}) if score is not None else {},
        )


@dataclass(frozen=True)
class CountedClaim:
    """What counting claims needs: when and where, the group, and the current text (group
    counts count one text posted the same day by several channels once)."""

    id: int
    posted_at: datetime
    channel: str
    group: str | None
    text: str


@dataclass(frozen=True)
class PostText:
    """A post's current text, as claim extraction reads it; `statement_at` is when the
    statement was first posted, for a forward of an archived post (storage/forwards.py)."""

    post_id: int
    channel: str
    posted_at: datetime
    text: str
    statement_at: datetime | None = None


# The parts of a score's inputs that tell whether it still holds (scoring/stale.py).
BASIS_INPUTS: tuple[str | tuple[str, ...], ...] = (
    "media",
    "verdicts",
    ("alerts", "history"),
    ("alerts", "start"),
    ("alerts", "end"),
    ("alerts", "areas"),
    ("alerts", "found"),
    ("alerts", "covered"),
    ("alerts", "base_covered"),
    "track",
    "outcome",
)


@dataclass(frozen=True)
class ScoreBasis:
    """A claim in outline with what its latest score rested on, to tell whether it needs
    scoring again: the claimed date and part of day (its alert search window), the model
    version (None: never scored) and the BASIS_INPUTS of its score's inputs."""

    outline: ClaimOutline
    claimed_date: date | None
    part_of_day: str | None
    model_version: str | None
    inputs: Mapping[str, Any]

    @property
    def id(self) -> int:
        return self.outline.id


@dataclass(frozen=True)
class ScoredOutcome:
    """The outcome one stored score recorded, and when it was computed."""

    computed_at: datetime
    outcome: Mapping[str, Any]


def outlines(
    session: Session,
    channels: Collection[tuple[str, str]] | None = None,
    until: datetime | None = None,
) -> list[ClaimOutline]:
    """Claims (of these (platform, handle) channels, posted before `until`), oldest first."""
    query = _outline_query()
    if channels is not None:
        named = [and_(ChannelRow.platform == p, ChannelRow.handle == h) for p, h in channels]
        query = query.where(or_(false(), *named))
    if until is not None:
        query = query.where(PostRow.posted_at < until)
    return [_outline(row) for row in session.execute(query)]


def counted(
    session: Session, since: datetime | None = None, until: datetime | None = None
) -> list[CountedClaim]:
    """Claims posted from `since` until before `until`, with their current texts, oldest
    first. Counting needs no score, so none is read."""
    query = (
        select(
            ClaimRow.id,
            ClaimRow.post_id,
            PostRow.posted_at,
            ChannelRow.handle,
            ClaimRow.group_name,
            ChannelRow.group_name,
            PostRow.text,
        )
        .join(PostRow, PostRow.id == ClaimRow.post_id)
        .join(ChannelRow, ChannelRow.id == PostRow.channel_id)
        .where(ClaimRow.is_claim.is_(True))
        .order_by(PostRow.posted_at, ClaimRow.id)
    )
    if since is not None:
        query = query.where(PostRow.posted_at >= since)
    if until is not None:
        query = query.where(PostRow.posted_at < until)
    rows = session.execute(query).all()
    revised = revised_texts(session, [row.post_id for row in rows])
    return [
        CountedClaim(
            claim_id,
            posted_at,
            handle,
            claimed_group or channel_group,
            revised.get(post_id, first_text),
        )
        for claim_id, post_id, posted_at, handle, claimed_group, channel_group, first_text in rows
    ]


def current_texts(session: Session, post_ids: Collection[int]) -> dict[int, PostText]:
    """Each post's current text: its newest revision, else the text first seen."""
    found: dict[int, PostText] = {}
    for part in chunks(list(post_ids)):
        query = (
            select(PostRow.id, ChannelRow.handle, PostRow.posted_at, PostRow.text)
            .join(ChannelRow, ChannelRow.id == PostRow.channel_id)
            .where(PostRow.id.in_(part))
        )
        for post_id, handle, posted_at, text in session.execute(query):
            found[post_id] = PostText(post_id, handle, posted_at, text)
    revised = revised_texts(session, list(found))
    return {
        post_id: replace(post, text=revised[post_id]) if post_id in revised else post
        for post_id, post in found.items()
    }


def revised_texts(session: Session, post_ids: list[int]) -> dict[int, str]:
    """The text of the newest revision of each of these posts that has one (a post's
    current text: this, else the text first seen)."""
    texts: dict[int, str] = {}
    for part in chunks(post_ids):
        newest = (
            select(func.max(RevisionRow.id))
            .where(RevisionRow.post_id.in_(part))
            .group_by(RevisionRow.post_id)
        )
        query = select(RevisionRow.post_id, RevisionRow.text).where(RevisionRow.id.in_(newest))
        texts.update((post_id, text) for post_id, text in session.execute(query))
    return texts


def score_bases(session: Session) -> list[ScoreBasis]:
    """Every claim in outline with what its latest score rested on, oldest first."""
    query = _outline_query().add_columns(
        ClaimRow.claimed_date,
        ClaimRow.part_of_day,
        ScoreRow.model_version,
        *(ScoreRow.inputs[path] for path in BASIS_INPUTS),
    )
    bases = []
    for row in session.execute(query):
        claimed_date, part_of_day, version, *parts = row[len(_OUTLINE_COLUMNS) :]
        inputs: dict[str, Any] = {}
        for path, value in zip(BASIS_INPUTS, parts, strict=True):
            if value is not None:
                _put(inputs, path, value)
        bases.append(ScoreBasis(_outline(row), claimed_date, part_of_day, version, inputs))
    return bases


def _outline_query() -> Select[Any]:
    latest = (
        select(ScoreRow.claim_id, func.max(ScoreRow.id).label("score_id"))
        .group_by(ScoreRow.claim_id)
        .subquery()
    )
    return (
        select(*_OUTLINE_COLUMNS)
        .join(PostRow, PostRow.id == ClaimRow.post_id)
        .join(ChannelRow, ChannelRow.id == PostRow.channel_id)
        .outerjoin(latest, latest.c.claim_id == ClaimRow.id)
        .outerjoin(ScoreRow, ScoreRow.id == latest.c.score_id)
        .where(ClaimRow.is_claim.is_(True))
        .order_by(PostRow.posted_at, ClaimRow.id)
    )


_OUTLINE_COLUMNS = (
    ClaimRow.id,
    ClaimRow.post_id,
    ChannelRow.platform,
    ChannelRow.handle,
    PostRow.posted_at,
    ClaimRow.group_name,
    ChannelRow.group_name,
    ScoreRow.label,
    ScoreRow.computed_at,
    ScoreRow.inputs["outcome"],
)


def _outline(row: Row[Any]) -> ClaimOutline:
    (
        claim_id, post_id, platform, handle, posted_at, claimed_group, channel_group,
        label, scored_at, outcome,
    ) = row[: len(_OUTLINE_COLUMNS)]  # fmt: skip
    return ClaimOutline(
        id=claim_id,
        post_id=post_id,
        platform=platform,
        channel=handle,
        posted_at=posted_at,
        group=claimed_group or channel_group,
        label=label,
        scored_at=scored_at,
        outcome=_recorded(outcome),
    )


def _recorded(outcome: Any) -> Mapping[str, Any]:
    """The outcome picked out of a score's inputs ({} when it has none)."""
    return outcome if isinstance(outcome, dict) else {}


def _put(inputs: dict[str, Any], path: str | tuple[str, ...], value: Any) -> None:
    """Set `value` at `path` (a key, or keys of nested objects) in `inputs`."""
    keys = (path,) if isinstance(path, str) else path
    for key in keys[:-1]:
        inputs = inputs.setdefault(key, {})
    inputs[keys[-1]] = value


def outcome_history(session: Session, claim_ids: Collection[int]) -> dict[int, list[ScoredOutcome]]:
    """Every stored score of these claims as (when, recorded outcome), oldest first."""
    found: dict[int, list[ScoredOutcome]] = {claim_id: [] for claim_id in claim_ids}
    for part in chunks(list(found)):
        query: Select[Any] = (
            select(ScoreRow.claim_id, ScoreRow.computed_at, ScoreRow.inputs["outcome"])
            .where(ScoreRow.claim_id.in_(part))
            .order_by(ScoreRow.claim_id, ScoreRow.id)
        )
        for claim_id, computed_at, outcome in session.execute(query):
            found[claim_id].append(ScoredOutcome(computed_at, _recorded(outcome)))
    return found
