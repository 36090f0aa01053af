"""Service logs: one line per event, JSON that parses, no secret in any field, and an
error at start in the configured format."""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

import config
from claimwatch import logs
from claimwatch.cli.main import cli
from tests.service.process import Service

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


WRONG = "[service]\ncollect_minutes = 0\n"
WRONG_MESSAGE = "cannot run: service.collect_minutes must be above 0"


@pytest.mark.parametrize(
    ("settings", "env"),
    [
        (f'{WRONG}log_format = "json"\n', {}),
        (WRONG, {"CLAIMWATCH_SERVICE_LOG_FORMAT": "json"}),
    ],
)
def test_a_wrong_setting_is_logged_as_json_when_the_log_format_is_json(
    tmp_path: Path, settings: str, env: dict[str, str]
) -> None:
    service = Service(tmp_path / "claimwatch.toml", tmp_path / "service.log", env)
    service.config.write_text(settings, encoding="utf-8")
    assert service.start().wait(60) == 1
    (line,) = service.text().splitlines()
    entry = json.loads(line)
    assert (entry["level"], entry["message"]) == ("error", WRONG_MESSAGE)


def test_a_wrong_setting_is_logged_as_a_text_line_by_default(tmp_path: Path) -> None:
    service = Service(tmp_path / "claimwatch.toml", tmp_path / "service.log")
    service.config.write_text(WRONG, encoding="utf-8")
    assert service.start().wait(60) == 1
    (line,) = service.text().splitlines()
    assert line.split(" ", 3)[1:] == ["error", "claimwatch.service", WRONG_MESSAGE]


def test_a_settings_file_that_cannot_be_read_is_named_in_a_plain_line(tmp_path: Path) -> None:
    service = Service(tmp_path / "claimwatch.toml", tmp_path / "service.log")
    service.config.write_text('[service]\nlog_format = "json"\ncollect_minutes = \n', "utf-8")
    assert service.start().wait(60) == 1
    (line,) = service.text().splitlines()
    assert line.startswith(f"Error: config file {service.config} is not valid TOML")


def test_a_database_lost_before_the_service_starts_is_logged_in_the_log_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lost(*args: object, **kwargs: object) -> None:
        gone = Exception("server closed the connection unexpectedly")
        raise OperationalError("SELECT pg_try_advisory_lock(:key)", {}, gone)

    monkeypatch.setattr("claimwatch.cli.service_commands.serve_until_stopped", lost)
    settings = tmp_path / "claimwatch.toml"
    data = tmp_path / "data"
    settings.write_text(
        f'[storage]\ndata_dir = "{data}"\n[service]\nlog_format = "json"\nweb = false\n'
    )

    result = CliRunner().invoke(cli, ["--config", str(settings), "run"])

    assert result.exit_code == 1
    entries = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    (error,) = [e["message"] for e in entries if e["level"] == "error"]
    assert error == "cannot run: the database failed: server closed the connection unexpectedly"
