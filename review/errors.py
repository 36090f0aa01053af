"""Error pages: HTML for people, JSON under /api/, always with a message that says why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from claimwatch.errors import InputError
from review.context import context
from review.decisions import NotFoundError


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_page(request, exc.status_code, exc.detail, exc.headers)


async def input_error(request: Request, exc: Exception) -> Response:
    return error_page(request, 404 if isinstance(exc, NotFoundError) else 400, str(exc))


def error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """The error page people see, or `{"error": message}` under /api/."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    values = {"status": status, "message": message}
    response = context(request).templates.render(request, "error.html", values, status)
    response.headers.update(headers or {})
    return response


def handlers() -> dict[Any, Any]:
    return {HTTPException: http_error, InputError: input_error}
