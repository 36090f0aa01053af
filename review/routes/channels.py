"""The channels list and one channel's claims per week, labels and track record."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from config.settings import Settings
from review.channel_view import LABEL_ORDER, ChannelView, channel_view, find_channel
from review.charts import bar_chart
from review.context import context
from storage import Store


async def channels_page(request: Request) -> Response:
    ctx = context(request)
    channels = await run_in_threadpool(ctx.store.archive.channels)
    return ctx.templates.render(request, "channels.html", {"channels": channels})


async def channel_page(request: Request) -> Response:
    ctx = context(request)
    platform, handle = request.path_params["platform"], request.path_params["handle"]
    view = await run_in_threadpool(load_channel, ctx.store, ctx.settings, platform, handle)
    changes = [(c.point.day, c.point.describe()) for c in view.changes]
    values = {
        "view": view,
        "chart": bar_chart(view.weeks, changes),
        "order": LABEL_ORDER,
        "zone": ctx.settings.scoring.timezone,
    }
    return ctx.templates.render(request, "channel.html", values)


def load_channel(store: Store, settings: Settings, platform: str, handle: str) -> ChannelView:
    channel = find_channel(store, platform, handle)
    if channel is None:
        raise HTTPException(404, "No channel with this name is archived.")
    return channel_view(store, settings, channel)


routes = [
    Route("/channels", channels_page, methods=["GET"], name="channels"),
    Route("/channels/{platform}/{handle:path}", channel_page, methods=["GET"], name="channel"),
]
