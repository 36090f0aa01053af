"""Where the matched segments of two videos sit, as shapes for the page's SVG timeline.

Two bars, one per video, on a common time scale; each matched segment is a highlighted
span on both bars joined by a band, so an analyst sees at a glance which part of the
later clip re-uses which part of the earlier one (a re-cut shows crossing bands).
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.records import Segment

WIDTH = 640.0
BAR_HEIGHT = 18.0
A_Y = 22.0
B_Y = 92.0
HEIGHT = 130.0
MIN_SPAN = 2.0


@dataclass(frozen=True)
class Span:
    a_x: float
    a_width: float
    b_x: float
    b_width: float
    label: str

    @property
    def band(self) -> str:
        """The polygon joining the span on bar A to the span on bar B (SVG points)."""
        top, bottom = A_Y + BAR_HEIGHT, B_Y
        return (
            f"{self.a_x:.1f},{top:.1f} {self.a_x + self.a_width:.1f},{top:.1f} "
            f"{self.b_x + self.b_width:.1f},{bottom:.1f} {self.b_x:.1f},{bottom:.1f}"
        )


@dataclass(frozen=True)
class Timeline:
    a_width: float
    b_width: float
    spans: tuple[Span, ...]
    scale_seconds: float
    width: float = WIDTH
    height: float = HEIGHT
    a_y: float = A_Y
    b_y: float = B_Y
    bar_height: float = BAR_HEIGHT


def layout(
    segments: tuple[Segment, ...], a_duration: float | None, b_duration: float | None
) -> Timeline:
    """The timeline of `segments`; unknown durations are taken from the segments' ends."""
    a_end = a_duration or max((s.a_end for s in segments), default=1.0)
    b_end = b_duration or max((s.b_end for s in segments), default=1.0)
    scale = max(a_end, b_end, 1e-3)
    spans = tuple(_span(s, scale) for s in segments)
    return Timeline(a_end / scale * WIDTH, b_end / scale * WIDTH, spans, scale)


def _span(segment: Segment, scale: float) -> Span:
    def x(t: float) -> float:
        return max(0.0, t) / scale * WIDTH

    def width(start: float, end: float) -> float:
        return max(MIN_SPAN, x(end) - x(start))

    # Alignment may put a segment a frame before 0; the label starts at the video's start.
    a_start, b_start = max(0.0, segment.a_start), max(0.0, segment.b_start)
    label = f"A {a_start:.1f}-{segment.a_end:.1f} s matches B {b_start:.1f}-{segment.b_end:.1f} s"
    return Span(
        x(segment.a_start),
        width(segment.a_start, segment.a_end),
        x(segment.b_start),
        width(segment.b_start, segment.b_end),
        label,
    )
