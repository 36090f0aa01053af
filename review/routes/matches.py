"""The queue of flagged footage, one match in full, and the decisions on them."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.auth import safe_next
from review.context import context, user
from review.decisions import MATCH_DECISIONS, Outcome, decide_match
from review.match_view import MatchView, match_view
from review.routes.forms import QueueFilters, page_number
from review.templating import query
from storage import Store

PAGE = 10
LABELS = {
    "recycled": "Recycled",
    "not_same": "Not the same",
    "legitimate": "Same event, legitimate",
    "reopen": "Reopen",
    "pending": "Pending",
}


async def home(request: Request) -> Response:
    return RedirectResponse("/queue", status_code=303)


async def queue(request: Request) -> Response:
    ctx = context(request)
    filters = QueueFilters.parse(request.query_params)
    page = page_number(request.query_params)
    views, more = await run_in_threadpool(queue_views, ctx.store, filters, page)
    channels = await run_in_threadpool(ctx.store.archive.channels)
    values = {
        "views": views,
        "filters": filters,
        "page": page,
        "more": more,
        "labels": LABELS,
        "channels": channels,
        "flash": request.session.pop("flash", None),
        "back": request.url.path + ("?" + request.url.query if request.url.query else ""),
        "counts": await run_in_threadpool(ctx.store.matches.counts),
    }
    return ctx.templates.render(request, "queue.html", values)


async def match_page(request: Request) -> Response:
    ctx = context(request)
    filters = QueueFilters.parse(request.query_params)
    match_id = request.path_params["match_id"]
    view = await run_in_threadpool(load_match, ctx.store, match_id)
    previous, following = await run_in_threadpool(_neighbours, ctx.store, filters, match_id)
    values = {
        "view": view,
        "filters": filters,
        "previous": previous,
        "next": following,
        "labels": LABELS,
        "flash": request.session.pop("flash", None),
    }
    return ctx.templates.render(request, "match.html", values)


async def match_decision(request: Request) -> Response:
    ctx = context(request)
    match_id = request.path_params["match_id"]
    form = await request.form()
    filters = QueueFilters.parse(request.query_params)
    _, following = await run_in_threadpool(_neighbours, ctx.store, filters, match_id)
    outcome = await run_in_threadpool(
        decide_match,
        ctx.store,
        ctx.settings,
        match_id,
        str(form.get("decision", "")),
        user(request),
        str(form.get("note", "")),
    )
    request.session["flash"] = _flash(match_id, outcome)
    back = str(form.get("back", ""))
    if back:
        anchor = f"#m{following}" if following else ""
        return RedirectResponse(safe_next(back) + anchor, status_code=303)
    target = f"/matches/{following}" if following else "/queue"
    return RedirectResponse(f"{target}?{query(filters.query())}", status_code=303)


def queue_views(
    store: Store, filters: QueueFilters, page: int, size: int = PAGE
) -> tuple[list[MatchView], bool]:
    """One page of the filtered queue, and whether more pages follow."""
    found = store.matches.list(**filters.store_args(), limit=size + 1, offset=(page - 1) * size)
    return [match_view(store, m) for m in found[:size]], len(found) > size


def load_match(store: Store, match_id: int) -> MatchView:
    match = store.matches.get(match_id)
    if match is None:
        raise HTTPException(404, f"There is no match {match_id}.")
    return match_view(store, match)


def _neighbours(
    store: Store, filters: QueueFilters, match_id: int
) -> tuple[int | None, int | None]:
    """The matches before and after `match_id` in the filtered queue (newest first)."""
    ids = [m.id for m in store.matches.list(**filters.store_args()) if m.id is not None]
    if match_id not in ids:
        return None, ids[0] if ids else None
    index = ids.index(match_id)
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    return previous, following


def _flash(match_id: int, outcome: Outcome) -> str:
    label = LABELS[outcome.verdict.decision]
    message = f"Match {match_id}: {label} (by {outcome.verdict.reviewer})."
    if outcome.claim_ids:
        count = len(outcome.claim_ids)
        message += f" {count} claim{'s' * (count > 1)} re-scored."
    if outcome.rescore_error:
        message += f" Warning: {outcome.rescore_error}"
    return message


routes = [
    Route("/queue", queue, methods=["GET"], name="queue"),
    Route("/matches/{match_id:int}", match_page, methods=["GET"], name="match"),
    Route(
        "/matches/{match_id:int}/verdict", match_decision, methods=["POST"], name="match_decision"
    ),
]
assert set(MATCH_DECISIONS) <= set(LABELS)
