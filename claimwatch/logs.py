"""Structured logs: one line per event, plain `key=value` text or JSON, secrets redacted.

Every secret the settings hold is registered here at start, and any log line that would
contain one has it replaced, whichever library wrote the line. Redaction happens on each
field before it is quoted or JSON-encoded, so a secret with quotes or backslashes in it is
caught too. Uncaught exceptions in any thread go through the same handler, so a traceback
cannot print a secret around it either.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from config.loader import Secret

MASK = "********"
_SECRETS: set[str] = set()
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colour codes
}
log = logging.getLogger("claimwatch")
# Libraries whose info and debug lines say nothing an operator needs (one per request,
# per scheduler tick, per font file), even at log_level = "debug".
NOISY = ("httpx", "httpcore", "telethon", "apscheduler", "uvicorn.access", "matplotlib", "PIL")


def redact(value: str) -> str:
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted(_SECRETS, key=len, reverse=True):
        value = value.replace(secret, MASK)
    return value


def register_secret(secret: str | None) -> None:
    """Mask `secret` in every later log line (values under 4 characters are too common)."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def secrets_in(settings: Any) -> Iterator[str]:
    """Every Secret value held anywhere in a settings tree of dataclasses."""
    if isinstance(settings, Secret):
        yield settings.reveal()
    elif dataclasses.is_dataclass(settings) and not isinstance(settings, type):
        for field in dataclasses.fields(settings):
            yield from secrets_in(getattr(settings, field.name))
    elif isinstance(settings, tuple):
        for item in settings:
            yield from secrets_in(item)


def settings_secrets(settings: Any) -> list[str]:
    """Every secret in `settings`, and the database password (in its URL or PGPASSWORD)."""
    found = [*secrets_in(settings), os.environ.get("PGPASSWORD", "")]
    # No URL (SQLite in the data directory), or a bad one, which opening the store names.
    with contextlib.suppress(ArgumentError):
        found.append(make_url(settings.storage.database_url).password or "")
    return [secret for secret in found if secret]


class LineFormatter(logging.Formatter):
    """`2024-11-01T05:00:00.123Z level logger message key=value ...` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        parts = [_when(record), record.levelname.lower(), record.name, _message(record)]
        parts += [f"{k}={_quote(redact(str(v)))}" for k, v in _extras(record).items()]
        if record.exc_info:
            parts.append("error=" + _quote(redact(self.formatException(record.exc_info))))
        return " ".join(part.replace("\n", "\\n") for part in parts)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the extras, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _when(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": _message(record),
        }
        for key, value in _extras(record).items():
            entry[key] = value if isinstance(value, int | float | bool) else redact(str(value))
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(fmt: str = "text", level: str = "info") -> None:
    """Send claimwatch's and its libraries' logs to stderr, one line per event."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else LineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _uncaught
    threading.excepthook = _uncaught_in_thread


def configure_from(settings: Any) -> None:
    """Logs as `settings.service` says, every secret in `settings` masked in them."""
    configure(settings.service.log_format, settings.service.log_level)
    for secret in settings_secrets(settings):
        register_secret(secret)


def _uncaught(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    log.critical("uncaught exception", exc_info=(kind, value, traceback))


def _uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    thread = args.thread.name if args.thread else "?"
    exc_info = (args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)
    log.error("uncaught exception in a thread", extra={"in_thread": thread}, exc_info=exc_info)


def _when(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _message(record: logging.LogRecord) -> str:
    try:
        return redact(record.getMessage())
    except (TypeError, ValueError):  # a library's bad format string must not lose the line
        return redact(f"{record.msg} {record.args}")


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


def _quote(text: str) -> str:
    plain = text and not any(ch in text for ch in ' "=\n\\')
    return text if plain else json.dumps(text, ensure_ascii=False)
