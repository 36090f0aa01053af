"""An analyst's decision on a match or a claim: recorded, applied, and the scores redone.

A match decision appends a verdict (who, what, when, why), sets the match's review status
and re-scores every claim whose post carries either file, since recycled footage weighs
on a claim's credibility. A later decision reverses an earlier one; the history stays.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from claimwatch.errors import ClaimwatchError, InputError
from config.settings import Settings
from scoring.decisions import CLAIM_DECISIONS
from scoring.pipeline import claims_for_media, rescore
from storage import Store
from storage.records import MatchStatus, Verdict
from storage.timeutil import utcnow

MATCH_DECISIONS: dict[str, MatchStatus] = {
    "recycled": "recycled",
    "not_same": "not_same",
    "legitimate": "legitimate",
    "reopen": "pending",
}
MAX_NOTE = 2000
log = logging.getLogger(__name__)


class NotFoundError(InputError):
    """The match or claim a decision names does not exist."""


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    claim_ids: tuple[int, ...]
    rescore_error: str | None = None


def decide_match(
    store: Store, settings: Settings, match_id: int, decision: str, reviewer: str, note: str
) -> Outcome:
    """Record `decision` on match `match_id` and re-score the claims it touches."""
    if decision not in MATCH_DECISIONS:
        raise InputError(f"unknown decision {decision!r}: use one of {', '.join(MATCH_DECISIONS)}")
    match = store.matches.get(match_id)
    if match is None:
        raise NotFoundError(f"there is no match {match_id}")
    verdict = store.verdicts.add(
        Verdict("match", match_id, reviewer, decision, _note(note), utcnow())
    )
    store.matches.set_status(match_id, MATCH_DECISIONS[decision])
    claim_ids = tuple(
        dict.fromkeys(claims_for_media(store, match.a) + claims_for_media(store, match.b))
    )
    return Outcome(verdict, claim_ids, _rescore(store, settings, claim_ids))


def decide_claim(
    store: Store, settings: Settings, claim_id: int, decision: str, reviewer: str, note: str
) -> Outcome:
    """Record `decision` on claim `claim_id` and re-score it."""
    if decision not in CLAIM_DECISIONS:
        raise InputError(f"unknown decision {decision!r}: use one of {', '.join(CLAIM_DECISIONS)}")
    if store.claims.get(claim_id) is None:
        raise NotFoundError(f"there is no claim {claim_id}")
    verdict = store.verdicts.add(
        Verdict("claim", claim_id, reviewer, decision, _note(note), utcnow())
    )
    return Outcome(verdict, (claim_id,), _rescore(store, settings, (claim_id,)))


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InputError(f"the note is {len(note)} characters long; keep it under {MAX_NOTE}")
    return note


def _rescore(store: Store, settings: Settings, claim_ids: tuple[int, ...]) -> str | None:
    """Re-score now; a failure is recorded for the operator and shown, the verdict stays."""
    if not claim_ids:
        return None
    try:
        errors = rescore(store, settings, list(claim_ids)).errors
    except ClaimwatchError as exc:
        errors = (str(exc),)
    if not errors:
        return None
    message = f"re-scoring failed: {'; '.join(errors)}"
    log.error("%s", message)
    store.status.failure("review", "rescore", message)
    return message
