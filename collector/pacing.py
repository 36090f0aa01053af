"""Pacing shared by every source: a per-host throttle and jittered back-off.

Platforms punish bursts, and collectors that retry in lockstep look like one burst, so
every wait here is jittered. Time and sleep are injected so tests never wait.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from time import sleep as _sleep
from time import time as _now


@dataclass
class Clock:
    """Wall-clock seconds and a way to wait; tests pass a fake that only pretends."""

    time: Callable[[], float] = _now
    sleep: Callable[[float], None] = _sleep
    rng: random.Random = field(default_factory=random.Random)

    def jittered(self, delay: float) -> float:
        """`delay` spread over half to one and a half times itself."""
        return delay * (0.5 + self.rng.random())


class Throttle:
    """At most one request per `interval` seconds to each host."""

    def __init__(self, interval: float, clock: Clock) -> None:
        self._interval = interval
        self._clock = clock
        self._last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            remaining = self._interval - (self._clock.time() - last)
            if remaining > 0:
                self._clock.sleep(remaining)
        self._last[host] = self._clock.time()


class Backoff:
    """When a failing channel may be tried again: doubling, jittered, capped delays."""

    def __init__(self, base: float, cap: float, clock: Clock) -> None:
        self._base = base
        self._cap = cap
        self._clock = clock
        self._failures: dict[str, int] = {}
        self._not_before: dict[str, float] = {}

    def failed(self, key: str, retry_after: float | None = None) -> float:
        """Record a failure; returns the seconds until the next attempt."""
        count = self._failures.get(key, 0) + 1
        self._failures[key] = count
        delay = self._clock.jittered(min(self._cap, self._base * 2 ** (count - 1)))
        delay = max(delay, retry_after or 0.0)
        self._not_before[key] = self._clock.time() + delay
        return delay

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
        self._not_before.pop(key, None)

    def wait_left(self, key: str) -> float:
        """Seconds before `key` may be tried again; 0 when it is due."""
        return max(0.0, self._not_before.get(key, 0.0) - self._clock.time())
