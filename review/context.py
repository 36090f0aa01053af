"""What every route needs, built once per app: the store, settings, templates, limiter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request

from config.settings import Settings
from review.limiter import LoginLimiter
from review.templating import Templates
from review.tokens import Tokens
from storage import Store
from storage.post_search import PostSearch


@dataclass(frozen=True)
class ReviewContext:
    store: Store
    settings: Settings
    templates: Templates
    limiter: LoginLimiter
    tokens: Tokens
    search: PostSearch

    @property
    def thumbs_dir(self) -> Path:
        return self.store.data_dir / "thumbs"


def context(request: Request) -> ReviewContext:
    """The app's shared context, from inside a route."""
    found: ReviewContext = request.app.state.review
    return found


def user(request: Request) -> str:
    """The logged-in analyst's name (routes behind Authentication always have one)."""
    name = request.scope.get("user")
    if not isinstance(name, str):
        raise RuntimeError("route reached without an authenticated user")
    return name
