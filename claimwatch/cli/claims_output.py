"""How claims, scores, calibration and counts look on a terminal (hostile text escaped)."""

from __future__ import annotations

from collections.abc import Sequence

from claimwatch.cli.output import console, escape, escape_phrase
from claimwatch.phrase import Field
from scoring.calibrate import CalibrationReport
from scoring.counts import PeriodCount, RateChange
from scoring.model import top_reasons
from scoring.present import part_of_day_words, target_names
from storage.records import Factor, Score, StoredClaim, mention

COLOURS = {
    "corroborated": "green", "plausible": "cyan", "unverified": "white",
    "doubtful": "yellow", "likely false": "red",
}  # fmt: skip
SIGNS = {"supports": "+", "undermines": "-", "neutral": "·"}


def label(score: Score | None) -> str:
    if score is None:
        return "[dim]not scored[/dim]"
    colour = COLOURS.get(score.label, "white")
    return f"[{colour}]{score.value:5.1f} {score.label}[/{colour}]"


def row(claim: StoredClaim) -> str:
    """One line per claim: id, time, channel, targets, score, label, strongest reason."""
    reasons = top_reasons(claim.score, 1) if claim.score else []
    reason = f" — {escape_phrase(reasons[0].explanation)}" if reasons else ""
    return (
        f"#{claim.id:<5} {claim.posted_at:%Y-%m-%d %H:%M} {escape(mention(claim.channel))} "
        f"{escape(target_names(claim.extraction))}: {label(claim.score)}{reason}"
    )


def print_claim(claim: StoredClaim, history: Sequence[Score]) -> None:
    extraction = claim.extraction
    console.print(f"[bold]claim #{claim.id}[/bold] {escape(mention(claim.channel))}, post "
                  f"{claim.post_id}, posted {claim.posted_at:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    console.print(escape(claim.text))
    console.print("[bold]extraction[/bold]")
    weapons = ", ".join(w.system or w.category for w in extraction.weapons) or "not stated"
    part = part_of_day_words(extraction.part_of_day or "")
    when = f"{extraction.claimed_date or 'no date'} {part}".strip()
    for line in (
        f"group: {claim.group or 'unknown'}",
        f"targets: {target_names(extraction)}" + (" (vague)" if extraction.vague_target else ""),
        f"weapons: {weapons}",
        f"claimed: {when}",
        f"extractor: {extraction.extractor}",
        *([f"read from: {' | '.join(extraction.evidence)}"] if extraction.evidence else []),
    ):
        console.print(f"  {escape(line)}")
    if not extraction.is_claim:
        console.print("not an attack claim: not scored")
        return
    if claim.score is None:
        console.print("not scored yet: run `claimwatch claims score`")
        return
    console.print(f"[bold]score[/bold] {label(claim.score)} ({claim.score.model_version})")
    for factor in sorted(claim.score.factors, key=lambda f: -abs(f.weight)):
        print_factor(factor)
    if len(history) > 1:
        console.print("[bold]history[/bold]")
        for past in history:
            when_scored = f"{past.computed_at:%Y-%m-%d %H:%M}" if past.computed_at else "?"
            console.print(f"  {when_scored} {label(past)} ({past.model_version})")


def print_factor(factor: Factor) -> None:
    sign = SIGNS.get(factor.direction, "?")
    console.print(f"  {sign} {factor.weight:+5.2f} {escape(factor.name)}: "
                  f"{escape_phrase(factor.explanation)}")  # fmt: skip
    for ref in factor.evidence:
        shown = escape_phrase((Field(ref.ref), ": ", *ref.label))
        console.print(f"        {escape(ref.kind)} {shown}")


def print_calibration(report: CalibrationReport) -> None:
    console.print(
        f"{report.labelled} reviewed claims ({report.confirmed} confirmed, {report.false} false)"
    )
    console.print(
        f"Brier score: current weights {report.brier_current:.4f}, refit "
        f"{report.brier_refit:.4f} cross-validated ({report.brier_refit_in_sample:.4f} "
        "on the claims it was fit to); 0 is perfect, 0.25 a coin flip"
    )
    console.print("reliability (refit, cross-validated):")
    for band in report.reliability:
        shown = (
            f"predicted {band.predicted:.2f}, confirmed {band.observed:.2f}"
            if band.claims else "no claims"
        )  # fmt: skip
        console.print(f"  {band.low:.1f}-{band.high:.1f}: {band.claims:4d} claims, {shown}")
    console.print(escape(report.toml()))


def print_counts(table: Sequence[PeriodCount], changes: Sequence[RateChange]) -> None:
    for count in table:
        console.print(f"{count.start:%Y-%m-%d}  {count.claims:4d}  {escape(count.key)}")
    if not table:
        console.print("no claims")
    for change in changes:
        console.print(f"change point: {escape(change.describe())}")
