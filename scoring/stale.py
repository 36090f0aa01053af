"""Which claims need scoring again: the scoring job's way to do only what changed.

A claim is stale when something its score rests on changed since it was stored:
- in the database (storage/claim_changes.py): never scored, extracted again, post edited
  or deleted, a new verdict on it (also counted, whatever time it carries), a new or
  re-decided match on its footage;
- its footage's processing state (a video fingerprinted since, a missing file arrived);
- the scoring model or its settings (the model version);
- the alert history, where it could matter: new alerts at either end of the stored history
  touch claims near that end, alerts added inside it (a back-filled CSV) touch every claim;
- its neighbours (found after a first round): a new claim joins the bursts of claims
  posted minutes around it and the shared-footage count of claims with the same video;
- its channel's track record, once the first round's outcomes are known.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from config.settings import ScoringSettings
from scoring import decisions
from scoring.corroboration import search_window
from scoring.model import model_version, weights_of
from scoring.scorer import Evaluation, history_stamp
from scoring.track_record import Outcome, outcome_from_inputs, tally, track_record
from storage import Store
from storage.alerts import AlertSpan
from storage.records import StoredClaim, Verdict

# New alerts at an end of the history can belong to claims this close to that end.
EDGE = timedelta(days=1)


def stale_claims(
    store: Store, settings: ScoringSettings, claims: Sequence[StoredClaim], span: AlertSpan
) -> set[int]:
    """Claims whose stored score may no longer hold (first round)."""
    stale = store.claims.changed_since_scored()
    media = store.claims.media_states()
    verdicts = store.claims.verdicts([c.id for c in claims])
    version = model_version(settings)
    moved = _alerts_moved(store, claims, span)
    for claim in claims:
        score = claim.score
        if (
            score is None
            or score.model_version != version
            or _media_state(score.inputs) != media.get(claim.id, frozenset())
            or len(score.inputs.get("verdicts") or ()) != len(verdicts.get(claim.id, ()))
            or (claim.id in moved and _near_new_alerts(claim, settings, moved[claim.id]))
        ):
            stale.add(claim.id)
    return stale


def neighbours(evaluations: Iterable[Evaluation], scored_before: set[int]) -> set[int]:
    """Claims whose burst or shared-footage factors change because a claim is new."""
    found: set[int] = set()
    for evaluation in evaluations:
        if evaluation.case.claim.id in scored_before:
            continue
        found.update(other.id for other in evaluation.case.burst)
        found.update(other.id for other in evaluation.case.shared)
    return found


def track_moved(
    claims: Sequence[StoredClaim],
    verdicts: dict[int, list[Verdict]],
    fresh: dict[int, Outcome],
    settings: ScoringSettings,
) -> set[int]:
    """Claims not just scored whose channel's track record now weighs differently."""
    by_channel: dict[tuple[str, str], list[StoredClaim]] = {}
    for claim in claims:
        by_channel.setdefault((claim.platform, claim.channel), []).append(claim)
    weight = weights_of(settings)["track_record"]
    moved: set[int] = set()
    for (_, channel), own in by_channel.items():
        outcomes = {c.id: fresh.get(c.id) or _stored_outcome(c, verdicts) for c in own}
        totals = tally(outcomes.values())
        for claim in own:
            if claim.id in fresh or claim.score is None:
                continue
            record = track_record(channel, totals, outcomes[claim.id], settings)
            stored = [f.weight for f in claim.score.factors if f.name == "track_record"]
            if stored != [round(weight * record.shift, 2)]:
                moved.add(claim.id)
    return moved


def _stored_outcome(claim: StoredClaim, verdicts: dict[int, list[Verdict]]) -> Outcome:
    inputs = claim.score.inputs if claim.score is not None else {}
    return outcome_from_inputs(inputs, decisions.judgement(verdicts.get(claim.id, [])))


def _media_state(inputs: dict[str, Any]) -> frozenset[tuple[str, str]]:
    return frozenset(
        (item["sha256"], item["status"]) for item in inputs.get("media") or () if item.get("sha256")
    )


def _alerts_moved(
    store: Store, claims: Sequence[StoredClaim], span: AlertSpan
) -> dict[int, tuple[datetime | None, datetime | None, bool]]:
    """For claims scored under another alert history: (old first, old last, added inside)."""
    now = history_stamp(span)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for claim in claims:
        if claim.score is None:
            continue
        stamp = (claim.score.inputs.get("alerts") or {}).get("history")
        if stamp != now:
            groups.setdefault(tuple(stamp or (None, None, 0)), []).append(claim.id)
    moved = {}
    for (first, last, count), ids in groups.items():
        old_first = datetime.fromisoformat(first) if first else None
        old_last = datetime.fromisoformat(last) if last else None
        inside = _added_inside(store, span, old_first, old_last, count)
        for claim_id in ids:
            moved[claim_id] = (old_first, old_last, inside)
    return moved


def _added_inside(
    store: Store, span: AlertSpan, first: datetime | None, last: datetime | None, count: int
) -> bool:
    """Whether alerts were added between the old history's first and last alert."""
    if first is None or last is None:
        return True
    added = span.count - count
    before = store.alerts.count_between(None, first - timedelta(microseconds=1))
    after = store.alerts.count_between(last + timedelta(microseconds=1), None)
    return added > before + after


def _near_new_alerts(
    claim: StoredClaim,
    settings: ScoringSettings,
    old: tuple[datetime | None, datetime | None, bool],
) -> bool:
    first, last, inside = old
    if inside or first is None or last is None:
        return True
    start, end, _ = search_window(claim.extraction, claim.posted_at, settings)
    return end >= last - EDGE or start <= first + EDGE
