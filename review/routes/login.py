"""Logging in and out: argon2-checked passwords, throttled failures, a fresh session."""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from claimwatch.errors import InputError
from review.auth import safe_next
from review.context import context
from review.csrf import csrf_token
from review.passwords import verify_password
from review.tokens import password_mark
from storage.users import check_name

MAX_NAME = 200
EXPIRED = "Your log-in had expired, so what you sent was not saved. Log in, then do it again."


async def login_page(request: Request) -> Response:
    if request.scope.get("user"):
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    expired = request.query_params.get("expired") == "1"
    return _form(request, request.query_params.get("next", "/"), EXPIRED if expired else "")


async def login(request: Request) -> Response:
    ctx = context(request)
    form = await request.form()
    name = str(form.get("name", "")).strip()[:MAX_NAME]
    password = str(form.get("password", ""))
    target = str(form.get("next", "/"))
    address = request.client.host if request.client else "unknown"
    wait = ctx.limiter.locked_for(name, address)
    if wait > 0:
        minutes = int(wait // 60) + 1
        message = f"Too many failed log-ins. Try again in {minutes} minute{'s' * (minutes > 1)}."
        return _form(request, target, message, status=429, name=name)
    user = await run_in_threadpool(ctx.store.users.get, name) if _may_exist(name) else None
    hashed = user.password_hash if user else None
    # Checked even for an unknown name, so the time taken does not tell which names exist.
    correct = await run_in_threadpool(verify_password, hashed, password)
    if user is None or not correct:
        ctx.limiter.failed(name, address)
        return _form(request, target, "Wrong user name or password.", status=401, name=name)
    ctx.limiter.succeeded(name)
    # A new session on log-in: a token planted before it (session fixation) is worthless.
    request.session.clear()
    request.session.update({"user": user.name, "mark": password_mark(user), "at": time.time()})
    csrf_token(request.session)
    return RedirectResponse(safe_next(target), status_code=303)


async def logout(request: Request) -> Response:
    """End the session here and every other session of this user (a copied cookie too)."""
    name = request.scope.get("user")
    if isinstance(name, str) and request.scope.get("auth_via") == "session":
        await run_in_threadpool(context(request).store.users.sign_out, name)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _may_exist(name: str) -> bool:
    """Whether an account could have this name: others (a NUL, which PostgreSQL cannot even
    compare) are wrong without asking the database."""
    try:
        check_name(name)
    except InputError:
        return False
    return True


def _form(
    request: Request, target: str, error: str = "", status: int = 200, name: str = ""
) -> Response:
    values = {"next": safe_next(target), "error": error, "name": name}
    return context(request).templates.render(request, "login.html", values, status)


routes = [
    Route("/login", login_page, methods=["GET"], name="login_page"),
    Route("/login", login, methods=["POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
