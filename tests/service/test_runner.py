"""The scheduler loop in-process: failures recorded and contained, no overlap, a bounded
shutdown, and a start refused before any job runs when the review page cannot listen."""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
import uvicorn

import config
from claimwatch.errors import ServiceError, SourceError
from claimwatch.service.jobs import JobSpec
from claimwatch.service.runner import Stopped, install_signal_handlers, serve_until_stopped
from storage import Store


def settings_for(store: Store, shutdown_seconds: float = 5.0) -> config.Settings:
    settings = config.with_data_dir(config.Settings(), store.data_dir)
    return replace(settings, service=replace(settings.service, shutdown_seconds=shutdown_seconds))


def every(name: str, function: Callable[..., Any], seconds: float = 0.2) -> JobSpec:
    return JobSpec(name, function, "interval", {"seconds": seconds})


class Running:
    """serve_until_stopped in a thread, stopped by `stop()`, which returns its Stopped."""

    def __init__(self, store: Store, settings: config.Settings, jobs: list[JobSpec]) -> None:
        self.event = threading.Event()
        self.result: list[Stopped] = []
        self.thread = threading.Thread(
            target=lambda: self.result.append(
                serve_until_stopped(store, settings, jobs, None, self.event)
            ),
            daemon=True,
        )
        self.thread.start()

    def stop(self, within: float = 15.0) -> Stopped:
        self.event.set()
        self.thread.join(within)
        assert not self.thread.is_alive(), "the service did not return after stop"
        return self.result[0]


def wait_until(what: str, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_failing_job_is_recorded_and_the_others_keep_running(store: Store) -> None:
    runs: list[str] = []

    def alerts_down(_store: Store, _settings: config.Settings) -> None:
        runs.append("alerts")
        raise SourceError("alert history https://alerts.example answered HTTP 503")

    def score(_store: Store, _settings: config.Settings) -> str:
        runs.append("score")
        return "7 claims scored"

    service = Running(
        store, settings_for(store), [every("alerts", alerts_down), every("score", score)]
    )
    wait_until(
        "three runs of each job", lambda: min(runs.count("alerts"), runs.count("score")) >= 3
    )
    assert service.stop().abandoned == ()

    health = {h.channel: h for h in store.status.all() if h.source == "job"}
    assert health["alerts"].last_error == "alert history https://alerts.example answered HTTP 503"
    assert health["alerts"].failures >= 3 and health["alerts"].last_success_at is None
    assert health["score"].last_error is None and health["score"].detail == "7 claims scored"


def test_a_job_never_overlaps_itself(store: Store) -> None:
    inside = 0
    most = 0
    runs = 0
    lock = threading.Lock()

    def slow(_store: Store, _settings: config.Settings) -> None:
        nonlocal inside, most, runs
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(1.0)  # five intervals long
        with lock:
            inside -= 1
            runs += 1

    service = Running(store, settings_for(store), [every("slow", slow, seconds=0.2)])
    wait_until("three runs", lambda: runs >= 3)
    service.stop()
    assert most == 1


def test_a_job_still_running_at_the_end_of_the_budget_is_abandoned(store: Store) -> None:
    release = threading.Event()
    started = threading.Event()

    def stuck(_store: Store, _settings: config.Settings) -> None:
        started.set()
        release.wait(60)

    service = Running(store, settings_for(store, shutdown_seconds=1.0), [every("collect", stuck)])
    assert started.wait(20)
    stopped = service.stop()
    release.set()
    assert stopped.abandoned == ("collect",)
    assert stopped.seconds < 5


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


# uvicorn leaves its thread with SystemExit when it cannot bind; the service reports that.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_taken_port_stops_the_start_before_any_job_runs(store: Store, taken_port: int) -> None:
    ran: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("never served")

    def web(_checks: Any) -> uvicorn.Server:
        return uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=taken_port, log_config=None)
        )

    jobs = [every("collect", lambda *_: ran.append("collect"))]
    with pytest.raises(ServiceError, match=f"cannot listen on 127.0.0.1:{taken_port}"):
        serve_until_stopped(store, settings_for(store), jobs, web, threading.Event())
    assert ran == []
    again = Running(store, settings_for(store), jobs)  # the lock was released
    wait_until("the job to run", lambda: bool(ran))
    again.stop()


def test_a_signal_caught_by_another_thread_still_stops_the_service(store: Store) -> None:
    """The kernel may hand SIGTERM to any thread; Python runs the handler in the main
    thread, which must not sleep through it."""
    stop = threading.Event()
    fallback = threading.Timer(15, stop.set)  # without the fix, only this would stop it
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}

    def sigterm_to_this_thread() -> None:
        time.sleep(0.5)
        signal.pthread_kill(threading.get_ident(), signal.SIGTERM)

    try:
        install_signal_handlers(stop)
        fallback.start()
        threading.Thread(target=sigterm_to_this_thread, name="job").start()
        started = time.monotonic()
        serve_until_stopped(store, settings_for(store), [], None, stop)
        seconds = time.monotonic() - started
    finally:
        fallback.cancel()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert seconds < 5
