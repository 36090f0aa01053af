"""Provenance factors: edits and deletions of the post, and claims first seen elsewhere.

The archive keeps every version of a post, so an edit is evidence we can show: a claim
whose text changed after publication, or that its channel deleted, is weaker. A claim
whose text was posted earlier on another channel (or that is a forward) is a re-post:
its credibility is the original's, and the original is linked.
"""

from __future__ import annotations

from claimwatch.phrase import Field
from config.settings import ScoringSettings
from scoring.case import ClaimCase, Signal
from storage.records import EvidenceRef, mentioned


def signals(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    return [*_edited(case), *_deleted(case), *_repost(case)]


def _post_ref(case: ClaimCase) -> EvidenceRef:
    return EvidenceRef("post", str(case.post.id), (*mentioned(case.claim.channel), ", this post"))


def _edited(case: ClaimCase) -> list[Signal]:
    versions = len(case.post.revisions)
    if versions > 1:
        last = case.post.revisions[-1]
        return [
            Signal(
                "edited",
                1.0,
                (
                    f"The text was changed after posting ({versions} versions, the latest "
                    f"seen {last.seen_at:%Y-%m-%d %H:%M} UTC); the first text is kept.",
                ),
                (_post_ref(case),),
            )
        ]
    if case.post.post.edited_at is not None:
        return [
            Signal(
                "edited",
                0.5,
                (
                    f"The platform marks the post edited on "
                    f"{case.post.post.edited_at:%Y-%m-%d} (its text is unchanged).",
                ),
                (_post_ref(case),),
            )
        ]
    return []


def _deleted(case: ClaimCase) -> list[Signal]:
    if case.post.deleted_at is None:
        return []
    return [
        Signal(
            "deleted",
            1.0,
            (
                f"The channel deleted the post (gone since {case.post.deleted_at:%Y-%m-%d}); "
                "the archive keeps it.",
            ),
            (_post_ref(case),),
        )
    ]


def _repost(case: ClaimCase) -> list[Signal]:
    if case.reposts:
        first = case.reposts[0]
        return [
            Signal(
                "repost",
                1.0,
                (
                    "The same text was posted earlier by ",
                    *mentioned(first.channel),
                    f" ({first.posted_at:%Y-%m-%d %H:%M} UTC): this is a re-post.",
                ),
                tuple(other.evidence() for other in case.reposts[:5]),
            )
        ]
    source = case.post.post.forwarded_from
    if source:
        text = ("Forwarded from ", Field(source), ": a re-post, not the original.")
        return [Signal("repost", 1.0, text)]
    return []
