"""The X API v2 as an httpx.MockTransport: users, timelines with pagination, lookups,
media expansions, media files on X's CDN hosts, and scripted rate limiting."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from collector.x_convert import X_EPOCH_MS

USER_ID = "2244994945"
START = datetime(2024, 2, 1, 6, 0, tzinfo=UTC)


def tweet_id(minutes: int) -> str:
    """A real-shaped X id made at START + minutes."""
    ms = int((START + timedelta(minutes=minutes)).timestamp() * 1000)
    return str((ms - X_EPOCH_MS) << 22)


def tweet(minutes: int, text: str, **fields: Any) -> dict[str, Any]:
    found = {
        "id": tweet_id(minutes),
        "text": text,
        "author_id": USER_ID,
        "created_at": (START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "edit_history_tweet_ids": [tweet_id(minutes)],
        "public_metrics": {
            "retweet_count": minutes,
            "reply_count": 0,
            "like_count": 3,
            "quote_count": 0,
            "impression_count": 1000 + minutes,
        },
    }
    return {**found, **fields}


def answer(body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    """A 200 answer as X writes it: non-ASCII text as \\u escapes, which can hold half an
    emoji (a lone surrogate) when X cut a text inside one."""
    headers = {**headers, "content-type": "application/json; charset=utf-8"}
    return httpx.Response(200, headers=headers, content=json.dumps(body).encode("ascii"))


class FakeX:
    """Handles requests like api.x.com, pbs.twimg.com and video.twimg.com would."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self.tweets: list[dict[str, Any]] = []
        self.media: dict[str, dict[str, Any]] = {}
        self.extra_tweets: dict[str, dict[str, Any]] = {}
        self.users = {
            USER_ID: {"id": USER_ID, "name": "War Cube", "username": "warcube"},
            "77": {"id": "77", "name": "Other", "username": "otheracct"},
        }
        self.files: dict[str, bytes] = {}
        self.deleted: set[str] = set()
        self.timeline_errors: list[dict[str, Any]] = []  # answered instead of the timeline
        self.timeline_body: bytes | None = None  # sent as it is instead of the timeline
        self.limits: dict[int, tuple[int, float]] = {}
        self.stuck_token: str | None = None  # when set, every page names it as the next
        self.extra_lookup_errors: list[Any] = []  # added to every lookup's errors
        self.requests: list[httpx.Request] = []
        self.tokens = {"test-token"}  # bearer tokens the fake API accepts

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host != "api.x.com":
            body = self.files.get(str(request.url))
            return httpx.Response(200 if body else 404, content=body or b"")
        if request.headers.get("authorization") not in {f"Bearer {t}" for t in self.tokens}:
            return httpx.Response(401, json={"title": "Unauthorized"})
        scripted = self.limits.pop(
            len([r for r in self.requests if r.url.host == "api.x.com"]), None
        )
        if scripted is not None:
            status, reset_in = scripted
            headers = {
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(self.now() + reset_in)),
            }
            if status == 429:
                return httpx.Response(429, headers=headers, json={"title": "Too Many Requests"})
            if status >= 500:  # X sends its rate-limit headers with every answer
                headers["x-rate-limit-remaining"] = "1400"
                return httpx.Response(
                    status, headers=headers, json={"title": "Service Unavailable"}
                )
            return self._route(request, headers)
        return self._route(request, {"x-rate-limit-remaining": "1400"})

    def _route(self, request: httpx.Request, headers: dict[str, str]) -> httpx.Response:
        path = request.url.path
        if path.startswith("/2/users/by/username/"):
            name = path.rsplit("/", 1)[1]
            user = next((u for u in self.users.values() if u["username"] == name), None)
            body: dict[str, Any] = (
                {"data": user}
                if user
                else {
                    "errors": [
                        {
                            "detail": f"Could not find user with username: [{name}].",
                            "title": "Not Found Error",
                        }
                    ]
                }
            )
            return answer(body, headers)
        if path == f"/2/users/{USER_ID}/tweets" and self.timeline_body is not None:
            return httpx.Response(200, headers=headers, content=self.timeline_body)
        if path == f"/2/users/{USER_ID}/tweets":
            return answer(self._timeline(request.url.params), headers)
        if path.startswith("/2/users/") and path.endswith("/tweets"):  # another account's
            return answer({"meta": {"result_count": 0}}, headers)
        if path == "/2/tweets":
            return answer(self._lookup(request.url.params), headers)
        return httpx.Response(404, json={"title": "Not Found"})

    def _timeline(self, params: httpx.QueryParams) -> dict[str, Any]:
        if self.timeline_errors:
            return {"errors": self.timeline_errors}
        since = int(params.get("since_id", "0"))
        size = int(params["max_results"])
        offset = int(params.get("pagination_token", "t0")[1:])
        live = sorted(
            (
                t
                for t in self.tweets
                if int(t["id"]) > since
                and t["id"] not in self.deleted
                and t["edit_history_tweet_ids"][-1] == t["id"]
            ),  # only the latest versions
            key=lambda t: -int(t["id"]),
        )
        page = live[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        if offset + size < len(live):
            meta["next_token"] = self.stuck_token or f"t{offset + size}"
        return (
            {"data": page, "includes": self._includes(page), "meta": meta}
            if page
            else {"meta": meta}
        )

    def _lookup(self, params: httpx.QueryParams) -> dict[str, Any]:
        ids = params["ids"].split(",")
        by_id = {t["id"]: t for t in self.tweets}  # every version answers to its own id
        found = [by_id[i] for i in ids if i in by_id and i not in self.deleted]
        errors = [
            {
                "value": i,
                "detail": f"Could not find tweet with ids: [{i}].",
                "title": "Not Found Error",
                "resource_type": "tweet",
                "parameter": "ids",
                "resource_id": i,
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
            for i in ids
            if i not in by_id or i in self.deleted
        ] + self.extra_lookup_errors
        body: dict[str, Any] = {"includes": self._includes(found)}
        if found:
            body["data"] = found
        if errors:
            body["errors"] = errors
        return body

    def _includes(self, tweets: list[dict[str, Any]]) -> dict[str, Any]:
        referenced = [
            self.extra_tweets[r["id"]]
            for t in tweets
            for r in t.get("referenced_tweets", [])
            if r["id"] in self.extra_tweets
        ]
        keys = [
            k for t in tweets + referenced for k in t.get("attachments", {}).get("media_keys", [])
        ]
        users = {t["author_id"] for t in referenced}
        return {
            "media": [self.media[k] for k in keys if isinstance(k, str) and k in self.media],
            "tweets": referenced,
            "users": [self.users[u] for u in users],
        }
