"""Which claims may score differently now than when they were last scored.

The scoring job runs every few minutes; recomputing every claim each time would cost
minutes on a large archive. These queries find, in a few statements, the claims whose
evidence in the database changed after their latest score: never scored, extracted
again, edited or deleted post, a new verdict on the claim, a new or re-decided match on
its footage, or footage whose processing state changed.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    ClaimRow,
    MatchRow,
    MediaRow,
    PostMediaRow,
    PostRow,
    RevisionRow,
    ScoreRow,
    VerdictRow,
)
from storage.post_media import FINGERPRINTED_KINDS

MediaState = frozenset[tuple[str, str]]


def changed_since_scored(session: Session) -> set[int]:
    """Claims never scored, or whose claim, post, verdicts or matches changed since."""
    latest = (
        select(ScoreRow.claim_id, func.max(ScoreRow.id).label("score_id"))
        .group_by(ScoreRow.claim_id)
        .subquery()
    )
    scored_at = ScoreRow.computed_at
    edited = exists().where(
        RevisionRow.post_id == ClaimRow.post_id, RevisionRow.seen_at > scored_at
    )
    judged = exists().where(
        VerdictRow.target_type == "claim", VerdictRow.target_id == ClaimRow.id,
        VerdictRow.at > scored_at,
    )  # fmt: skip
    matched = exists().where(
        PostMediaRow.post_id == ClaimRow.post_id,
        or_(MatchRow.a_sha256 == PostMediaRow.media_sha256,
            MatchRow.b_sha256 == PostMediaRow.media_sha256),
        MatchRow.updated_at > scored_at,
    )  # fmt: skip
    query = (
        select(ClaimRow.id)
        .join(PostRow, PostRow.id == ClaimRow.post_id)
        .outerjoin(latest, latest.c.claim_id == ClaimRow.id)
        .outerjoin(ScoreRow, ScoreRow.id == latest.c.score_id)
        .where(ClaimRow.is_claim.is_(True))
        .where(
            or_(
                ScoreRow.id.is_(None),
                ClaimRow.created_at > scored_at,
                and_(PostRow.deleted_at.isnot(None), PostRow.deleted_at > scored_at),
                edited,
                judged,
                matched,
            )
        )
    )
    return set(session.scalars(query))


def media_states(session: Session) -> dict[int, MediaState]:
    """Each claim's archived photos and videos as (sha256, processing status) pairs."""
    query = (
        select(ClaimRow.id, MediaRow.sha256, MediaRow.status)
        .join(PostMediaRow, PostMediaRow.post_id == ClaimRow.post_id)
        .join(MediaRow, MediaRow.sha256 == PostMediaRow.media_sha256)
        .where(ClaimRow.is_claim.is_(True), PostMediaRow.kind.in_(FINGERPRINTED_KINDS))
    )
    found: dict[int, set[tuple[str, str]]] = {}
    for claim_id, sha256, status in session.execute(query):
        found.setdefault(claim_id, set()).add((sha256, status))
    return {claim_id: frozenset(pairs) for claim_id, pairs in found.items()}
