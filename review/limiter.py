"""Log-in throttling: after repeated failures a user name, or an address, is locked out.

Counted per user name (so guessing one analyst's password is slow from anywhere) and per
client address with a higher limit (so one machine cannot sweep many names). The counts
live in the server process: a restart forgets them, which costs an attacker a restart
they cannot trigger.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

ADDRESS_FACTOR = 4
MAX_KEYS = 10_000


class LoginLimiter:
    """Counts failed log-ins in a sliding window and says how long a key stays locked."""

    def __init__(
        self,
        max_failures: int,
        lockout_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max(1, max_failures)
        self.lockout = lockout_seconds
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def locked_for(self, name: str, address: str) -> float:
        """Seconds until this name or address may try again; 0 when it may now."""
        with self._lock:
            return max(self._wait(key, limit) for key, limit in self._keys(name, address))

    def failed(self, name: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._prune(now)
            for key, limit in self._keys(name, address):
                times = self._failures.setdefault(key, deque(maxlen=limit))
                times.append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(("name", name.casefold()), None)

    def _keys(self, name: str, address: str) -> list[tuple[tuple[str, str], int]]:
        return [
            (("name", name.casefold()), self.max_failures),
            (("address", address), self.max_failures * ADDRESS_FACTOR),
        ]

    def _wait(self, key: tuple[str, str], limit: int) -> float:
        times = self._failures.get(key)
        if not times or len(times) < limit:
            return 0.0
        # Locked while the last `limit` failures all fall within one lockout period.
        if times[-1] - times[0] > self.lockout:
            return 0.0
        return max(0.0, times[-1] + self.lockout - self._clock())

    def _prune(self, now: float) -> None:
        stale = [k for k, t in self._failures.items() if not t or now - t[-1] > self.lockout]
        for key in stale:
            del self._failures[key]
        while len(self._failures) >= MAX_KEYS:
            self._failures.pop(next(iter(self._failures)))
