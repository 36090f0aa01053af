"""A claim in full: the post, the extraction, the score with its reasons, and its history."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.context import context, user
from review.decisions import decide_claim
from review.describe import describe
from review.evidence import evidence_link
from scoring.decisions import CLAIM_DECISIONS
from scoring.present import sentence
from storage import Store
from storage.records import Match, Score, StoredClaim, StoredPost, Verdict

CLAIM_LABELS = {
    "confirmed": "Confirmed: it happened as claimed",
    "false": "False: it did not happen",
    "corroborated": "Corroborating evidence (say what in the note)",
    "contradicted": "Contradicting evidence (say what in the note)",
    "unclear": "Looked, unclear",
}


@dataclass(frozen=True)
class ClaimPage:
    claim: StoredClaim
    post: StoredPost | None
    summary: str  # for the API, each name isolated; the page puts each field in <bdi>
    history: list[Score]
    verdicts: list[Verdict]
    matches: list[Match]


async def claim_page(request: Request) -> Response:
    ctx = context(request)
    page = await run_in_threadpool(load_claim, ctx.store, request.path_params["claim_id"])
    values = {
        "page": page,
        "decisions": CLAIM_LABELS,
        "link": evidence_link,
        "flash": request.session.pop("flash", None),
    }
    return ctx.templates.render(request, "claim.html", values)


async def claim_decision(request: Request) -> Response:
    ctx = context(request)
    claim_id = request.path_params["claim_id"]
    form = await request.form()
    outcome = await run_in_threadpool(
        decide_claim,
        ctx.store,
        ctx.settings,
        claim_id,
        str(form.get("decision", "")),
        user(request),
        str(form.get("note", "")),
    )
    message = f"Claim {claim_id}: recorded '{outcome.verdict.decision}' and re-scored."
    if outcome.rescore_error:
        message = f"Claim {claim_id}: recorded, but {outcome.rescore_error}"
    request.session["flash"] = message
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


def load_claim(store: Store, claim_id: int) -> ClaimPage:
    claim = store.claims.get(claim_id)
    if claim is None:
        raise HTTPException(404, f"There is no claim {claim_id}.")
    post = store.archive.get(claim.post_id)
    media = [m.sha256 for m in post.media] if post else []
    matches = {m.id: m for sha in media for m in store.matches.for_media(sha)}
    return ClaimPage(
        claim=claim,
        post=post,
        summary=sentence(describe(claim.extraction)),
        history=store.claims.history(claim_id),
        verdicts=store.verdicts.for_target("claim", claim_id),
        matches=list(matches.values()),
    )


routes = [
    Route("/claims/{claim_id:int}", claim_page, methods=["GET"], name="claim"),
    Route(
        "/claims/{claim_id:int}/verdict", claim_decision, methods=["POST"], name="claim_decision"
    ),
]
assert set(CLAIM_DECISIONS) == set(CLAIM_LABELS)
