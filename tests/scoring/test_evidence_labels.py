"""Every name from a channel, the alert history or an analyst in a factor's evidence label is
a field of its own, stored as such, so each display isolates it: an Arabic handle or Hebrew
area at the start of a label cannot move the time after it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from claimwatch.phrase import Field, told
from scoring.factors import provenance
from scoring.present import factor_dict
from storage.claim_json import factors_json, factors_record
from storage.records import EvidenceRef, Factor
from tests.scoring.cases import POSTED, SETTINGS
from tests.scoring.test_explanation_fields import (
    AREAS,
    BIDI,
    HANDLE,
    REVIEWER,
    every_signal,
    hostile_case,
    right_to_left,
)

FSI, PDI, PDF = "\u2068", "\u2069", "\u202c"


def test_no_name_is_left_among_the_words_of_an_evidence_label() -> None:
    refs = [ref for s in every_signal(hostile_case()) for ref in s.evidence]
    assert {"post", "match", "alert", "verdict", "claim"} >= {r.kind for r in refs}
    assert {"post", "alert", "verdict", "claim"} <= {r.kind for r in refs}
    for ref in refs:
        ours = told(ref.label, lambda _: "")
        assert not right_to_left(ours) and not BIDI.search(ours), (ref.kind, ours)
    shown = {p.text for ref in refs for p in ref.label if isinstance(p, Field)}
    assert {HANDLE, *AREAS, REVIEWER} <= shown


def test_each_kind_of_label_names_its_field_then_the_time() -> None:
    signals = {s.feature: s for s in every_signal(hostile_case())}
    alert = signals["alert_match"].evidence[0]
    assert alert.label == (Field(AREAS[0]), f", {POSTED - timedelta(hours=2):%Y-%m-%d %H:%M} UTC")
    verdict = signals["analyst_corroborated"].evidence[0]
    assert verdict.label == (Field(REVIEWER), f", {POSTED + timedelta(hours=1):%Y-%m-%d %H:%M} UTC")
    burst = signals["burst"].evidence[0]
    assert burst.label == (
        "@",
        Field(HANDLE),
        f", {POSTED + timedelta(minutes=2):%Y-%m-%d %H:%M} UTC",
    )
    copy = signals["media_recycled"].evidence[0]
    assert copy.label == ("@", Field(HANDLE), f", {POSTED - timedelta(days=30):%Y-%m-%d %H:%M} UTC")


def test_a_channel_known_only_by_its_id_is_named_in_our_words() -> None:
    hostile = hostile_case()
    numeric = replace(hostile, claim=replace(hostile.claim, channel="1862040145"))
    edited = replace(numeric, post=replace(numeric.post, deleted_at=numeric.claim.posted_at))
    (deleted,) = (s for s in provenance.signals(edited, SETTINGS) if s.feature == "deleted")
    assert deleted.evidence[0].label == ("channel 1862040145", ", this post")


def test_evidence_labels_are_stored_as_parts_and_read_back() -> None:
    label = ("@", Field(HANDLE), ", 2024-09-29 00:22 UTC")
    factor = Factor("burst", "undermines", -0.5, ("A burst.",), (EvidenceRef("claim", "2", label),))
    stored = factors_json((factor,))
    assert stored[0]["evidence"][0]["label"] == ["@", {"field": HANDLE}, label[2]]
    assert factors_record(stored) == (factor,)


def test_a_label_stored_as_one_string_is_read_back_as_one_field() -> None:
    """Scores stored before evidence labels kept their fields apart, until scored again."""
    old = {"kind": "alert", "ref": "7/אילת", "label": "אילת, 2024-09-28 22:00 UTC"}
    stored = [{"name": "alert_match", "direction": "supports", "weight": 1.2,
               "explanation": "UAV alert in אילת.", "evidence": [old]}]  # fmt: skip
    (factor,) = factors_record(stored)
    assert factor.evidence == (EvidenceRef("alert", "7/אילת", (Field(old["label"]),)),)
    assert factor.explanation == (Field("UAV alert in אילת."),)


def test_json_gives_each_label_as_one_string_with_its_fields_isolated() -> None:
    label = ("@", Field(HANDLE), ", 2024-09-29 00:22 UTC")
    factor = Factor("burst", "undermines", -0.5, ("A burst.",), (EvidenceRef("claim", "2", label),))
    (shown,) = factor_dict(factor)["evidence"]
    assert shown["label"] == f"@{FSI}{HANDLE}{PDF}{PDI}, 2024-09-29 00:22 UTC"
