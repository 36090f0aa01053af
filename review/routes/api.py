"""The JSON API under /api/: the review page's data for analysts' notebooks.

Authenticated like the pages (a session, or `Authorization: Bearer <token>` from
`claimwatch users token NAME`); writes made with a session need the X-CSRF-Token header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from claimwatch.display import displayable
from claimwatch.errors import InputError
from review.context import context, user
from review.decisions import Outcome, decide_claim, decide_match
from review.routes import channels, claims, matches, posts, search
from review.routes.forms import QueueFilters, page_number
from review.serialize import ArchiveJSONResponse, to_json

PAGE = 50


async def api_matches(request: Request) -> Response:
    ctx = context(request)
    filters = QueueFilters.parse(request.query_params)
    page = page_number(request.query_params)
    views, more = await run_in_threadpool(matches.queue_views, ctx.store, filters, page, PAGE)
    return _json({"matches": views, "page": page, "more": more})


async def api_match(request: Request) -> Response:
    view = await run_in_threadpool(
        matches.load_match, context(request).store, request.path_params["match_id"]
    )
    return _json(view)


async def api_match_decision(request: Request) -> Response:
    return await _decision(request, decide_match, "match_id")


async def api_claim(request: Request) -> Response:
    page = await run_in_threadpool(
        claims.load_claim, context(request).store, request.path_params["claim_id"]
    )
    return _json(page)


async def api_claim_decision(request: Request) -> Response:
    return await _decision(request, decide_claim, "claim_id")


async def _decision(request: Request, decide: Callable[..., Outcome], key: str) -> Response:
    """An analyst's decision on the item named by path parameter `key`, by `decide`."""
    ctx = context(request)
    body = await _body(request)
    outcome = await run_in_threadpool(
        decide,
        ctx.store,
        ctx.settings,
        request.path_params[key],
        body["decision"],
        user(request),
        body["note"],
    )
    return _outcome(outcome)


async def api_post(request: Request) -> Response:
    page = await run_in_threadpool(
        posts.load_post, context(request).store, request.path_params["post_id"]
    )
    return _json(page)


async def api_channels(request: Request) -> Response:
    return _json({"channels": await run_in_threadpool(context(request).store.archive.channels)})


async def api_channel(request: Request) -> Response:
    ctx = context(request)
    platform, handle = request.path_params["platform"], request.path_params["handle"]
    view = await run_in_threadpool(channels.load_channel, ctx.store, ctx.settings, platform, handle)
    return _json(
        {
            "channel": view.channel,
            "claims": view.claims,
            "labels": dict(view.labels),
            "unscored": view.unscored,
            "track_record": view.record,
            "weekly_claims": [{"week": w, "claims": n} for w, n in view.weeks],
            "rate_changes": [
                {
                    "day": c.point.day,
                    "before": c.point.before,
                    "after": c.point.after,
                    "text": c.point.describe(),
                }
                for c in view.changes
            ],
        }
    )


async def api_search(request: Request) -> Response:
    query = search.SearchQuery.parse(request.query_params)
    found, more = await run_in_threadpool(search.run_search, context(request).search, query)
    return _json({"posts": found, "more": more})


async def _body(request: Request) -> dict[str, str]:
    try:
        data = await request.json()
    except (ValueError, RecursionError):
        raise InputError("the request body must be JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("decision"), str):
        raise InputError('send {"decision": "...", "note": "..."}')
    note = data.get("note", "")
    if not isinstance(note, str):
        raise InputError("note must be a string")
    return {"decision": data["decision"], "note": displayable(note)}


def _outcome(outcome: Outcome) -> Response:
    return _json(
        {
            "verdict": outcome.verdict,
            "claims_rescored": outcome.claim_ids,
            "rescore_error": outcome.rescore_error,
        }
    )


def _json(value: Any) -> Response:
    return ArchiveJSONResponse(to_json(value))


routes = [
    Route("/api/matches", api_matches, methods=["GET"]),
    Route("/api/matches/{match_id:int}", api_match, methods=["GET"]),
    Route("/api/matches/{match_id:int}/verdict", api_match_decision, methods=["POST"]),
    Route("/api/claims/{claim_id:int}", api_claim, methods=["GET"]),
    Route("/api/claims/{claim_id:int}/verdict", api_claim_decision, methods=["POST"]),
    Route("/api/posts/{post_id:int}", api_post, methods=["GET"]),
    Route("/api/channels", api_channels, methods=["GET"]),
    Route("/api/channels/{platform}/{handle:path}", api_channel, methods=["GET"]),
    Route("/api/search", api_search, methods=["GET"]),
]
