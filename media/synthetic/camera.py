"""A handheld camera filming the world: shots, cuts, pans, zooms, shake and viewpoint.

A frame is the world seen through one homography: the view's perspective (where the
camera stands; identity for the original view) followed by the shot's framing (centre,
zoom, roll) and the cameraman's shake. Every clip has two or three shots with hard cuts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from media.synthetic.launch import Launch
from media.synthetic.world import DENSITY

ShotKind = Literal["wide", "tight", "follow"]


@dataclass(frozen=True)
class Shot:
    start: float  # scene seconds
    kind: ShotKind
    zoom: float  # frame pixels per world pixel at the shot's start
    zoom_rate: float  # per second, exponential
    centre: tuple[float, float]  # in view coordinates
    pan: tuple[float, float]  # view pixels per second


class Camera:
    """Shots and shake for one view of one launch, as homographies world -> frame."""

    def __init__(
        self,
        rng: np.random.Generator,
        view: int,
        frame: tuple[int, int],
        world: tuple[int, int],
        launch: Launch,
        scene_s: float,
        fps: int,
    ) -> None:
        self.frame_w, self.frame_h = frame
        self.world_w, self.world_h = world
        self.launch = launch
        self.perspective = _perspective(rng, world) if view else np.eye(3)
        self.shots = _plan_shots(rng, self, scene_s, view)
        self.shake = _shake(rng, int(scene_s * fps) + 2 * fps + 2, fps, self.frame_h)
        self.fps = fps

    def to_view(self, xy: np.ndarray) -> np.ndarray:
        pts = cv2.perspectiveTransform(xy.reshape(-1, 1, 2).astype(np.float64), self.perspective)
        return pts.reshape(-1, 2)

    def homography(self, t: float) -> np.ndarray:
        """World -> frame at scene time t (which may be negative before the event)."""
        shot = (
            [s for s in self.shots if s.start <= t][-1]
            if t >= self.shots[0].start
            else self.shots[0]
        )
        dt = t - shot.start
        zoom = max(shot.zoom * float(np.exp(shot.zoom_rate * dt)), self._min_zoom())
        cx, cy = shot.centre[0] + shot.pan[0] * dt, shot.centre[1] + shot.pan[1] * dt
        if shot.kind == "follow":
            now, _ = self.launch.at(t - 0.25)
            then, _ = self.launch.at(shot.start)
            moved = self.to_view(np.array([now, then]))
            cx, cy = (
                cx + 0.85 * (moved[0, 0] - moved[1, 0]),
                cy + 0.85 * (moved[0, 1] - moved[1, 1]),
            )
        i = int(np.clip(round((t + 1.0) * self.fps), 0, len(self.shake) - 1))
        dx, dy, roll = self.shake[i]
        cx, cy = self._clamp(cx, cy, zoom)
        c, s = zoom * np.cos(roll), zoom * np.sin(roll)
        frame = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
        frame[:2, 2] = [
            self.frame_w / 2 + dx - (c * cx - s * cy),
            self.frame_h / 2 + dy - (s * cx + c * cy),
        ]
        return frame @ self.perspective

    def _min_zoom(self) -> float:
        return 1.08 * max(self.frame_w / self.world_w, self.frame_h / self.world_h)

    def _clamp(self, cx: float, cy: float, zoom: float) -> tuple[float, float]:
        """Keep the window inside the world so no frame shows its edge."""
        hw, hh = 1.04 * self.frame_w / 2 / zoom, 1.04 * self.frame_h / 2 / zoom
        return (
            float(np.clip(cx, hw, self.world_w - hw)),
            float(np.clip(cy, hh, self.world_h - hh)),
        )


def _perspective(rng: np.random.Generator, world: tuple[int, int]) -> np.ndarray:
    """Another standpoint: the view sees an inner quadrilateral of the world as a rectangle."""
    w, h = world
    d = rng.uniform(0.04, 0.14, 8) * np.array([w, h] * 4)
    side = 1 if rng.random() < 0.5 else -1
    # one side of the ground recedes: squeeze it more, like a camera standing off to one side
    d[[0, 6] if side > 0 else [2, 4]] += 0.08 * w
    quad = np.array(
        [[d[0], d[1]], [w - d[2], d[3]], [w - d[4], h - d[5]], [d[6], h - d[7]]], np.float32
    )
    rect = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(quad, rect).astype(np.float64)


def _plan_shots(
    rng: np.random.Generator, cam: Camera, scene_s: float, view: int
) -> tuple[Shot, ...]:
    """Two or three shots: the launcher first, then following the weapon or pulling wide."""
    count = int(rng.integers(2, 4))
    cuts = np.sort(rng.uniform(0.3, 0.8, count - 1)) * scene_s
    starts = [-2.0, *cuts.tolist()]
    base = DENSITY**-1 * (1.15 if view else 1.0) * rng.uniform(0.85, 1.15)
    foot = cam.to_view(np.array([cam.launch.track_xy[0]]))[0]
    shots = []
    for k, start in enumerate(starts):
        kind: ShotKind = "tight" if k == 0 and rng.random() < 0.4 else "wide"
        if k > 0 and start > cam.launch.t_launch:
            kind = "follow" if rng.random() < 0.7 else "wide"
        zoom = (
            base
            * {
                "wide": rng.uniform(0.9, 1.2),
                "tight": rng.uniform(1.5, 2.1),
                "follow": rng.uniform(1.1, 1.5),
            }[kind]
        )
        rate = rng.uniform(-0.08, 0.03) if kind != "follow" else rng.uniform(-0.12, -0.03)
        if start <= cam.launch.t_launch:
            target = foot
        else:
            target = cam.to_view(np.array([cam.launch.at(start)[0]]))[0]
        offset = rng.normal(0, 0.12, 2) * np.array([cam.frame_w, cam.frame_h]) / zoom
        pan = rng.normal(0, 0.03, 2) * np.array([cam.frame_w, cam.frame_h * 0.3]) / zoom
        centre = (
            float(target[0] + offset[0]),
            float(target[1] + offset[1] - 0.1 * cam.frame_h / zoom),
        )
        shots.append(
            Shot(
                float(start), kind, float(zoom), float(rate), centre, (float(pan[0]), float(pan[1]))
            )
        )
    return tuple(shots)


def _shake(rng: np.random.Generator, n: int, fps: int, frame_h: int) -> np.ndarray:
    """Handheld jitter: smoothed random walks of x, y and roll, one row per frame."""
    amp = frame_h * rng.uniform(0.006, 0.02)
    walk = np.cumsum(rng.normal(0, 1, (n, 3)), axis=0)
    k = max(3, fps // 3)
    kernel = np.ones(k) / k
    smooth = np.stack(
        [
            np.convolve(
                walk[:, j] - np.convolve(walk[:, j], np.ones(4 * k) / (4 * k), "same"),
                kernel,
                "same",
            )
            for j in range(3)
        ],
        1,
    )
    smooth /= np.abs(smooth).max(axis=0) + 1e-9
    return smooth * np.array([amp, amp, np.radians(rng.uniform(0.2, 0.8))])
