"""The scoring stage: extract claims from new or changed posts, then score claims.

`score_claims` is what `claimwatch claims score`, the demo and the service call; it is
idempotent (a post is extracted again only when its text or the extractor changed, and a
score is stored only when it differs from the claim's latest one). `rescore` and
`claims_for_media` let the review page update scores right after an analyst's decision.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

import config
from claimwatch.text import counted
from config.settings import ScoringSettings
from scoring.extract import EXTRACTOR_VERSION, extract
from scoring.gather import ScoringRun, load_run
from scoring.scorer import Evaluation, evaluate
from scoring.stale import neighbours, stale_claims, track_moved
from storage import Store
from storage.records import StoredClaim, mention
from storage.timeutil import utcnow

STATUS_SOURCE = "scoring"
EXTRACT_BATCH = 200  # posts read, extracted and stored per transaction


@dataclass(frozen=True)
class ScoreReport:
    """What one scoring pass did."""

    extracted: int = 0
    claims_found: int = 0
    scored: int = 0
    changed: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    seconds: float = 0.0

    def __add__(self, other: ScoreReport) -> ScoreReport:
        labels = Counter(self.labels) + Counter(other.labels)
        return ScoreReport(
            self.extracted + other.extracted, self.claims_found + other.claims_found,
            self.scored + other.scored, self.changed + other.changed, dict(labels),
            self.errors + other.errors, self.seconds + other.seconds,
        )  # fmt: skip

    def summary(self) -> str:
        labels = ", ".join(f"{n} {label}" for label, n in sorted(self.labels.items()))
        return (
            f"{counted(self.extracted, 'post')} extracted ({counted(self.claims_found, 'claim')}), "
            f"{counted(self.scored, 'claim')} scored, {counted(self.changed, 'new score')}"
            + (f" ({labels})" if labels else "")
            + (f", {counted(len(self.errors), 'error')}" if self.errors else "")
        )


def score_claims(
    store: Store,
    settings: config.Settings,
    post_ids: Collection[int] | None = None,
    everything: bool = False,
) -> ScoreReport:
    """Extract new or changed posts, then score the claims that need it.

    Without `post_ids`, that is every claim whose evidence changed since its last score
    (scoring/stale.py), or every claim with `everything`; with `post_ids`, their claims.
    """
    started = time.monotonic()
    extracted, found, errors = extract_posts(store, post_ids)
    if post_ids is not None:
        targets = set(store.claims.ids_for_posts(post_ids))
        report = _score(load_run(store, settings.scoring, targets), targets)
    else:
        report = _score_stale(store, settings.scoring, everything)
    return dataclasses.replace(
        report, extracted=extracted, claims_found=found, errors=errors + report.errors,
        seconds=round(time.monotonic() - started, 2),
    )  # fmt: skip


def rescore(store: Store, settings: config.Settings, claim_ids: Collection[int]) -> ScoreReport:
    """Score these claims again now (after a verdict, a match decision or new alerts)."""
    started = time.monotonic()
    targets = set(claim_ids)
    report = _score(load_run(store, settings.scoring, targets), targets)
    return dataclasses.replace(report, seconds=round(time.monotonic() - started, 2))


def claims_for_media(store: Store, sha256: str) -> list[int]:
    """Claims whose post carries the media file `sha256` (to rescore after a match verdict)."""
    return store.claims.ids_for_media(sha256)


def extract_posts(
    store: Store, post_ids: Collection[int] | None = None
) -> tuple[int, int, tuple[str, ...]]:
    """(posts extracted, claims among them, errors): posts new, edited, or extracted by
    another extractor version. One post's failure is recorded and the others go on.

    Posts are read and their extractions stored EXTRACT_BATCH at a time, each batch in one
    transaction (an interrupted run redoes at most the batch in flight). A forward is read
    as of its original's posting, when the archive holds it: its "today" is the original's
    day, so forwards are read again when their original arrives."""
    extracted = claims = 0
    errors: list[str] = []
    due = store.claims.posts_to_extract(EXTRACTOR_VERSION, post_ids)
    if due:
        due += sorted(store.claims.forwards_of(due) - set(due))
    for start in range(0, len(due), EXTRACT_BATCH):
        batch = due[start : start + EXTRACT_BATCH]
        read_at = utcnow()
        texts = store.claims.texts(batch)
        done = []
        for post in (texts[post_id] for post_id in batch if post_id in texts):
            try:
                done.append((post.post_id, extract(post.text, post.statement_at or post.posted_at)))
            except Exception as exc:  # hostile text must not stop the other posts
                errors.append(
                    f"post {post.post_id} ({mention(post.channel)}): {type(exc).__name__}: {exc}"
                )
        store.claims.save_many(done, read_at)
        extracted += len(done)
        claims += sum(extraction.is_claim for _, extraction in done)
    _record(store, "extract", errors, f"{counted(extracted, 'post')} extracted")
    return extracted, claims, tuple(errors)


def _score_stale(store: Store, settings: ScoringSettings, everything: bool) -> ScoreReport:
    """Two rounds: the stale claims, then those their new outcomes and neighbours touch.

    Staleness is read from every claim in outline with what its score rested on; only
    the claims to score (and their neighbours) are read in full, unless `everything`.
    """
    if everything:
        claims = store.claims.list(newest_first=False)
        targets = {c.id for c in claims}
        return _score_run(load_run(store, settings, targets, loaded=claims), targets)[0]
    bases = store.claims.score_bases()
    verdicts = store.claims.verdicts([b.id for b in bases])
    first = stale_claims(store, settings, bases, verdicts, store.alerts.span())
    if not first:
        return ScoreReport()
    report, evaluations = _score_run(load_run(store, settings, first), first)
    fresh = {e.case.claim.id: e.outcome for e in evaluations}
    before = {b.id for b in bases if b.model_version is not None}
    second = neighbours(evaluations, before)
    second |= track_moved(bases, verdicts, fresh, settings)
    second -= first
    if not second:
        return report
    more, _ = _score_run(load_run(store, settings, second), second)
    return report + more


def _score(run: ScoringRun, targets: set[int] | None) -> ScoreReport:
    return _score_run(run, targets)[0]


def _score_run(run: ScoringRun, targets: set[int] | None) -> tuple[ScoreReport, list[Evaluation]]:
    chosen = [c for c in run.claims if targets is None or c.id in targets]
    errors: list[str] = []

    def failed(claim: StoredClaim, exc: Exception) -> None:
        errors.append(f"claim {claim.id}: {type(exc).__name__}: {exc}")

    evaluations = evaluate(run, chosen, failed)
    changed = run.store.claims.add_scores([e.score for e in evaluations])
    labels: Counter[str] = Counter(e.score.label for e in evaluations)
    scored = f"{counted(len(chosen), 'claim')} scored, {changed} changed"
    _record(run.store, "score", errors, scored)
    report = ScoreReport(scored=sum(labels.values()), changed=changed, labels=dict(labels),
                         errors=tuple(errors))  # fmt: skip
    return report, evaluations


def _record(store: Store, step: str, errors: list[str], detail: str) -> None:
    """Make failures visible in `claimwatch status`, and clear them after a clean run."""
    if errors:
        store.status.failure(STATUS_SOURCE, step, "; ".join(errors[:5]))
    else:
        store.status.success(STATUS_SOURCE, step, detail)
