"""Structured logs: one line per event, plain `key=value` text or JSON, secrets redacted.

Every secret the settings hold is registered here at start, and any log line that would
contain one has it replaced, whichever library wrote the line.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

_SECRETS: set[str] = set()
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message"}


def redact(value: str) -> str:
    for secret in _SECRETS:
        value = value.replace(secret, "********")
    return value


def register_secret(secret: str | None) -> None:
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


class LineFormatter(logging.Formatter):
    """`2024-11-01T05:00:00Z level logger message key=value ...` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{k}={_quote(v)}" for k, v in _extras(record).items())
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{when} {record.levelname.lower()} {record.name} {record.getMessage()}"
        if record.exc_info:
            line += " error=" + _quote(self.formatException(record.exc_info))
        return redact(f"{line} {fields}".rstrip())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


def configure(fmt: str = "text", level: str = "info") -> None:
    """Send claimwatch's and its libraries' logs to stderr, one line per event."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else LineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "telethon", "apscheduler.executors", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


def _quote(value: Any) -> str:
    text = str(value).replace("\n", "\\n")
    return (
        json.dumps(text, ensure_ascii=False) if (" " in text or '"' in text or not text) else text
    )
