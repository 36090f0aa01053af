"""Records as JSON for the API: dataclasses to dicts, times as ISO 8601 in UTC.

Server file paths are left out: a notebook fetches media through /media/<sha256>.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

from starlette.responses import JSONResponse

from claimwatch.display import json_text

HIDDEN = frozenset({"path", "password_hash"})


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in HIDDEN
        }
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return None
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return value


class ArchiveJSONResponse(JSONResponse):
    """A JSON answer in which text cut inside an emoji comes back exactly, as its \\u escape."""

    def render(self, content: Any) -> bytes:
        return json_text(content, allow_nan=False, separators=(",", ":")).encode("utf-8")
