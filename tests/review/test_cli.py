"""`claimwatch users ...` and `claimwatch serve` as an operator uses them."""

from __future__ import annotations

import json
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import CliRunner

from claimwatch.cli.main import cli
from review.passwords import verify_password
from storage import open_store
from storage.users import User
from tests.digest.smtp import free_port
from tests.service.process import CLAIMWATCH, clean_env


def run(data: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(data), *args], input=stdin)
    return result.exit_code, result.output


def stored_user(data: Path, name: str) -> User | None:
    store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 1 << 20)
    try:
        return store.users.get(name)
    finally:
        store.close()


def stored_hash(data: Path, name: str) -> str | None:
    user = stored_user(data, name)
    return None if user is None else user.password_hash


def test_add_from_stdin_then_list(tmp_path: Path) -> None:
    code, out = run(
        tmp_path, "users", "add", "zainab", "--password-stdin", stdin="a long enough password\n"
    )
    assert code == 0 and "user zainab created" in out
    hashed = stored_hash(tmp_path, "zainab")
    assert hashed is not None and hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a long enough password")
    code, out = run(tmp_path, "users", "list", "--json")
    assert code == 0 and [u["name"] for u in json.loads(out)] == ["zainab"]


def test_add_asks_twice_and_refuses_a_mismatch(tmp_path: Path) -> None:
    code, out = run(
        tmp_path,
        "users",
        "add",
        "adam",
        stdin="first password\nsecond password\nanother password\nanother password\n",
    )
    assert code == 0 and "do not match" in out
    assert verify_password(stored_hash(tmp_path, "adam"), "another password")


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("zainab", "short\n", "too short"),
        ("bad name", "a long enough password\n", "is not allowed"),
        ("zainab", "\n", "no password on standard input"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(
    tmp_path: Path, name: str, password: str, message: str
) -> None:
    code, out = run(tmp_path, "users", "add", name, "--password-stdin", stdin=password)
    assert code == 1 and message in out
    assert stored_hash(tmp_path, name) is None


def test_a_taken_name_is_refused(tmp_path: Path) -> None:
    run(tmp_path, "users", "add", "zainab", "--password-stdin", stdin="a long enough password\n")
    code, out = run(
        tmp_path, "users", "add", "zainab", "--password-stdin", stdin="another long password\n"
    )
    assert code == 1 and "already exists" in out


def test_password_remove_and_token(tmp_path: Path) -> None:
    run(tmp_path, "users", "add", "zainab", "--password-stdin", stdin="a long enough password\n")
    code, _ = run(
        tmp_path, "users", "password", "zainab", "--password-stdin", stdin="a brand new password\n"
    )
    assert code == 0 and verify_password(stored_hash(tmp_path, "zainab"), "a brand new password")
    code, out = run(tmp_path, "users", "token", "zainab")
    assert code == 0 and len(out.strip()) > 40 and "\n" not in out.strip()
    assert run(tmp_path, "users", "token", "nobody")[0] == 1
    code, out = run(tmp_path, "users", "sign-out", "zainab")
    assert code == 0 and "every session of zainab ended" in out
    user = stored_user(tmp_path, "zainab")
    assert user is not None and user.signed_out_at is not None
    code, out = run(tmp_path, "users", "sign-out", "nobody")
    assert code == 1 and "no user named 'nobody'" in out
    assert run(tmp_path, "users", "remove", "zainab")[0] == 0
    assert stored_hash(tmp_path, "zainab") is None


def test_serve_listens_on_loopback_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_logging: None
) -> None:
    calls: list[tuple[str, int]] = []

    def served(server: uvicorn.Server) -> None:
        calls.append((server.config.host, server.config.port))
        server.started = True

    monkeypatch.setattr(uvicorn.Server, "run", served)
    assert run(tmp_path, "serve")[0] == 0
    assert run(tmp_path, "serve", "--host", "::1", "--port", "9000")[0] == 0
    assert calls == [("127.0.0.1", 8750), ("::1", 9000)]
    assert run(tmp_path, "serve", "--port", "70000")[0] == 2


def test_serve_beyond_this_machine_without_https_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_logging: None
) -> None:
    monkeypatch.setattr(uvicorn.Server, "run", lambda server: setattr(server, "started", True))
    warning = (
        "the review page listens on 0.0.0.0 without HTTPS: passwords and session cookies "
        "cross the network in clear."
    )
    for host in ("127.0.0.1", "::1"):
        code, out = run(tmp_path, "serve", "--host", host)
        assert code == 0 and "without HTTPS" not in out
    code, out = run(tmp_path, "serve", "--host", "0.0.0.0")
    assert code == 0 and warning in out
    monkeypatch.setenv("CLAIMWATCH_REVIEW_PUBLIC_URL", "https://review.example.org")
    code, out = run(tmp_path, "serve", "--host", "0.0.0.0")
    assert code == 0 and "without HTTPS" not in out  # a TLS proxy in front


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_stopped_by_a_signal_ends_cleanly(tmp_path: Path, signum: int) -> None:
    port = free_port()
    with _serving(tmp_path, port) as process:
        _wait_for_page(process, port)
        process.send_signal(signum)
        assert process.wait(15) == 0
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_serve_on_a_taken_port_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        with _serving(tmp_path, port) as process:
            assert process.wait(30) == 1
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert f"the review page cannot listen on 127.0.0.1:{port}" in log
    assert "Traceback" not in log


def test_serve_logs_in_the_configured_format(tmp_path: Path) -> None:
    """An operator who ships logs as JSON gets the review page's lines, requests
    included, as JSON records like the service's."""
    port = free_port()
    with _serving(tmp_path, port, {"CLAIMWATCH_SERVICE_LOG_FORMAT": "json"}) as process:
        _wait_for_page(process, port)
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
    lines = (tmp_path / "serve.log").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    messages = " ".join(record["message"] for record in records)
    assert f"http://127.0.0.1:{port}" in messages
    assert "GET /login" in messages


@pytest.fixture
def test_logging() -> Iterator[None]:
    """`serve` sets up this process's logging as the service's; put pytest's back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    hooks = (sys.excepthook, threading.excepthook)
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        sys.excepthook, threading.excepthook = hooks
        logging.captureWarnings(False)


@contextmanager
def _serving(
    data: Path, port: int, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    command = [str(CLAIMWATCH), "--data-dir", str(data), "serve", "--port", str(port)]
    with (data / "serve.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=log, env=clean_env(env or {}))
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def _wait_for_page(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "claimwatch serve exited before serving"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("the review page did not answer within 60 s")
