"""`claimwatch run` as a real process: start it, wait on what it does, stop or kill it.

Every wait is bounded and fails with what was awaited and the end of the service's log,
so a hung or crashed service shows why instead of timing out the whole suite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CLAIMWATCH = Path(sys.executable).parent / "claimwatch"


@dataclass
class Service:
    """One `claimwatch --config CONFIG run` process at a time, its stderr in `log`."""

    config: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(CLAIMWATCH), "--config", str(self.config), "run", *args],
                stdout=out,
                stderr=out,
                env=clean_env(self.env),
            )
        return self.process

    def running(self) -> subprocess.Popen[bytes]:
        assert self.process is not None, "the service was not started"
        if self.process.poll() is not None:
            pytest.fail(f"the service exited with {self.process.returncode}:\n{self.tail()}")
        return self.process

    def stop(self, signum: int = signal.SIGTERM, within: float = 10.0) -> tuple[int, float]:
        """Send `signum`; (exit code, seconds to exit). Fails if it takes over `within`."""
        process = self.running()
        started = time.monotonic()
        process.send_signal(signum)
        try:
            code = process.wait(within)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
            pytest.fail(f"the service did not exit within {within} s of {signum!r}:\n{self.tail()}")
        return code, time.monotonic() - started

    def kill(self) -> None:
        process = self.running()
        process.kill()
        assert process.wait(10) == -signal.SIGKILL

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.text().splitlines()[-lines:])

    def wait_for(self, what: str, condition: Callable[[], object], timeout: float = 60.0) -> None:
        """Poll `condition` until true; fail naming `what` if the service dies or time is up."""
        deadline = time.monotonic() + timeout
        while True:
            if condition():
                return
            self.running()
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout} s waiting for {what}:\n{self.tail()}")
            time.sleep(0.2)

    def wait_started(self, timeout: float = 60.0) -> None:
        self.wait_for("the service to start", lambda: "service started" in self.text(), timeout)


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """This environment without the developer's own CLAIMWATCH_* settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMWATCH_", "PG"))}
    return {**env, **extra}
