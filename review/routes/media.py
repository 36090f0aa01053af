"""Archived media and their keyframe thumbnails, served by content hash only.

The request names a SHA-256, never a path: the hash is checked, looked up in the media
table, and the file the store recorded for it is served. Files keep their type only when
it is a known image or video type, so a hostile upload can never run as a page here.
"""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from claimwatch.errors import MediaDecodeError, UnsafePathError
from media.thumbnails import thumbnail
from review.context import context
from storage.media_store import MIME_EXT, is_sha256
from storage.records import MediaFile

SECOND = re.compile(r"[0-9]{1,6}(\.[0-9]{1,3})?")
INLINE_TYPES = frozenset(MIME_EXT)
# Even opened on its own, a served file may not run script or load anything.
MEDIA_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
CACHE = "private, max-age=86400, immutable"


async def media_file(request: Request) -> Response:
    found = await _lookup(request)
    if isinstance(found, Response):
        return found
    mime = (found.mime or "").lower()
    inline = mime in INLINE_TYPES
    disposition = "inline" if inline else "attachment"
    name = f"{found.sha256}.{MIME_EXT.get(mime, 'bin')}"
    return FileResponse(
        found.path,
        media_type=mime if inline else "application/octet-stream",
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "Content-Security-Policy": MEDIA_POLICY,
            "Cache-Control": CACHE,
        },
    )


async def media_thumbnail(request: Request) -> Response:
    raw = request.path_params["second"]
    if not SECOND.fullmatch(raw):
        return PlainTextResponse("The second must be a number like 12 or 12.5.", 400)
    found = await _lookup(request)
    if isinstance(found, Response):
        return found
    ctx = context(request)
    try:
        path = await run_in_threadpool(thumbnail, found, float(raw), ctx.thumbs_dir)
    except MediaDecodeError as exc:
        await run_in_threadpool(ctx.store.status.failure, "review", "thumbnails", str(exc))
        return PlainTextResponse(f"No frame can be shown: {exc}", 422)
    return FileResponse(
        path,
        media_type="image/jpeg",
        headers={"Content-Security-Policy": MEDIA_POLICY, "Cache-Control": CACHE},
    )


async def _lookup(request: Request) -> MediaFile | Response:
    sha = request.path_params["sha"]
    if not is_sha256(sha):
        return PlainTextResponse("Media are addressed by a SHA-256: 64 lowercase hex digits.", 400)
    store = context(request).store
    try:
        found = await run_in_threadpool(store.media.get, sha)
    except UnsafePathError:  # the row names a path the store refuses to hand out
        return PlainTextResponse("This media file's recorded path is not in the store.", 404)
    if found is None:
        return PlainTextResponse("No media file with this hash is archived.", 404)
    # The recorded path must name this hash inside the media store, whatever the row says.
    inside = found.path.resolve().is_relative_to(store.files.root.resolve())
    if not inside or not found.path.name.startswith(sha):
        return PlainTextResponse("This media file's recorded path is not in the store.", 404)
    if not found.path.is_file():
        return PlainTextResponse("This media file is recorded but missing from the store.", 404)
    return found


routes = [
    Route("/media/{sha}", media_file, methods=["GET"], name="media"),
    Route("/thumbs/{sha}/{second}", media_thumbnail, methods=["GET"], name="thumbnail"),
]
