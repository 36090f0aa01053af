"""Query and form parsing shared by the pages: every bad value is refused by name."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from starlette.datastructures import QueryParams

from claimwatch.errors import InputError

STATUSES = ("pending", "recycled", "not_same", "legitimate", "all")
KINDS = ("", "copy", "same_scene")
MAX_TEXT = 200


@dataclass(frozen=True)
class QueueFilters:
    status: str = "pending"
    kind: str = ""
    channel: str = ""

    @classmethod
    def parse(cls, params: QueryParams) -> QueueFilters:
        status = params.get("status") or "pending"
        kind = params.get("kind") or ""
        if status not in STATUSES:
            raise InputError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        if kind not in KINDS:
            raise InputError(f"kind {kind!r} is not one of copy, same_scene")
        return cls(status, kind, text(params, "channel"))

    def store_args(self) -> dict[str, Any]:
        """Keyword arguments for store.matches.list."""
        return {
            "status": None if self.status == "all" else self.status,
            "kind": self.kind or None,
            "channel": self.channel or None,
        }

    def query(self) -> dict[str, str]:
        return asdict(self)


def text(params: QueryParams, name: str, limit: int = MAX_TEXT) -> str:
    value = (params.get(name) or "").strip()
    if len(value) > limit:
        raise InputError(f"{name} is longer than {limit} characters")
    return value


def page_number(params: QueryParams) -> int:
    raw = params.get("page") or "1"
    if not raw.isdecimal() or not 1 <= int(raw) <= 100_000:
        raise InputError(f"page {raw!r} is not a page number")
    return int(raw)


def day_start(params: QueryParams, name: str) -> datetime | None:
    """The UTC start of the day given as YYYY-MM-DD in `name`, or None when empty."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.combine(date.fromisoformat(raw), datetime.min.time(), UTC)
    except ValueError:
        raise InputError(f"{name} {raw!r} is not a date like 2024-05-01") from None
