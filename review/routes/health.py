"""GET /health: open to monitors without a log-in (see review/health.py)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from review.context import context
from review.health import health


async def health_endpoint(request: Request) -> JSONResponse:
    state = request.app.state
    report = await run_in_threadpool(
        health, context(request).store, state.health_checks, state.health_details
    )
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)


routes = [Route("/health", health_endpoint, methods=["GET", "HEAD"], name="health")]
