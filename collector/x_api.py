"""The X API v2 endpoints the `x` source reads, with X's rate-limit headers obeyed.

X answers 429 without Retry-After; the window's end is in `x-rate-limit-reset` (epoch
seconds). We sleep until then when the wait is short and otherwise raise RateLimitedError
so the account is rescheduled. When a window is spent (`x-rate-limit-remaining: 0`), the
next request waits for the reset instead of collecting a 429 first.
"""

from __future__ import annotations

from typing import Any

import httpx

from claimwatch.display import displayable
from claimwatch.errors import RateLimitedError, SourceError
from collector.http import Http, Params

TWEET_FIELDS = (
    "created_at,author_id,conversation_id,referenced_tweets,entities,attachments,"
    "public_metrics,edit_history_tweet_ids,lang,note_tweet"
)
EXPANSIONS = (
    "attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id,"
    "referenced_tweets.id.attachments.media_keys"
)
MEDIA_FIELDS = "media_key,type,url,preview_image_url,duration_ms,width,height,variants"
TIMELINE_FIELDS = {
    "tweet.fields": TWEET_FIELDS,
    "expansions": EXPANSIONS,
    "media.fields": MEDIA_FIELDS,
    "user.fields": "username,name",
}


class XApi:
    """GET requests to api.x.com with a bearer token already set on the client."""

    def __init__(self, http: Http, base_url: str = "https://api.x.com") -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._spent_until = 0.0
        http.wait_hint = self.reset_wait

    def get(self, path: str, params: Params = None) -> dict[str, Any]:
        self._wait_for_window()
        response = self._http.get(f"{self._base}{path}", params)
        if response.headers.get("x-rate-limit-remaining") == "0":
            self._spent_until = self._reset(response) or 0.0
        if response.status_code in (401, 403):
            raise SourceError(
                f"X refused the request to {path} (HTTP {response.status_code}): check the "
                "bearer token (CLAIMWATCH_X_BEARER_TOKEN) and the app's access level"
            )
        if response.status_code != 200:
            raise SourceError(
                f"X answered HTTP {response.status_code} to {path}: {_problem(response)}"
            )
        try:
            body = response.json()
        except (ValueError, RecursionError):
            raise SourceError(f"X answered {path} with something that is not JSON") from None
        if not isinstance(body, dict):
            raise SourceError(f"X answered {path} with unexpected JSON")
        return body

    def reset_wait(self, response: httpx.Response) -> float | None:
        """Seconds until the rate-limit window resets, from x-rate-limit-reset, for a 429.
        X sends the header with every answer: a 5xx is retried soon, as anywhere else."""
        if response.status_code != 429:
            return None
        reset = self._reset(response)
        return None if reset is None else max(0.0, reset - self._http.clock.time())

    def _wait_for_window(self) -> None:
        wait = self._spent_until - self._http.clock.time()
        if wait <= 0:
            return
        if wait > self._http.max_wait:
            raise RateLimitedError(f"X's rate-limit window is spent for {wait:.0f} s more", wait)
        self._http.clock.sleep(wait + 1)
        self._spent_until = 0.0

    @staticmethod
    def _reset(response: httpx.Response) -> float | None:
        value = response.headers.get("x-rate-limit-reset", "")
        return float(value) if value.isdigit() else None


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return displayable(response.text[:200])
    if isinstance(body, dict):
        body = body.get("detail") or body.get("title") or body.get("errors") or body
    return displayable(str(body))[:300]
