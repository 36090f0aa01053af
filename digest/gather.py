"""Gather one day's digest from the store: every section, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from config.settings import Settings
from digest import schedule, trends
from digest.content import Digest
from digest.footage import footage_lines, new_matches
from digest.health import collection_health
from digest.new_claims import claim_lines
from digest.rates import headline
from digest.track import track_moves
from storage import Store

MAX_CLAIMS = 150
MAX_FOOTAGE = 12


@dataclass(frozen=True)
class Limits:
    """How much the digest may list; the rest is counted and left to the review page."""

    claims: int = MAX_CLAIMS
    footage: int = MAX_FOOTAGE


def gather(store: Store, settings: Settings, day: date, limits: Limits = Limits()) -> Digest:
    """Everything the digest of `day` shows."""
    send_time, zone = settings.digest.send_time, settings.digest.zone
    start, end = schedule.window(day, send_time, zone)
    review_url = review_base_url(settings)
    since = min(start - timedelta(days=28), trends.chart_start(end, zone))
    recent = store.claims.counted(since, end)
    todays = store.claims.list(since=start, until=end, newest_first=False)
    matches = new_matches(store, start, end)
    return Digest(
        day=day,
        start=start,
        end=end,
        timezone=settings.digest.timezone,
        headline=headline(recent, start, end, zone, trends.shifts(recent, end, zone)),
        weekly=trends.weekly(recent, end, zone),
        claims=tuple(claim_lines(todays[: limits.claims], review_url)),
        claims_left_out=max(0, len(todays) - limits.claims),
        footage=tuple(footage_lines(store, matches[: limits.footage], review_url)),
        footage_left_out=max(0, len(matches) - limits.footage),
        same_scene_flagged=sum(m.kind == "same_scene" for m in matches),
        awaiting_review=store.matches.counts().get("pending", 0),
        moves=tuple(track_moves(store, settings.scoring, start, end)),
        health=collection_health(store),
        review_url=review_url,
        notes=_notes(settings),
    )


def review_base_url(settings: Settings) -> str:
    """Where links in the digest point: review.public_url, else the address it listens on."""
    review = settings.review
    url = review.public_url or f"http://{review.host}:{review.port}"
    return url.rstrip("/")


def _notes(settings: Settings) -> tuple[str, ...]:
    if settings.review.public_url:
        return ()
    return (
        "Links point at the address the review page listens on; set review.public_url to "
        "the address analysts use.",
    )
