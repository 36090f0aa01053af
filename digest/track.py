"""Channels whose track record moved most during the digest's 24 hours.

A channel's track record is the scoring model's own (scoring/track_record.py): a Beta
prior updated by how its claims turned out - analysts' verdicts, and the corroboration or
confirmed recycling each claim's latest score recorded. It is computed twice, with what
was known at the start and at the end of the 24 hours, and the biggest moves are shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from config.settings import ScoringSettings
from digest.content import TrackMove
from scoring import decisions
from scoring.case import TrackRecord
from scoring.track_record import Outcome, outcome_from_inputs, track_record
from storage import Store
from storage.records import Score, StoredClaim, Verdict

SHOWN = 6
NOTICEABLE = 0.005  # half a percentage point


def track_moves(
    store: Store, settings: ScoringSettings, start: datetime, end: datetime
) -> list[TrackMove]:
    """The channels whose record moved by more than NOTICEABLE, biggest move first."""
    claims = store.claims.list(until=end, newest_first=False)
    verdicts = store.claims.verdicts([c.id for c in claims])
    by_channel: dict[str, list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        by_channel[claim.channel].append(claim)
    moves = []
    for channel, own in by_channel.items():
        before = _record(store, channel, own, verdicts, start, settings)
        after = _record(store, channel, own, verdicts, end, settings)
        if abs(after.mean - before.mean) > NOTICEABLE:
            judged = after.confirmed + after.false + after.corroborated + after.recycled
            judged += after.uncorroborated
            moves.append(TrackMove(channel, before.mean, after.mean, judged))
    moves.sort(key=lambda m: (-abs(m.after - m.before), m.channel))
    return moves[:SHOWN]


def _record(
    store: Store,
    channel: str,
    claims: Sequence[StoredClaim],
    verdicts: dict[int, list[Verdict]],
    moment: datetime,
    settings: ScoringSettings,
) -> TrackRecord:
    """The channel's record with only what was known before `moment`."""
    outcomes: dict[int, Outcome] = {}
    for claim in claims:
        if claim.posted_at >= moment:
            continue
        judged = decisions.judgement([v for v in verdicts.get(claim.id, []) if v.at < moment])
        score = _score_before(store, claim, moment)
        outcomes[claim.id] = outcome_from_inputs(score.inputs if score else {}, judged)
    return track_record(channel, outcomes, exclude=-1, settings=settings)


def _score_before(store: Store, claim: StoredClaim, moment: datetime) -> Score | None:
    latest = claim.score
    if latest is None or (latest.computed_at is not None and latest.computed_at < moment):
        return latest
    # The score changed since: look back in its history (rare, so one query each).
    history = store.claims.history(claim.id)
    earlier = [s for s in history if s.computed_at is not None and s.computed_at < moment]
    return earlier[-1] if earlier else None
