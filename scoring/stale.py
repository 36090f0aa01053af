"""Which claims need scoring again: the scoring job's way to do only what changed.

A claim is stale when something its score rests on changed since it was stored:
- in the database (storage/claim_changes.py): never scored, extracted again, post edited
  or deleted, a new verdict on it (also counted, whatever time it carries), a new or
  re-decided match on its footage;
- its footage's processing state (a video fingerprinted since, a missing file arrived);
- the scoring model or its settings (the model version);
- the alert history, where it could matter: new alerts at either end of the stored history
  touch claims near that end, alerts added inside it (a back-filled CSV) touch every claim;
  a newly covered period touches the claims whose window (or, with an alert found, the
  days before it that weigh the match) it now covers;
- its neighbours (found after a first round): a new claim joins the bursts of claims
  posted minutes around it and the shared-footage count of claims with the same video;
- its channel's track record, once the first round's outcomes are known.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from config.settings import ScoringSettings
from scoring import decisions
from scoring.corroboration import base_covered, window_of
from scoring.factors import track
from scoring.model import model_version, weights_of
from scoring.scorer import Evaluation, history_stamp
from scoring.track_record import Outcome, Tally, outcome_from_inputs, tally, track_record
from storage import Store
from storage.alert_periods import Coverage
from storage.alerts import AlertSpan
from storage.claim_outlines import ScoreBasis
from storage.records import Verdict

# New alerts at an end of the history can belong to claims this close to that end.
EDGE = timedelta(days=1)


def stale_claims(
    store: Store,
    settings: ScoringSettings,
    bases: Sequence[ScoreBasis],
    verdicts: dict[int, list[Verdict]],
    span: AlertSpan,
) -> set[int]:
    """Claims whose stored score may no longer hold (first round); `verdicts` are the
    analysts' verdicts on them."""
    stale = store.claims.changed_since_scored()
    media = store.claims.media_states()
    version = model_version(settings)
    moved = _alerts_moved(store, bases, span)
    coverage = store.alerts.coverage()
    for basis in bases:
        if (
            basis.model_version != version
            or _media_state(basis.inputs) != media.get(basis.id, frozenset())
            or len(basis.inputs.get("verdicts") or ()) != len(verdicts.get(basis.id, ()))
            or (basis.id in moved and _near_new_alerts(basis, settings, moved[basis.id]))
            or (basis.model_version is not None and _coverage_moved(basis.inputs, coverage))
        ):
            stale.add(basis.id)
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
    bases: Sequence[ScoreBasis],
    verdicts: dict[int, list[Verdict]],
    fresh: dict[int, Outcome],
    settings: ScoringSettings,
) -> set[int]:
    """Claims not just scored whose channel's track record now weighs differently.

    A score keeps the counts its track record was made of, so the weight it gave is
    worked out again from them (the settings are those of the current model version:
    a score of another version was scored again in the first round).
    """
    by_channel: dict[tuple[str, str], list[ScoreBasis]] = {}
    for basis in bases:
        by_channel.setdefault((basis.outline.platform, basis.outline.channel), []).append(basis)
    weight = weights_of(settings)["track_record"]
    moved: set[int] = set()
    for (_, channel), own in by_channel.items():
        outcomes = {b.id: fresh.get(b.id) or _stored_outcome(b, verdicts) for b in own}
        totals = tally(outcomes.values())
        for basis in own:
            if basis.id in fresh or basis.model_version is None:
                continue
            record = track_record(channel, totals, outcomes[basis.id], settings)
            if _stored_weight(basis, channel, weight, settings) != round(weight * record.shift, 2):
                moved.add(basis.id)
    return moved


def _stored_weight(
    basis: ScoreBasis, channel: str, weight: float, settings: ScoringSettings
) -> float | None:
    """The track-record factor's weight in the claim's stored score (as factors_of made it),
    from the counts its record was made of."""
    counts = basis.inputs.get("track")
    if not isinstance(counts, dict):
        return None
    try:
        known = Tally(**{f.name: int(counts[f.name]) for f in dataclasses.fields(Tally)})
    except (KeyError, TypeError, ValueError):
        return None
    record = track_record(channel, known, None, settings)
    return round(weight * track.value(record), 2) + 0.0


def _stored_outcome(basis: ScoreBasis, verdicts: dict[int, list[Verdict]]) -> Outcome:
    judged = decisions.judgement(verdicts.get(basis.id, []))
    return outcome_from_inputs(basis.inputs, judged)


def _coverage_moved(inputs: Mapping[str, Any], coverage: Coverage) -> bool:
    """Whether the covered periods now say otherwise where the score used them: the
    window of a claim with alert areas and no alert found, or the days before the window
    of one with an alert found."""
    alerts = inputs.get("alerts") or {}
    try:
        start = datetime.fromisoformat(alerts["start"])
        end = datetime.fromisoformat(alerts["end"])
    except (KeyError, TypeError, ValueError):
        return True
    if alerts.get("found"):
        return alerts.get("base_covered") != base_covered(coverage, start, end)
    return bool(alerts.get("areas")) and alerts.get("covered") != coverage.covers(start, end)


def _media_state(inputs: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
    return frozenset(
        (item["sha256"], item["status"]) for item in inputs.get("media") or () if item.get("sha256")
    )


def _alerts_moved(
    store: Store, bases: Sequence[ScoreBasis], span: AlertSpan
) -> dict[int, tuple[datetime | None, datetime | None, bool]]:
    """For claims scored under another alert history: (old first, old last, added inside)."""
    now = history_stamp(span)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for basis in bases:
        if basis.model_version is None:
            continue
        stamp = (basis.inputs.get("alerts") or {}).get("history")
        if stamp != now:
            groups.setdefault(tuple(stamp or (None, None, 0)), []).append(basis.id)
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
    basis: ScoreBasis,
    settings: ScoringSettings,
    old: tuple[datetime | None, datetime | None, bool],
) -> bool:
    first, last, inside = old
    if inside or first is None or last is None:
        return True
    outline = basis.outline
    start, end, _ = window_of(basis.claimed_date, basis.part_of_day, outline.posted_at, settings)
    return end >= last - EDGE or start <= first + EDGE
