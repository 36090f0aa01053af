"""Score claims: gather each case, weigh its factors, add the channel's track record.

The track record of a claim's channel needs how the channel's other claims turned out.
Claims scored in this pass contribute what was just found; the others contribute what
their latest stored score recorded (the `outcome` in its inputs) and their verdicts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from scoring import decisions
from scoring.case import ClaimCase, Signal
from scoring.corroboration import AlertIndex, base_covered
from scoring.factors import evidence_signals, track
from scoring.gather import ScoringRun, gather
from scoring.model import combine, independent
from scoring.track_record import Outcome, Tally, recorded_outcome, tally, track_record
from storage.alerts import AlertSpan
from storage.records import Score, StoredClaim

OnError = Callable[[StoredClaim, Exception], None]


@dataclass(frozen=True)
class Evaluation:
    """One claim's case, its signals and the resulting score (not yet stored)."""

    case: ClaimCase
    signals: tuple[Signal, ...]
    score: Score
    outcome: Outcome


def evaluate(
    run: ScoringRun, claims: Iterable[StoredClaim], on_error: OnError | None = None
) -> list[Evaluation]:
    """Score `claims` together (none is stored), so each sees the others' fresh outcomes.

    With `on_error`, a claim whose evidence cannot be gathered is reported and skipped;
    without it, the error propagates.
    """
    claims = list(claims)
    run.read_posts(claims)
    cases = []
    for claim in claims:
        try:
            cases.append(gather(run, claim))
        except Exception as exc:  # one claim's bad data must not stop the others
            if on_error is None:
                raise
            on_error(claim, exc)
    found = {case.claim.id: evidence_signals(case, run.settings) for case in cases}
    fresh = {case.claim.id: _outcome(case, found[case.claim.id]) for case in cases}
    totals: dict[tuple[str, str], Tally] = {}
    evaluations = []
    for case in cases:
        key = (case.claim.platform, case.claim.channel)
        if key not in totals:
            totals[key] = tally(_channel_outcomes(run, key, fresh))
        own = fresh[case.claim.id]
        case = dataclasses.replace(
            case, track=track_record(case.claim.channel, totals[key], own, run.settings)
        )
        signals = (*found[case.claim.id], *track.signals(case, run.settings))
        inputs = _inputs(case, fresh[case.claim.id], run.alerts)
        score = combine(case.claim.id, signals, run.settings, inputs)
        evaluations.append(Evaluation(case, signals, score, own))
    return evaluations


def history_stamp(span: AlertSpan) -> list[Any]:
    """The alert history's extent when a score was computed: [first, last, count]."""
    return [
        span.first.isoformat() if span.first else None,
        span.last.isoformat() if span.last else None,
        span.count,
    ]


def _outcome(case: ClaimCase, signals: list[Signal]) -> Outcome:
    return Outcome(
        judged=decisions.judgement(case.verdicts),
        corroborated=any(s.feature == "alert_match" and independent(s) for s in signals),
        recycled=any(s.feature == "media_recycled_confirmed" and s.value > 0 for s in signals),
        checked=any(s.feature == "alert_missing" and s.value > 0 for s in signals),
    )


def _channel_outcomes(
    run: ScoringRun, key: tuple[str, str], fresh: dict[int, Outcome]
) -> list[Outcome]:
    """Every claim of the channel: fresh outcomes where just found, else the stored ones."""
    outcomes = []
    for other in run.outlines.get(key, []):
        if other.id in fresh:
            outcomes.append(fresh[other.id])
            continue
        judged = decisions.judgement(run.verdicts.get(other.id, []))
        outcomes.append(recorded_outcome(other.outcome, judged))
    return outcomes


def _inputs(case: ClaimCase, outcome: Outcome, index: AlertIndex) -> dict[str, Any]:
    """What the score was computed from, kept with it so a change can be explained."""
    extraction = case.claim.extraction
    alerts = case.alerts
    return {
        "extractor": extraction.extractor,
        "claimed_date": extraction.claimed_date.isoformat() if extraction.claimed_date else None,
        "part_of_day": extraction.part_of_day,
        "targets": [t.name for t in extraction.targets],
        "weapons": [w.category for w in extraction.weapons],
        "post": {"id": case.post.id, "versions": len(case.post.revisions),
                 "deleted": case.post.deleted_at is not None},
        "media": [
            {"sha256": m.sha256, "status": m.status,
             "copies": [[a.post_id, a.match.id if a.match else None,
                         a.match.status if a.match else "same file"] for a in m.copies],
             "same_scene": [[a.post_id, a.match.id if a.match else None,
                             a.match.status if a.match else None] for a in m.same_scene]}
            for m in case.media
        ],
        "alerts": {"start": alerts.start.isoformat(), "end": alerts.end.isoformat(),
                   "areas": list(alerts.areas), "kinds": list(alerts.categories),
                   "found": [f"{a.rid}/{a.area}" for a in alerts.alerts],
                   "covered": alerts.covered,
                   "base_covered": base_covered(index.coverage, alerts.start, alerts.end),
                   "history": history_stamp(index.span)},
        "verdicts": [[v.decision, v.reviewer, v.at.isoformat()] for v in case.verdicts],
        "burst": [o.id for o in case.burst],
        "reposts": [o.id for o in case.reposts],
        "shared": [o.id for o in case.shared],
        "track": {"confirmed": case.track.confirmed, "false": case.track.false,
                  "corroborated": case.track.corroborated,
                  "uncorroborated": case.track.uncorroborated, "recycled": case.track.recycled},
        "outcome": outcome.as_inputs(),
    }  # fmt: skip
