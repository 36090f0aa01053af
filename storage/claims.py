"""Extracted claims, the history of their scores, and analysts' verdicts on them.

One claims row per extracted post (also posts that are not claims, so they are not
extracted again); `created_at` is when its current extraction was made. Scores are
append-only: a row is added only when a score differs from the claim's latest one, so the
history shows when and why a score moved. Verdicts on claims are read straight from the
verdicts table (the review page writes them).
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from storage import claim_changes, claim_outlines, forwards
from storage.channels import named_ids
from storage.claim_changes import MediaState
from storage.claim_json import extraction_json, extraction_record, factors_json, factors_record
from storage.claim_outlines import (
    ClaimOutline,
    CountedClaim,
    PostText,
    ScoreBasis,
    ScoredOutcome,
)
from storage.database import chunks
from storage.models import (
    ChannelRow,
    ClaimRow,
    PostMediaRow,
    PostRow,
    RevisionRow,
    ScoreRow,
    VerdictRow,
)
from storage.records import Extraction, Score, StoredClaim, Verdict, possible_id
from storage.timeutil import utcnow


class Claims:
    """Claims extracted from posts, their scores over time, and verdicts on them."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def save(self, post_id: int, extraction: Extraction) -> int:
        """Store the extraction of a post, replacing an earlier one; returns the claim id."""
        return self.save_many([(post_id, extraction)])[0]

    def save_many(
        self, extracted: Sequence[tuple[int, Extraction]], read_at: datetime | None = None
    ) -> builtins.list[int]:
        """Store these posts' extractions in one transaction; returns their claim ids.

        `read_at` is when their texts were read: an edit seen after it makes the post due
        for extraction again (default: now).
        """
        with self._sessions.begin() as session:
            posts = [post_id for post_id, _ in extracted]
            rows = {
                row.post_id: row
                for part in chunks(posts)
                for row in session.scalars(select(ClaimRow).where(ClaimRow.post_id.in_(part)))
            }
            now = read_at or utcnow()
            for post_id, extraction in extracted:
                row = rows.get(post_id)
                if row is None:
                    row = rows[post_id] = ClaimRow(post_id=post_id)
                    session.add(row)
                _fill(row, extraction, now)
            session.flush()
            return [rows[post_id].id for post_id in posts]

    def texts(self, post_ids: Collection[int]) -> dict[int, PostText]:
        """Each post's current text: its newest revision, else the text first seen; and a
        forward's original posting time when the archive holds the original."""
        with self._sessions() as session:
            texts = claim_outlines.current_texts(session, post_ids)
            origins = forwards.originals(session, list(texts))
        return {
            post_id: replace(text, statement_at=origins[post_id]) if post_id in origins else text
            for post_id, text in texts.items()
        }

    def forwards_of(self, post_ids: Collection[int]) -> set[int]:
        """The archived forwards of these posts (read again once their original is here)."""
        with self._sessions() as session:
            return forwards.forwards_of(session, post_ids)

    def posts_to_extract(
        self, extractor: str, post_ids: Collection[int] | None = None
    ) -> list[int]:
        """Posts never extracted, extracted by another extractor version, or edited since."""
        edited_since = (
            select(RevisionRow.id)
            .where(RevisionRow.post_id == PostRow.id, RevisionRow.seen_at > ClaimRow.created_at)
            .exists()
        )
        query = (
            select(PostRow.id)
            .outerjoin(ClaimRow, ClaimRow.post_id == PostRow.id)
            .where(or_(ClaimRow.id.is_(None), ClaimRow.extractor != extractor, edited_since))
            .order_by(PostRow.posted_at, PostRow.id)
        )
        if post_ids is not None:
            query = query.where(PostRow.id.in_(list(post_ids)))
        with self._sessions() as session:
            return list(session.scalars(query))

    def get(self, claim_id: int) -> StoredClaim | None:
        if not possible_id(claim_id):
            return None
        found = self._query(_base().where(ClaimRow.id == claim_id))
        return found[0] if found else None

    def for_post(self, post_id: int) -> StoredClaim | None:
        if not possible_id(post_id):
            return None
        found = self._query(_base().where(ClaimRow.post_id == post_id))
        return found[0] if found else None

    def list(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        channel: str | None = None,
        label: str | None = None,
        ids: Collection[int] | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = True,
    ) -> builtins.list[StoredClaim]:
        """Claims (posts extracted as claims) with their latest score, filtered."""
        query = _base().where(ClaimRow.is_claim.is_(True))
        if since is not None:
            query = query.where(PostRow.posted_at >= since)
        if until is not None:
            query = query.where(PostRow.posted_at < until)
        if channel is not None:
            with self._sessions() as session:
                query = query.where(ChannelRow.id.in_(named_ids(session, channel)))
        if ids is not None:
            query = query.where(ClaimRow.id.in_(list(ids)))
        if label is not None:
            latest = _latest_score_ids().subquery()
            query = query.join(ScoreRow, ScoreRow.claim_id == ClaimRow.id).where(
                ScoreRow.id.in_(select(latest.c.id)), ScoreRow.label == label
            )
        order = (
            (PostRow.posted_at.desc(), ClaimRow.id.desc())
            if newest_first
            else (PostRow.posted_at, ClaimRow.id)
        )
        query = query.order_by(*order).offset(offset)
        return self._query(query.limit(limit) if limit else query)

    def ids_for_posts(self, post_ids: Collection[int]) -> builtins.list[int]:
        """Claims extracted from these posts, in id order."""
        found: builtins.list[int] = []
        with self._sessions() as session:
            for part in chunks(sorted(set(post_ids))):
                query = select(ClaimRow.id).where(
                    ClaimRow.post_id.in_(part), ClaimRow.is_claim.is_(True)
                )
                found += session.scalars(query)
        return sorted(found)

    def ids_for_media(self, sha256: str) -> builtins.list[int]:
        """Claims whose post carries the media file `sha256`."""
        query = (
            select(ClaimRow.id)
            .join(PostMediaRow, PostMediaRow.post_id == ClaimRow.post_id)
            .where(PostMediaRow.media_sha256 == sha256, ClaimRow.is_claim.is_(True))
            .order_by(ClaimRow.id)
        )
        with self._sessions() as session:
            return list(dict.fromkeys(session.scalars(query)))

    def add_score(self, score: Score) -> bool:
        """Append `score` unless it equals the claim's latest score; True when appended."""
        return self.add_scores([score]) == 1

    def add_scores(self, scores: Collection[Score]) -> int:
        """Append each score that differs from its claim's latest one; how many were added."""
        added = 0
        pending = builtins.list(scores)
        for start in range(0, len(pending), 500):
            part = pending[start : start + 500]
            with self._sessions.begin() as session:
                latest = _latest_scores(session, [s.claim_id for s in part])
                for score in part:
                    previous = latest.get(score.claim_id)
                    if previous is not None and _signature(previous) == _signature(score):
                        continue
                    session.add(_score_row(score))
                    latest[score.claim_id] = score
                    added += 1
        return added

    def history(self, claim_id: int) -> builtins.list[Score]:
        """Every score the claim has had, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ScoreRow).where(ScoreRow.claim_id == claim_id).order_by(ScoreRow.id)
            )
            return [_score_record(row) for row in rows]

    def verdicts(self, claim_ids: Collection[int]) -> dict[int, builtins.list[Verdict]]:
        """Analysts' verdicts on these claims, oldest first."""
        found: dict[int, builtins.list[Verdict]] = {claim_id: [] for claim_id in claim_ids}
        with self._sessions() as session:
            for part in chunks(builtins.list(found)):
                query = (
                    select(VerdictRow)
                    .where(VerdictRow.target_type == "claim", VerdictRow.target_id.in_(part))
                    .order_by(VerdictRow.at, VerdictRow.id)
                )
                for row in session.scalars(query):
                    found[row.target_id].append(
                        Verdict(
                            "claim", row.target_id, row.reviewer, row.decision, row.note, row.at
                        )
                    )
        return found

    def outlines(
        self, channels: Collection[tuple[str, str]] | None = None, until: datetime | None = None
    ) -> builtins.list[ClaimOutline]:
        """Claims in outline (storage/claim_outlines.py), oldest first."""
        with self._sessions() as session:
            return claim_outlines.outlines(session, channels, until)

    def counted(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> builtins.list[CountedClaim]:
        """Claims posted in [since, until) as counting needs them, oldest first."""
        with self._sessions() as session:
            return claim_outlines.counted(session, since, until)

    def score_bases(self) -> builtins.list[ScoreBasis]:
        """Every claim in outline with what its latest score rested on, oldest first."""
        with self._sessions() as session:
            return claim_outlines.score_bases(session)

    def outcome_history(
        self, claim_ids: Collection[int]
    ) -> dict[int, builtins.list[ScoredOutcome]]:
        """Every stored score of these claims as (when, recorded outcome), oldest first."""
        with self._sessions() as session:
            return claim_outlines.outcome_history(session, claim_ids)

    def changed_since_scored(self) -> set[int]:
        """Claims never scored, or whose claim, post, verdicts or matches changed since."""
        with self._sessions() as session:
            return claim_changes.changed_since_scored(session)

    def media_states(self) -> dict[int, MediaState]:
        """Each claim's archived photos and videos as (sha256, processing status) pairs."""
        with self._sessions() as session:
            return claim_changes.media_states(session)

    def counts(self) -> dict[str, Any]:
        """Extracted posts, claims, scored claims and claims per latest label."""
        with self._sessions() as session:
            latest = _latest_score_ids().subquery()
            labels = session.execute(
                select(ScoreRow.label, func.count())
                .where(ScoreRow.id.in_(select(latest.c.id)))
                .group_by(ScoreRow.label)
            )
            return {
                "extracted_posts": session.scalar(select(func.count(ClaimRow.id))) or 0,
                "claims": session.scalar(
                    select(func.count(ClaimRow.id)).where(ClaimRow.is_claim.is_(True))
                )
                or 0,
                "score_rows": session.scalar(select(func.count(ScoreRow.id))) or 0,
                "labels": {label: count for label, count in labels},
            }

    def _query(self, query: Select[ClaimRow, PostRow, ChannelRow]) -> builtins.list[StoredClaim]:
        with self._sessions() as session:
            rows = session.execute(query).all()
            scores = _latest_scores(session, [claim.id for claim, _, _ in rows])
            texts = _current_texts(session, [post for _, post, _ in rows])
            return [
                _claim_record(claim, post, channel, texts[post.id], scores.get(claim.id))
                for claim, post, channel in rows
            ]


def _fill(row: ClaimRow, extraction: Extraction, now: datetime) -> None:
    row.extractor, row.is_claim = extraction.extractor, extraction.is_claim
    row.group_name, row.claimed_date = extraction.group, extraction.claimed_date
    row.part_of_day, row.operations = extraction.part_of_day, extraction.operations
    row.vague_target = extraction.vague_target
    row.extraction, row.created_at = extraction_json(extraction), now


def _base() -> Select[ClaimRow, PostRow, ChannelRow]:
    return (
        select(ClaimRow, PostRow, ChannelRow)
        .join(PostRow, PostRow.id == ClaimRow.post_id)
        .join(ChannelRow, ChannelRow.id == PostRow.channel_id)
    )


def _latest_score_ids() -> Select[int]:
    return select(func.max(ScoreRow.id).label("id")).group_by(ScoreRow.claim_id)


def _latest_scores(session: Session, claim_ids: builtins.list[int]) -> dict[int, Score]:
    scores: dict[int, Score] = {}
    for part in chunks(claim_ids):
        latest = (
            select(func.max(ScoreRow.id))
            .where(ScoreRow.claim_id.in_(part))
            .group_by(ScoreRow.claim_id)
        )
        for row in session.scalars(select(ScoreRow).where(ScoreRow.id.in_(latest))):
            scores[row.claim_id] = _score_record(row)
    return scores


def _current_texts(session: Session, posts: builtins.list[PostRow]) -> dict[int, str]:
    """Each post's latest text: its newest revision, else the text first seen."""
    texts = {post.id: post.text for post in posts}
    texts.update(claim_outlines.revised_texts(session, builtins.list(texts)))
    return texts


def _claim_record(
    claim: ClaimRow, post: PostRow, channel: ChannelRow, text: str, score: Score | None
) -> StoredClaim:
    extraction = extraction_record(claim.extraction)
    return StoredClaim(
        id=claim.id,
        post_id=post.id,
        platform=channel.platform,  # type: ignore[arg-type]
        channel=channel.handle,
        posted_at=post.posted_at,
        extraction=extraction,
        extracted_at=claim.created_at,
        text=text,
        group=extraction.group or channel.group_name,
        score=score,
    )


def _score_row(score: Score) -> ScoreRow:
    return ScoreRow(
        claim_id=score.claim_id,
        value=score.value,
        label=score.label,
        factors=factors_json(score.factors),
        inputs=dict(score.inputs),
        model_version=score.model_version,
        computed_at=score.computed_at or utcnow(),
    )


def _score_record(row: ScoreRow) -> Score:
    return Score(
        claim_id=row.claim_id,
        value=row.value,
        label=row.label,  # type: ignore[arg-type]
        factors=factors_record(row.factors),
        model_version=row.model_version,
        inputs=dict(row.inputs),
        computed_at=row.computed_at,
        id=row.id,
    )


def _signature(score: Score) -> tuple[Any, ...]:
    """What makes two scores the same for the history: value, label, factors, model."""
    factors = tuple(
        (f.name, f.direction, round(f.weight, 2), tuple((e.kind, e.ref) for e in f.evidence))
        for f in score.factors
    )
    return (round(score.value, 1), score.label, factors, score.model_version)
