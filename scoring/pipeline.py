"""The scoring stage: extract claims from new or changed posts, then score claims.

`score_claims` is what `claimwatch claims score`, the demo and the service call; it is
idempotent (a post is extracted again only when its text or the extractor changed, and a
score is stored only when it differs from the claim's latest one). `rescore` and
`claims_for_media` let the review page update scores right after an analyst's decision.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

import config
from scoring.extract import EXTRACTOR_VERSION, extract
from scoring.gather import ScoringRun, load_run
from scoring.scorer import evaluate
from storage import Store
from storage.records import StoredClaim

STATUS_SOURCE = "scoring"


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

    def summary(self) -> str:
        labels = ", ".join(f"{n} {label}" for label, n in sorted(self.labels.items()))
        return (
            f"{self.extracted} posts extracted ({self.claims_found} claims), "
            f"{self.scored} claims scored, {self.changed} new scores"
            + (f" ({labels})" if labels else "")
            + (f", {len(self.errors)} errors" if self.errors else "")
        )


def score_claims(
    store: Store, settings: config.Settings, post_ids: Collection[int] | None = None
) -> ScoreReport:
    """Extract new or changed posts and score claims: all of them, or those of `post_ids`."""
    started = time.monotonic()
    extracted, found, errors = extract_posts(store, post_ids)
    targets = None
    if post_ids is not None:
        targets = {c.id for c in store.claims.list() if c.post_id in post_ids}
    report = _score(load_run(store, settings.scoring, targets), targets)
    return ScoreReport(
        extracted, found, report.scored, report.changed, report.labels,
        errors + report.errors, round(time.monotonic() - started, 2),
    )  # fmt: skip


def rescore(store: Store, settings: config.Settings, claim_ids: Collection[int]) -> ScoreReport:
    """Score these claims again now (after a verdict, a match decision or new alerts)."""
    started = time.monotonic()
    targets = set(claim_ids)
    report = _score(load_run(store, settings.scoring, targets), targets)
    return ScoreReport(
        0, 0, report.scored, report.changed, report.labels, report.errors,
        round(time.monotonic() - started, 2),
    )  # fmt: skip


def claims_for_media(store: Store, sha256: str) -> list[int]:
    """Claims whose post carries the media file `sha256` (to rescore after a match verdict)."""
    return store.claims.ids_for_media(sha256)


def extract_posts(
    store: Store, post_ids: Collection[int] | None = None
) -> tuple[int, int, tuple[str, ...]]:
    """(posts extracted, claims among them, errors): posts new, edited, or extracted by
    another extractor version. One post's failure is recorded and the others go on."""
    extracted = claims = 0
    errors: list[str] = []
    for post_id in store.claims.posts_to_extract(EXTRACTOR_VERSION, post_ids):
        post = store.archive.get(post_id)
        if post is None:
            continue
        try:
            extraction = extract(post.post.text, post.post.posted_at)
        except Exception as exc:  # hostile text must not stop the other posts
            errors.append(f"post {post_id} (@{post.post.channel}): {type(exc).__name__}: {exc}")
            continue
        store.claims.save(post_id, extraction)
        extracted += 1
        claims += extraction.is_claim
    _record(store, "extract", errors, f"{extracted} posts extracted")
    return extracted, claims, tuple(errors)


def _score(run: ScoringRun, targets: set[int] | None) -> ScoreReport:
    chosen = [c for c in run.claims if targets is None or c.id in targets]
    errors: list[str] = []

    def failed(claim: StoredClaim, exc: Exception) -> None:
        errors.append(f"claim {claim.id}: {type(exc).__name__}: {exc}")

    evaluations = evaluate(run, chosen, failed)
    changed = run.store.claims.add_scores([e.score for e in evaluations])
    labels: Counter[str] = Counter(e.score.label for e in evaluations)
    _record(run.store, "score", errors, f"{len(chosen)} claims scored, {changed} changed")
    return ScoreReport(scored=sum(labels.values()), changed=changed, labels=dict(labels),
                       errors=tuple(errors))  # fmt: skip


def _record(store: Store, step: str, errors: list[str], detail: str) -> None:
    """Make failures visible in `claimwatch status`, and clear them after a clean run."""
    if errors:
        store.status.failure(STATUS_SOURCE, step, "; ".join(errors[:5]))
    else:
        store.status.success(STATUS_SOURCE, step, detail)
