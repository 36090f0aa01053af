"""Search over post text (Arabic spelling variants folded) and by date range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from claimwatch.errors import InputError
from review.context import context
from review.routes.forms import day_start, text
from storage.post_search import PostSearch
from storage.records import StoredPost

LIMIT = 50
MAX_WORDS = 10


@dataclass(frozen=True)
class SearchQuery:
    words: str = ""
    since: datetime | None = None
    until: datetime | None = None
    channel: str = ""

    @classmethod
    def parse(cls, params: QueryParams) -> SearchQuery:
        since, until = day_start(params, "from"), day_start(params, "to")
        if until is not None:
            # "to" is the last day included; the calendar's last day leaves no end at all.
            until = until + timedelta(days=1) if until.date() < date.max else None
        if since and until and since >= until:
            raise InputError("the 'from' date is after the 'to' date")
        query = cls(text(params, "q"), since, until, text(params, "channel"))
        if len(query.words.split()) > MAX_WORDS:
            raise InputError(f"search for at most {MAX_WORDS} words at a time")
        return query

    @property
    def empty(self) -> bool:
        return not (self.words or self.since or self.until or self.channel)


def run_search(
    search: PostSearch, query: SearchQuery, limit: int = LIMIT
) -> tuple[list[StoredPost], bool]:
    return search.find(query.words.split(), query.since, query.until, query.channel or None, limit)


async def search_page(request: Request) -> Response:
    ctx = context(request)
    query = SearchQuery.parse(request.query_params)
    posts, more = (
        ([], False) if query.empty else await run_in_threadpool(run_search, ctx.search, query)
    )
    channels = await run_in_threadpool(ctx.store.archive.channels)
    values = {
        "query": query,
        "posts": posts,
        "more": more,
        "channels": channels,
        "limit": LIMIT,
        "params": request.query_params,
    }
    return ctx.templates.render(request, "search.html", values)


routes = [Route("/search", search_page, methods=["GET"], name="search")]
