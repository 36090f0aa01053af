"""Turn scores and decisions into the benchmark's figures, and print them side by side.

Baselines give scores: each gets the threshold that lets no negative pair through (its
best setting, tried on this very corpus, so the comparison favours them), then recall is
counted. claimwatch gives decisions (copy / same_scene / nothing) at its shipped
settings, untuned: its false matches are counted as they fall.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.truth import Pair, Truth

PENDING = "pending"


@dataclass
class Row:
    name: str
    label: str
    setting: str = ""
    recall: dict[str, float] = field(default_factory=dict)
    false_matches: int | None = None
    negatives: int = 0
    cpu_ms_per_min: float | None = None
    match_cpu_ms_per_min: float | None = None
    angles: int = 0
    angles_same_scene: int | None = None
    angles_copy: int | None = None
    same_site_flagged: int | None = None
    false_leads: int | None = None  # same_scene between footage of different sites
    error: str = ""
    missed: list[Pair] = field(default_factory=list)  # positives not called copy
    false: list[Pair] = field(default_factory=list)  # negatives called copy
    false_lead_pairs: list[Pair] = field(default_factory=list)

    @property
    def mean_recall(self) -> float:
        return sum(self.recall.values()) / len(self.recall) if self.recall else 0.0


def from_decisions(row: Row, decisions: dict[Pair, str | None], truth: Truth) -> Row:
    """Fill a row from copy / same_scene decisions on every judged pair."""
    for family in truth.families:
        pairs = [p for p, f in truth.positives.items() if f == family]
        row.recall[family] = sum(decisions.get(p) == "copy" for p in pairs) / len(pairs)
    row.missed = [p for p in truth.positives if decisions.get(p) != "copy"]
    row.false = [p for p in truth.negatives if decisions.get(p) == "copy"]
    row.negatives = len(truth.negatives)
    row.false_matches = len(row.false)
    row.angles = len(truth.second_angles)
    row.angles_same_scene = sum(decisions.get(p) == "same_scene" for p in truth.second_angles)
    row.angles_copy = sum(decisions.get(p) == "copy" for p in truth.second_angles)
    row.same_site_flagged = sum(decisions.get(p) is not None for p in truth.same_site)
    row.false_lead_pairs = [p for p in truth.other_site if decisions.get(p) == "same_scene"]
    row.false_leads = len(row.false_lead_pairs)
    return row


def from_scores(row: Row, settings: dict[str, dict[Pair, float]], truth: Truth) -> Row:
    """Pick the setting with the best mean recall at zero false matches."""
    best: Row | None = None
    for setting, scores in settings.items():
        ceiling = max(scores[p] for p in truth.negatives)
        decisions: dict[Pair, str | None] = {
            p: ("copy" if s > ceiling else None) for p, s in scores.items()
        }
        trial = from_decisions(Row(row.name, row.label, setting), decisions, truth)
        trial.angles_same_scene = None  # a baseline has no same-scene notion
        trial.false_leads = None
        if best is None or trial.mean_recall > best.mean_recall:
            best = trial
    assert best is not None
    best.cpu_ms_per_min, best.error = row.cpu_ms_per_min, row.error
    best.match_cpu_ms_per_min = row.match_cpu_ms_per_min
    return best


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _of(count: int | None, total: int, missing: str = "—") -> str:
    return missing if count is None else f"{count} / {total}"


def markdown(rows: list[Row], truth: Truth) -> str:
    """Families as rows, methods as columns, then the cost and same-scene lines."""
    if not rows:
        return ""
    lines = ["| | " + " | ".join(r.label for r in rows) + " |", "|---" * (len(rows) + 1) + "|"]

    def line(title: str, cells: list[str]) -> None:
        lines.append(f"| {title} | " + " | ".join(cells) + " |")

    for family in truth.families:
        line(
            f"recall: {family}",
            [PENDING if r.error == PENDING else _cell(r.recall.get(family)) for r in rows],
        )
    line("**mean recall**", ["—" if not r.recall else f"**{r.mean_recall:.2f}**" for r in rows])
    line("false matches (negative pairs)", [_of(r.false_matches, r.negatives) for r in rows])
    line("CPU ms per minute of video: fingerprint", [_ms(r.cpu_ms_per_min) for r in rows])
    line(
        "CPU ms per minute of video: compare all pairs", [_ms(r.match_cpu_ms_per_min) for r in rows]
    )
    line(
        "second angles flagged same_scene",
        [_of(r.angles_same_scene, r.angles, "n/a") for r in rows],
    )
    line("second angles called copy", [_of(r.angles_copy, r.angles) for r in rows])
    line(
        "same-scene leads between footage of different sites",
        [_of(r.false_leads, len(truth.other_site), "n/a") for r in rows],
    )
    line(
        "same-site launches flagged (copy or scene)",
        [_of(r.same_site_flagged, len(truth.same_site)) for r in rows],
    )
    line("threshold", [r.setting or "shipped defaults" for r in rows])
    notes = [f"- {r.label}: {r.error}" for r in rows if r.error]
    return "\n".join(lines + (["", *notes] if notes else []))


def index_markdown(index: dict[str, dict[str, float]]) -> str:
    if not index:
        return ""
    lines = [
        "| one new minute of video against archived hashes | archived | query hashes | "
        "query ms | bytes per index entry | entries per archived frame | bytes per archived frame "
        "| planted copy found |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, f in index.items():
        lines.append(
            f"| {name} | {f['archived']:,.0f} | {f['query_hashes']:,.0f} | {f['query_ms']:.1f} | "
            f"{f['bytes_per_hash']:.1f} | {f['entries_per_frame']:.0f} | "
            f"{f['bytes_per_hash'] * f['entries_per_frame']:.1f} | "
            f"{'yes' if f['found'] else 'NO'} |"
        )
    return "\n".join(lines)
