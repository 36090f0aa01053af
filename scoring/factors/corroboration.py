"""Corroboration factors: Home Front Command alerts, and evidence analysts recorded.

An alert in the target's area around the claimed time supports the claim; no alert
only weakly undermines it, and says nothing when our alert history does not cover the
time or no alert area is known for the target (targets outside Israel).
"""

from __future__ import annotations

from datetime import UTC, datetime

from claimwatch.phrase import Field, Part, fields
from config.settings import ScoringSettings
from scoring import decisions
from scoring.case import AlertCheck, ClaimCase, Signal
from scoring.corroboration import BASE_RATE_DAYS, CHANCE_LIKELY
from storage.records import EvidenceRef, Target, Verdict

SHOWN_ALERTS = 8


def signals(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    targets = tuple(t for t in case.claim.extraction.targets if t.alert_areas)
    return [_alerts(case.alerts, targets), *_analyst(case)]


def _alerts(check: AlertCheck, targets: tuple[Target, ...]) -> Signal:
    kinds = " or ".join(check.categories).replace("uav", "UAV")
    period = f"{_utc(check.start)} to {_utc(check.end)} UTC"
    if not check.areas:
        return Signal("alert_match", 0.0, ("No Israeli alert area is known for the target.",))
    areas = _some(list(check.areas))
    if check.alerts:
        return _match(check, targets)
    if not check.covered:
        return Signal(
            "alert_missing",
            0.0,
            (f"Not checked: the stored alert history does not cover {period}.",),
        )
    return Signal(
        "alert_missing",
        1.0,
        (
            f"No {kinds} alert in ",
            *areas,
            " (",
            *_names(targets),
            f") from {period} (weak: many drones are downed before they reach Israel).",
        ),
    )


def _match(check: AlertCheck, targets: tuple[Target, ...]) -> Signal:
    """Alerts found: full weight, less the chance of such an alert in any window there.
    With several targets, the text says which had alerts and which had none."""
    first, last, count = check.alerts[0], check.alerts[-1], len(check.alerts)
    kinds = " or ".join(check.categories).replace("uav", "UAV")
    places = _some(list(dict.fromkeys(a.area for a in check.alerts)))
    when = (
        f"at {_utc(first.time)} UTC" if count == 1
        else f"from {_utc(first.time)} to {_utc(last.time)} UTC"
    )  # fmt: skip
    sounded = {a.area for a in check.alerts}
    hit = tuple(t for t in targets if sounded & set(t.alert_areas))
    silent = tuple(t for t in targets if t not in hit)
    none = ["; none in the alert areas of ", *_names(silent)] if hit and silent else []
    text: list[Part] = [
        f"{count} {kinds} alert{'s' if count > 1 else ''} in ", *places,
        f" {when}, around the claimed time (", *_names(hit or targets), *none, ").",
    ]  # fmt: skip
    value = 1.0
    if check.base_rate is not None:
        rate = round(check.base_rate, 2)
        value = round(1.0 - rate, 2)
        text += [
            " Such alerts sounded ", *_measured(check, targets), f" in {rate:.0%} of equally "
            f"long windows in the {BASE_RATE_DAYS} days before, so a chance match is "
            + ("likely." if rate >= CHANCE_LIKELY else "possible." if rate else "rare."),
        ]  # fmt: skip
    refs = tuple(
        EvidenceRef("alert", f"{a.rid}/{a.area}", (Field(a.area), f", {_utc(a.time)} UTC"))
        for a in check.alerts[:SHOWN_ALERTS]
    )
    return Signal("alert_match", value, tuple(text), refs)


def _measured(check: AlertCheck, targets: tuple[Target, ...]) -> list[Part]:
    """Where the chance of a match was measured: "there", or the targets with the rarer
    alerts when the match was in one of those."""
    measured = set(check.base_areas)
    if not measured or measured >= set(check.areas):
        return ["there"]
    rarer = tuple(t for t in targets if set(t.alert_areas) <= measured)
    busier = tuple(t for t in targets if t not in rarer)
    return [
        "in the alert areas of ", *_names(rarer), " (rarer than in those of ",
        *_names(busier), ")",
    ]  # fmt: skip


def _analyst(case: ClaimCase) -> list[Signal]:
    found = []
    for decision, feature, verb in (
        (decisions.CORROBORATED, "analyst_corroborated", "corroborating"),
        (decisions.CONTRADICTED, "analyst_contradicted", "contradicting"),
    ):
        recorded = [v for v in case.verdicts if v.decision == decision]
        if recorded:
            latest = recorded[-1]
            found.append(
                Signal(
                    feature,
                    1.0,
                    (
                        Field(latest.reviewer),
                        f" recorded {verb} evidence on {latest.at:%Y-%m-%d}: ",
                        Field(latest.note) if latest.note else "(no note)",
                    ),
                    tuple(_verdict_ref(case.claim.id, v) for v in recorded),
                )
            )
    return found


def _verdict_ref(claim_id: int, verdict: Verdict) -> EvidenceRef:
    label = (Field(verdict.reviewer), f", {_utc(verdict.at)} UTC")
    return EvidenceRef("verdict", f"claim/{claim_id}", label)


def _names(targets: tuple[Target, ...]) -> list[Part]:
    return fields(t.name for t in targets)


def _some(names: list[str], shown: int = 4) -> list[Part]:
    """A few names, and how many more: an alert can cover a dozen villages."""
    more = len(names) - shown
    return fields(names[:shown]) + ([f" and {more} more"] if more > 0 else [])


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
