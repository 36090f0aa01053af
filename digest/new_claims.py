"""Each new claim as the digest lists it: time, channel, an English gist, its score and
the two factors that weighed most, and a link to its page on the review site."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from digest.content import ClaimLine
from review.describe import Summary, describe
from scoring.model import top_reasons
from storage.records import StoredClaim


def claim_lines(claims: Sequence[StoredClaim], review_url: str) -> list[ClaimLine]:
    """`claims` in the order given, as digest lines."""
    return [_line(claim, review_url) for claim in claims]


def _line(claim: StoredClaim, review_url: str) -> ClaimLine:
    score = claim.score
    return ClaimLine(
        id=claim.id,
        posted_at=claim.posted_at,
        channel=claim.channel,
        group=claim.group,
        gist=gist(claim),
        text=claim.text,
        score=score.value if score else None,
        label=score.label if score else None,
        reasons=tuple(f.explanation for f in top_reasons(score)) if score else (),
        url=f"{review_url}/claims/{claim.id}" if review_url else "",
    )


def gist(claim: StoredClaim) -> Summary:
    """The claim in one line of English, naming the channel's group when the post does not."""
    extraction = claim.extraction
    return describe(dataclasses.replace(extraction, group=extraction.group or claim.group))
