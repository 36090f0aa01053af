"""Server-drawn bar charts (SVG shapes computed here, drawn by the template): no script,
no image files, nothing the Content-Security-Policy has to allow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 720.0
HEIGHT = 200.0
LEFT = 34.0
BOTTOM = 22.0
TOP = 8.0


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    changes: tuple[Tick, ...]
    y_max: int
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    base: float = HEIGHT - BOTTOM
    top: float = TOP


def bar_chart(
    points: Sequence[tuple[date, int]],
    changes: Sequence[tuple[date, str]] = (),
    unit: str = "week",
) -> Chart:
    """Bars for (period start, count) points in order; changes (day, text) drawn as lines."""
    y_max = max((count for _, count in points), default=0) or 1
    slot = (WIDTH - LEFT) / max(1, len(points))
    plot = HEIGHT - BOTTOM - TOP
    bars, ticks, marks = [], [], []
    every = max(1, len(points) // 8)
    for i, (start, count) in enumerate(points):
        x = LEFT + i * slot
        height = count / y_max * plot
        bars.append(
            Bar(
                x + slot * 0.1,
                HEIGHT - BOTTOM - height,
                slot * 0.8,
                height,
                f"{unit} of {start.isoformat()}: {count}",
            )
        )
        if i % every == 0:
            ticks.append(Tick(x, start.strftime("%d %b %Y")))
    if points:
        first, span = points[0][0], (points[-1][0] - points[0][0]).days + 7
        for day, text in changes:
            marks.append(Tick(LEFT + (day - first).days / span * (WIDTH - LEFT), text))
    return Chart(tuple(bars), tuple(ticks), tuple(marks), y_max)
