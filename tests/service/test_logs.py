"""Service logs: one line per event, JSON that parses, no secret in any field."""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import config
from claimwatch import logs

SECRET = 'pa"ss\\word\nZ9-long'  # quotes, a backslash and a newline: escaped by JSON


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    logs.register_secret(SECRET)
    yield
    logs._SECRETS.discard(SECRET)


def record(message: str, *args: object, exc: bool = False, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("claimwatch.test", logging.ERROR, __file__, 1, message, args, None)
    if exc:
        try:
            raise RuntimeError(f"login with {SECRET} refused")
        except RuntimeError:
            made.exc_info = sys.exc_info()
    made.__dict__.update(extra)
    return made


LEAKY = [
    record("connecting with %s", SECRET),
    record("job failed", job="digest", error=f"auth {SECRET}"),
    record("job failed", exc=True),
    record(f"url postgresql://u:{SECRET}@db/x"),
]


@pytest.mark.parametrize("formatter", [logs.JsonFormatter(), logs.LineFormatter()])
@pytest.mark.parametrize("leaky", LEAKY)
def test_no_secret_reaches_a_log_line_in_any_field(
    formatter: logging.Formatter, leaky: logging.LogRecord
) -> None:
    line = formatter.format(leaky)
    assert "\n" not in line
    for shown in (SECRET, json.dumps(SECRET)[1:-1], SECRET.replace("\n", "\\n")):
        assert shown not in line
    assert logs.MASK in line


def test_json_lines_parse_and_keep_the_fields() -> None:
    line = logs.JsonFormatter().format(record("job done", job="collect", seconds=1.5, runs=3))
    entry = json.loads(line)
    assert entry["message"] == "job done" and entry["logger"] == "claimwatch.test"
    assert entry["job"] == "collect" and entry["seconds"] == 1.5 and entry["runs"] == 3
    assert entry["level"] == "error" and entry["time"].endswith("Z")


def test_text_lines_are_key_value_with_quoted_values() -> None:
    line = logs.LineFormatter().format(record("job done", job="collect", outcome="9 new posts"))
    assert line.split(" ", 3)[1:3] == ["error", "claimwatch.test"]
    assert line.endswith('job done job=collect outcome="9 new posts"')


def test_an_uncaught_exception_in_a_thread_is_logged_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fail() -> None:
        raise ValueError(f"token {SECRET}")

    previous = threading.excepthook
    threading.excepthook = logs._uncaught_in_thread
    try:
        thread = threading.Thread(target=fail, name="worker")
        thread.start()
        thread.join()
    finally:
        threading.excepthook = previous
    [logged] = [r for r in caplog.records if r.getMessage() == "uncaught exception in a thread"]
    line = logs.JsonFormatter().format(logged)
    assert json.loads(line)["in_thread"] == "worker" and "ValueError" in line
    assert SECRET not in line and json.dumps(SECRET)[1:-1] not in line


def test_every_secret_setting_and_the_database_password_are_registered(tmp_path: Path) -> None:
    path = tmp_path / "claimwatch.toml"
    path.write_text(
        '[storage]\ndatabase_url = "postgresql://cw:db-secret-1@db/cw"\n'
        '[smtp]\npassword_file = "' + str(tmp_path / "smtp") + '"\n',
        encoding="utf-8",
    )
    (tmp_path / "smtp").write_text("smtp-secret-2\n", encoding="utf-8")
    env = {
        "CLAIMWATCH_TELEGRAM_API_HASH": "tg-secret-3",
        "CLAIMWATCH_X_BEARER_TOKEN": "x-secret-4",
        "CLAIMWATCH_REVIEW_SECRET_KEY": "review-secret-5" * 3,
    }
    found = set(logs.settings_secrets(config.load(path, env=env)))
    assert {"db-secret-1", "smtp-secret-2", "tg-secret-3", "x-secret-4"} <= found
    assert "review-secret-5" * 3 in found
