"""Channels whose track record moved most during the digest's 24 hours.

A channel's track record is the scoring model's own (scoring/track_record.py): a Beta
prior updated by how its claims turned out - analysts' verdicts, and the corroboration or
confirmed recycling each claim's latest score recorded. It is computed twice, with what
was known at the start and at the end of the 24 hours, and the biggest moves are shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from config.settings import ScoringSettings
from digest.content import TrackMove
from scoring import decisions
from scoring.case import TrackRecord
from scoring.track_record import Outcome, recorded_outcome, track_record
from storage import Store
from storage.claim_outlines import ClaimOutline, ScoredOutcome
from storage.records import Verdict

SHOWN = 6
NOTICEABLE = 0.005  # half a percentage point


def track_moves(
    store: Store, settings: ScoringSettings, start: datetime, end: datetime
) -> list[TrackMove]:
    """The channels whose record moved by more than NOTICEABLE, biggest move first."""
    claims = store.claims.outlines(until=end)
    verdicts = store.claims.verdicts([c.id for c in claims])
    # Claims re-scored since `start`: what their scores recorded before, read at once.
    history = store.claims.outcome_history(
        [c.id for c in claims if c.scored_at is not None and c.scored_at >= start]
    )
    by_channel: dict[tuple[str, str], list[ClaimOutline]] = defaultdict(list)
    for claim in claims:
        by_channel[claim.platform, claim.channel].append(claim)
    moves = []
    for (_, channel), own in by_channel.items():
        before = _record(channel, own, verdicts, history, start, settings)
        after = _record(channel, own, verdicts, history, end, settings)
        if abs(after.mean - before.mean) > NOTICEABLE:
            judged = after.confirmed + after.false + after.corroborated + after.recycled
            judged += after.uncorroborated
            moves.append(TrackMove(channel, before.mean, after.mean, judged))
    moves.sort(key=lambda m: (-abs(m.after - m.before), m.channel))
    return moves[:SHOWN]


def _record(
    channel: str,
    claims: Sequence[ClaimOutline],
    verdicts: dict[int, list[Verdict]],
    history: dict[int, list[ScoredOutcome]],
    moment: datetime,
    settings: ScoringSettings,
) -> TrackRecord:
    """The channel's record with only what was known before `moment`."""
    outcomes: dict[int, Outcome] = {}
    for claim in claims:
        if claim.posted_at >= moment:
            continue
        judged = decisions.judgement([v for v in verdicts.get(claim.id, []) if v.at < moment])
        recorded = _outcome_before(claim, history, moment)
        outcomes[claim.id] = recorded_outcome(recorded, judged)
    return track_record(channel, outcomes, exclude=-1, settings=settings)


def _outcome_before(
    claim: ClaimOutline, history: dict[int, list[ScoredOutcome]], moment: datetime
) -> Mapping[str, Any]:
    """The outcome recorded by the claim's last score computed before `moment`."""
    if claim.scored_at is None or claim.scored_at < moment:
        return claim.outcome
    earlier = [s for s in history.get(claim.id, []) if s.computed_at < moment]
    return earlier[-1].outcome if earlier else {}
