"""Provenance factors (edits, deletions, re-posts) and the channel's track record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claimwatch.phrase import told
from scoring.factors import provenance, track
from scoring.track_record import Outcome, outcome_from_inputs, tally, track_record
from storage.records import Revision
from tests.scoring.cases import POSTED, SETTINGS, case, claim, other, post


def test_untouched_original_has_no_provenance_factor() -> None:
    assert provenance.signals(case(), SETTINGS) == []


def test_edited_text() -> None:
    stored = claim()
    later = Revision("نص معدل", datetime(2024, 9, 30, 8, tzinfo=UTC), None)
    edited = post(stored, revisions=(*post(stored).revisions, later))
    (signal,) = provenance.signals(case(stored, post=edited), SETTINGS)
    assert (signal.feature, signal.value) == ("edited", 1.0)
    assert "2 versions, the latest seen 2024-09-30 08:00 UTC" in told(signal.explanation)
    flagged = post(stored, edited_at=datetime(2024, 9, 29, 9, tzinfo=UTC))
    (signal,) = provenance.signals(case(stored, post=flagged), SETTINGS)
    assert signal.value == 0.5


def test_deleted_post() -> None:
    stored = claim()
    gone = post(stored, deleted_at=datetime(2024, 10, 3, tzinfo=UTC))
    (signal,) = provenance.signals(case(stored, post=gone), SETTINGS)
    assert signal.feature == "deleted" and "gone since 2024-10-03" in told(signal.explanation)


def test_repost_links_the_first_appearance() -> None:
    (signal,) = provenance.signals(case(reposts=(other(9, -30, "umbrella"),)), SETTINGS)
    assert signal.feature == "repost" and "earlier by @umbrella" in told(signal.explanation)
    assert signal.evidence[0].ref == "9"
    stored = claim()
    forwarded = post(stored, forwarded_from="Sabereen News")
    (signal,) = provenance.signals(case(stored, post=forwarded), SETTINGS)
    assert "Forwarded from Sabereen News" in told(signal.explanation)


def test_track_record_excludes_the_claim_itself() -> None:
    outcomes = {
        1: Outcome(judged=False),
        2: Outcome(judged=True),
        3: Outcome(judged=True, corroborated=True),
        4: Outcome(corroborated=True),
        5: Outcome(recycled=True),
        6: Outcome(checked=True),
    }
    record = track_record("sabreen", tally(outcomes.values()), outcomes[1], SETTINGS)
    counted = (record.confirmed, record.false, record.corroborated, record.uncorroborated)
    assert counted == (2, 0, 2, 1) and record.recycled == 1
    assert record.alpha == pytest.approx(2 + 2 + 0.3 * 2)
    assert record.beta == pytest.approx(2 + 0.3 + 0.1)
    assert record.shift > 0
    worse = track_record("sabreen", tally(outcomes.values()), outcomes[2], SETTINGS)
    assert worse.shift < record.shift


def test_track_factor_explains_the_record() -> None:
    outcomes = [Outcome(judged=False) for _ in range(6)]
    record = track_record("sabreen", tally(outcomes), None, SETTINGS)
    (signal,) = track.signals(case(track=record), SETTINGS)
    assert signal.value < -1
    expected = "@sabreen: 0 of 6 reviewed claims confirmed (estimated 20% reliable vs 50%"
    assert expected in told(signal.explanation)
    (signal,) = track.signals(case(), SETTINGS)
    assert signal.value == 0.0 and "no reviewed or corroborated claims yet" in told(
        signal.explanation
    )


def test_outcome_read_back_from_stored_inputs() -> None:
    stored = {"outcome": {"corroborated": True, "recycled": False}}
    assert outcome_from_inputs(stored, judged=None) == Outcome(None, True, False, False)
    assert outcome_from_inputs({}, judged=True) == Outcome(True, False, False, False)
    assert POSTED.tzinfo is UTC


def test_a_long_history_moves_a_claim_by_at_most_the_cap() -> None:
    many = tally([Outcome(checked=True) for _ in range(500)])
    record = track_record("aggregator", many, None, SETTINGS)
    assert record.mean < 0.1 and record.shift == -SETTINGS.track_max_shift
    (signal,) = track.signals(case(track=record), SETTINGS)
    assert "0 of 500 checked against alerts corroborated" in told(signal.explanation)


def test_record_from_outcomes_by_claim_equals_record_from_the_tally() -> None:
    outcomes = {1: Outcome(judged=True), 2: Outcome(judged=False), 3: Outcome(checked=True)}
    by_id = track_record("sabreen", outcomes, settings=SETTINGS, exclude=2)
    by_tally = track_record("sabreen", tally(outcomes.values()), outcomes[2], SETTINGS)
    assert by_id == by_tally and (by_id.confirmed, by_id.false) == (1, 0)
