"""One archived post as evidence: every text it had, its media, its claim and matches."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from review.context import context
from review.describe import describe
from scoring.present import sentence
from storage import Store
from storage.records import Match, StoredClaim, StoredPost


@dataclass(frozen=True)
class PostPage:
    post: StoredPost
    claim: StoredClaim | None
    summary: str | None  # for the API, each name isolated; the page puts each field in <bdi>
    matches: list[Match]


async def post_page(request: Request) -> Response:
    ctx = context(request)
    page = await run_in_threadpool(load_post, ctx.store, request.path_params["post_id"])
    return ctx.templates.render(request, "post.html", {"page": page})


def load_post(store: Store, post_id: int) -> PostPage:
    post = store.archive.get(post_id)
    if post is None:
        raise HTTPException(404, f"There is no post {post_id}.")
    claim = store.claims.for_post(post_id)
    matches = {m.id: m for media in post.media for m in store.matches.for_media(media.sha256)}
    summary = sentence(describe(claim.extraction)) if claim and claim.extraction.is_claim else None
    return PostPage(post, claim, summary, list(matches.values()))


routes = [Route("/posts/{post_id:int}", post_page, methods=["GET"], name="post")]
