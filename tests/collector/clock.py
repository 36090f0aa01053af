"""A clock for tests: sleeping only moves its time forward and is written down."""

from __future__ import annotations

import random

from collector.pacing import Clock


class FakeClock(Clock):
    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        super().__init__(time=lambda: self.now, sleep=self._sleep, rng=random.Random(7))

    def _sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
