"""The review web application: `create_app(store, settings)` gives the ASGI app to serve.

Layers, outermost first: security headers on every answer, the host-name check, the
signed session cookie, authentication, the cap on request bodies, CSRF protection, then
the routes (one module per page under review/routes/). `claimwatch serve` and the
background service both serve it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from config.settings import Settings
from review import errors
from review.auth import Authentication
from review.body_limit import BodyLimit
from review.context import ReviewContext
from review.csrf import CSRFProtection
from review.health import DEFAULT_CHECKS, HealthCheck, HealthDetails
from review.limiter import LoginLimiter
from review.routes import api, channels, claims, health, login, matches, media, posts, search
from review.secret import secret_key
from review.security import HostCheck, SecurityHeaders, allowed_hosts
from review.templating import Templates
from review.tokens import Tokens
from scoring.arabic import NORMALISER_VERSION, normalize
from storage import Store
from storage.post_search import PostSearch

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "claimwatch_session"
MAX_BODY_BYTES = 1024 * 1024


def create_app(
    store: Store,
    settings: Settings,
    health_checks: Sequence[HealthCheck] = DEFAULT_CHECKS,
    health_details: HealthDetails | None = None,
) -> Starlette:
    """The review app over `store`; `health_checks` are what /health runs, and
    `health_details` what else it shows."""
    review = settings.review
    key = secret_key(review, store.data_dir)
    tokens = Tokens(key, review.api_token_days)
    app = Starlette(
        routes=_routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(HostCheck, allowed=allowed_hosts(review.host, review.public_url)),
            Middleware(
                SessionMiddleware,
                secret_key=key,
                session_cookie=SESSION_COOKIE,
                max_age=review.session_hours * 3600,
                same_site="strict",
                https_only=review.public_url.startswith("https://"),
            ),
            Middleware(
                Authentication,
                find_user=store.users.get,
                tokens=tokens,
                session_seconds=review.session_hours * 3600,
            ),
            Middleware(BodyLimit, max_bytes=MAX_BODY_BYTES, error_page=errors.error_page),
            Middleware(CSRFProtection, error_page=errors.error_page),
        ],
        exception_handlers=errors.handlers(),
    )
    app.state.review = ReviewContext(
        store=store,
        settings=settings,
        templates=Templates(),
        tokens=tokens,
        limiter=LoginLimiter(review.login_max_failures, review.login_lockout_minutes * 60),
        search=PostSearch(store.sessions, store.files, normalize, NORMALISER_VERSION),
    )
    app.state.health_checks = tuple(health_checks)
    app.state.health_details = health_details
    return app


def _routes() -> list[BaseRoute]:
    pages = (login, matches, claims, channels, posts, search, media, api, health)
    routes: list[BaseRoute] = [route for module in pages for route in module.routes]
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    routes.append(Route("/", matches.home, methods=["GET"], name="home"))
    return routes
