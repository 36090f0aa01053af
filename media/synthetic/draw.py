"""Drawing a planned launch through a camera: smoke plume, weapon body, flame and glow.

Positions live in world coordinates; every shape is projected through the frame's
homography, with sizes scaled by the local zoom, so all views agree on the event.
"""

from __future__ import annotations

import cv2
import numpy as np

from media.synthetic.launch import Launch, Particles


def project(h: np.ndarray, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Frame positions of world points under homography h, and the local scale there."""
    ones = np.ones((len(xy), 1), np.float64)
    p = np.concatenate([xy.astype(np.float64), ones], 1) @ h.T
    w = p[:, 2:3]
    scale = np.sqrt(abs(np.linalg.det(h)) / np.abs(w[:, 0]) ** 3)
    return p[:, :2] / w, scale


def draw_launch(frame: np.ndarray, h: np.ndarray, launch: Launch, t: float, night: bool) -> None:
    """Draw smoke, the weapon and its flame as the camera h sees them at scene time t."""
    _draw_smoke(frame, h, launch.particles, t, launch.wind, night)
    pos, pitch = launch.at(t)
    burning = launch.t_launch <= t < launch.burn_end
    if burning:
        _draw_flame(frame, h, launch, pos, pitch, t, night)
    _draw_body(frame, h, launch, pos, pitch)
    if launch.t_launch <= t < launch.t_launch + 0.5:
        fade = 1.0 - (t - launch.t_launch) / 0.5
        foot = launch.track_xy[0:1]
        _glow(frame, h, foot, 12 * launch.body_length / 6, fade * (1.0 if night else 0.6))


def _draw_smoke(
    frame: np.ndarray, h: np.ndarray, p: Particles, t: float, wind: tuple[float, float], night: bool
) -> None:
    age = t - p.born
    live = (age > 0) & (age < p.life * 3.0)
    if not live.any():
        return
    age = age[live][:, None]
    drift = p.velocity[live] * 0.8 * (1 - np.exp(-age / 0.8)) + np.array(wind) * age
    centres, scale = project(h, p.xy[live] + drift)
    radius = (p.radius[live] + p.growth[live] * np.sqrt(age[:, 0])) * scale
    alpha = p.alpha[live] * np.exp(-age[:, 0] / p.life[live])
    hot = np.clip(1.0 - age[:, 0] / 0.35, 0, 1)[:, None]
    cold = p.colour[live] * (0.35 if night else 1.0)
    colour = cold * (1 - hot) + np.array([140, 215, 255]) * hot
    _composite_discs(frame, centres, radius, alpha, colour)


def _composite_discs(
    frame: np.ndarray,
    centres: np.ndarray,
    radius: np.ndarray,
    alpha: np.ndarray,
    colour: np.ndarray,
) -> None:
    """Alpha-blend soft discs, oldest first, inside their bounding box only."""
    fh, fw = frame.shape[:2]
    x0 = int(max(0, np.floor((centres[:, 0] - radius).min())))
    y0 = int(max(0, np.floor((centres[:, 1] - radius).min())))
    x1 = int(min(fw, np.ceil((centres[:, 0] + radius).max()) + 1))
    y1 = int(min(fh, np.ceil((centres[:, 1] + radius).max()) + 1))
    if x1 <= x0 or y1 <= y0:
        return
    layer = np.zeros((y1 - y0, x1 - x0, 3), np.uint8)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    for (cx, cy), r, a, c in zip(centres, radius, alpha, colour, strict=True):
        centre, rad = (int(cx) - x0, int(cy) - y0), max(1, int(r))
        cv2.circle(layer, centre, rad, (int(c[0]), int(c[1]), int(c[2])), -1)
        cv2.circle(mask, centre, rad, int(255 * a), -1)
    k = max(3, (int(np.median(radius)) // 2) | 1)
    soft = cv2.GaussianBlur(mask, (k, k), 0)
    roi = frame[y0:y1, x0:x1]
    m = soft.astype(np.uint16)[..., None]
    roi[:] = ((roi.astype(np.uint16) * (255 - m) + layer.astype(np.uint16) * m) >> 8).astype(
        np.uint8
    )


def _body_points(launch: Launch, pos: np.ndarray, pitch: float) -> np.ndarray:
    length = launch.body_length
    if launch.kind == "missile":
        shape = [(0.5, 0), (0.35, 0.07), (-0.5, 0.07), (-0.5, -0.07), (0.35, -0.07)]
    else:
        shape = [
            (0.5, 0),
            (-0.35, 0.42),
            (-0.25, 0.05),
            (-0.5, 0.05),
            (-0.5, -0.05),
            (-0.25, -0.05),
            (-0.35, -0.42),
        ]
    local = np.array(shape, np.float32) * length
    c, s = np.cos(pitch) * launch.facing, np.sin(pitch)
    rot = np.array([[c, s * (0.35 if launch.kind == "drone" else 1)], [-s, c]], np.float32)
    return (pos + local @ rot.T).astype(np.float32)


def _draw_body(
    frame: np.ndarray, h: np.ndarray, launch: Launch, pos: np.ndarray, pitch: float
) -> None:
    pts, _ = project(h, _body_points(launch, pos, pitch))
    colour = (205, 205, 200) if launch.kind == "missile" else (70, 75, 80)
    cv2.fillPoly(frame, [np.round(pts).astype(np.int32)], colour, cv2.LINE_AA)


def _draw_flame(
    frame: np.ndarray,
    h: np.ndarray,
    launch: Launch,
    pos: np.ndarray,
    pitch: float,
    t: float,
    night: bool,
) -> None:
    flicker = 0.8 + 0.4 * abs(np.sin(t * 71.0) * np.cos(t * 23.0))
    back = np.array([-launch.facing * np.cos(pitch), np.sin(pitch)], np.float32)
    side = np.array([back[1], -back[0]], np.float32)
    tail = pos + back * launch.body_length * 0.5
    length, width = launch.body_length * 0.7 * flicker, launch.body_length * 0.09
    pts = np.array([tail + side * width, tail + back * length, tail - side * width], np.float32)
    frame_pts, _ = project(h, pts)
    cv2.fillPoly(frame, [np.round(frame_pts).astype(np.int32)], (170, 235, 255), cv2.LINE_AA)
    _glow(frame, h, tail[None, :], launch.body_length * (1.4 if night else 0.6), flicker * 0.8)


_SPRITE = np.exp(
    -(np.linspace(-2.2, 2.2, 65)[None, :] ** 2) - np.linspace(-2.2, 2.2, 65)[:, None] ** 2
)


def _glow(frame: np.ndarray, h: np.ndarray, xy: np.ndarray, radius: float, strength: float) -> None:
    """Add a warm light blob (flash, flame glow) around a world point."""
    (c,), scale = project(h, xy.astype(np.float32))
    r = int(max(2, radius * scale[0]))
    x0, y0 = int(c[0]) - r, int(c[1]) - r
    fh, fw = frame.shape[:2]
    a0, b0, a1, b1 = max(0, x0), max(0, y0), min(fw, x0 + 2 * r + 1), min(fh, y0 + 2 * r + 1)
    if a1 <= a0 or b1 <= b0:
        return
    sprite = cv2.resize(_SPRITE.astype(np.float32), (2 * r + 1, 2 * r + 1))
    sprite = sprite[b0 - y0 : b1 - y0, a0 - x0 : a1 - x0, None] * strength
    light = (sprite * np.array([120, 200, 255], np.float32)).astype(np.uint8)
    frame[b0:b1, a0:a1] = cv2.add(frame[b0:b1, a0:a1], light)
