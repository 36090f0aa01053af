"""The static place a synthetic launch happens in: sky, skyline, textured ground, launcher.

Built once per clip, larger than the frame, and seeded by the site alone, so two launches
at one site (or two cameras on one launch) share every rock. Texture matters: rocks,
scrub, a track, buildings and poles are what local-feature matchers lock on to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

Lighting = Literal["day", "dusk", "night"]

# The world is this many frames wide and high, drawn this much sharper than the frame.
SCALE_X, SCALE_Y, DENSITY = 2.0, 1.6, 1.25

# Sky colours (BGR) at the zenith and at the horizon.
SKIES: dict[Lighting, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "day": ((185, 125, 70), (225, 215, 205)),
    "dusk": ((95, 50, 70), (90, 150, 240)),
    "night": ((22, 10, 4), (60, 42, 36)),
}
# How each lighting tints the day-lit ground (BGR multipliers).
LIGHT: dict[Lighting, tuple[float, float, float]] = {
    "day": (1.0, 1.0, 1.0),
    "dusk": (0.55, 0.6, 0.78),
    "night": (0.38, 0.3, 0.25),
}


@dataclass(frozen=True)
class World:
    """The world image and where the launcher's rail is, in world pixels."""

    image: np.ndarray
    rail_foot: tuple[float, float]
    rail_pitch: float  # radians above the horizon
    facing: int  # +1: the rail points right, -1: left
    rail_length: float
    unit: float  # world pixels per "metre-ish" unit: sizes of objects scale with it


def world_size(width: int, height: int) -> tuple[int, int]:
    w, h = round(width * SCALE_X * DENSITY), round(height * SCALE_Y * DENSITY)
    return w + w % 2, h + h % 2


def fractal_noise(rng: np.random.Generator, h: int, w: int, cells: int, octaves: int) -> np.ndarray:
    """Zero-mean, unit-std value noise: random grids upscaled and summed over octaves."""
    out = np.zeros((h, w), np.float32)
    amp = 1.0
    for octave in range(octaves):
        gw = cells * 2**octave + 2
        gh = max(2, round(gw * h / w)) + 1
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        out += amp * cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
        amp *= 0.55
    return (out - out.mean()) / (out.std() + 1e-6)


def build_world(site: int, lighting: Lighting, width: int, height: int) -> World:
    """The world for a site under a lighting; the geometry depends on the site only."""
    ww, wh = world_size(width, height)
    geo = np.random.default_rng([site, 101])
    far, near = _skylines(geo, ww, wh)
    ground = _ground(geo, ww, wh, far, near)
    mask = (np.arange(wh)[:, None] >= far[None, :]).astype(np.uint8) * 255
    unit = wh / 100.0
    windows = _props(ground, mask, geo, near, unit)
    world = _launcher(ground, mask, geo, near, unit)
    lit = ground.astype(np.float32) * np.array(LIGHT[lighting], np.float32)
    if lighting != "day":
        # houses light their windows after dark: the few sharp features of a night scene
        for corner, opposite in windows:
            cv2.rectangle(lit, corner, opposite, (90, 200, 250), -1)
    sky = _sky(np.random.default_rng([site, 102]), ww, wh, far, lighting)
    alpha = cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32)[..., None] / 255.0
    image = lit * alpha + sky * (1.0 - alpha)
    return World(np.clip(image, 0, 255).astype(np.uint8), *world)


def _skylines(rng: np.random.Generator, ww: int, wh: int) -> tuple[np.ndarray, np.ndarray]:
    """Far hills and the near ground's edge: y of the skyline for every x."""
    x = np.arange(ww, dtype=np.float32) / ww
    base = wh * rng.uniform(0.36, 0.5)
    far = np.full(ww, base, np.float32)
    for _ in range(4):
        freq, phase = rng.uniform(1.0, 7.0), rng.uniform(0, 2 * np.pi)
        far -= wh * rng.uniform(0.005, 0.04) * np.sin(2 * np.pi * freq * x + phase)
    far -= wh * 0.01 * fractal_noise(rng, 1, ww, 16, 3)[0]
    near = base + wh * rng.uniform(0.02, 0.06) + wh * 0.012 * fractal_noise(rng, 1, ww, 6, 3)[0]
    return far.astype(np.int32), np.maximum(near, far + 2).astype(np.int32)


def _ground(
    rng: np.random.Generator, ww: int, wh: int, far: np.ndarray, near: np.ndarray
) -> np.ndarray:
    """Day-lit sand with large dunes, fine grain and hazy far hills (BGR uint8)."""
    sand = np.array([95, 150, 195], np.float32) + rng.uniform(-18, 18, 3).astype(np.float32)
    dunes = fractal_noise(rng, wh, ww // 2, 5, 4)
    dunes = cv2.resize(dunes, (ww, wh), interpolation=cv2.INTER_LINEAR)
    grain = fractal_noise(rng, wh, ww, 60, 3)
    shade = 1.0 + 0.16 * dunes + 0.07 * grain
    image = sand[None, None, :] * shade[..., None]
    rows = np.arange(wh)[:, None]
    haze = np.clip((rows - far[None, :]) / (0.25 * wh), 0, 1)[..., None]
    hills = np.array([150, 160, 172], np.float32) + rng.uniform(-12, 12, 3).astype(np.float32)
    hills_tex = hills[None, None, :] * (1.0 + 0.05 * grain[..., None])
    is_far = (rows < near[None, :])[..., None]
    image = np.where(is_far, hills_tex, image * (0.75 + 0.25 * haze) + hills * 0.25 * (1 - haze))
    return np.clip(image, 0, 255).astype(np.uint8)


def _depth(y: float, near: np.ndarray, x: int, wh: int) -> float:
    """0 at the skyline, 1 at the bottom of the world: nearer things are drawn larger."""
    top = float(near[min(max(x, 0), len(near) - 1)])
    return float(np.clip((y - top) / max(wh - top, 1), 0.0, 1.0))


def _props(
    img: np.ndarray, mask: np.ndarray, rng: np.random.Generator, near: np.ndarray, unit: float
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Rocks, scrub, a track, buildings and poles: what makes a site unique; returns windows."""
    wh, ww = img.shape[:2]
    windows: list[tuple[tuple[int, int], tuple[int, int]]] = []
    _track(img, rng, near, unit)
    for _ in range(int(rng.integers(3, 7))):
        x = int(rng.integers(0, ww))
        w, h = unit * rng.uniform(2, 6), unit * rng.uniform(1.2, 3.5)
        y = near[x] + 1
        colour = tuple(int(c) for c in rng.integers(90, 200, 3))
        cv2.rectangle(img, (x, int(y - h)), (int(x + w), int(y)), colour, -1)
        cv2.rectangle(mask, (x, int(y - h)), (int(x + w), int(y)), 255, -1)
        window = ((int(x + w * 0.2), int(y - h * 0.6)), (int(x + w * 0.35), int(y - h * 0.3)))
        cv2.rectangle(img, *window, (40, 40, 40), -1)
        windows.append(window)
    for _ in range(int(rng.integers(2, 6))):
        x = int(rng.integers(0, ww))
        top = int(near[x] - unit * rng.uniform(3, 8))
        cv2.line(img, (x, int(near[x])), (x, top), (45, 55, 60), max(1, int(unit * 0.3)))
        cv2.line(mask, (x, int(near[x])), (x, top), 255, max(1, int(unit * 0.3)))
        for k in range(6):
            angle = k * np.pi / 3 + rng.uniform(-0.3, 0.3)
            tip = (int(x + np.cos(angle) * unit * 2.5), int(top + abs(np.sin(angle)) * unit))
            cv2.line(img, (x, top), tip, (40, 90, 60), max(1, int(unit * 0.25)))
            cv2.line(mask, (x, top), tip, 255, max(1, int(unit * 0.25)))
    for _ in range(int(260 * ww / 1500)):
        x = int(rng.integers(0, ww))
        y = float(rng.uniform(near[x], wh))
        size = unit * (0.3 + 2.2 * _depth(y, near, x, wh)) * rng.uniform(0.5, 1.4)
        tone = rng.uniform(0.45, 1.25)
        colour = tuple(int(min(255, c * tone)) for c in img[int(y), x])
        axes = (max(1, int(size)), max(1, int(size * rng.uniform(0.4, 0.8))))
        centre = (x, int(y))
        if rng.random() < 0.3:
            cv2.circle(img, centre, axes[1], (40, 75, 70), -1)
        else:
            cv2.ellipse(img, centre, axes, rng.uniform(-20, 20), 0, 360, colour, -1)
            cv2.ellipse(
                img,
                (x - axes[0] // 3, int(y - axes[1] // 3)),
                (axes[0] // 2, axes[1] // 3),
                0,
                0,
                360,
                tuple(min(255, c + 35) for c in colour),
                -1,
            )
    return windows


def _track(img: np.ndarray, rng: np.random.Generator, near: np.ndarray, unit: float) -> None:
    """A dirt track winding from the bottom edge to the skyline, narrowing with distance."""
    wh, ww = img.shape[:2]
    x0, x1 = rng.uniform(0.1, 0.9) * ww, rng.uniform(0.2, 0.8) * ww
    ys = np.linspace(wh, near[int(x1)] + 2, 24)
    t = np.linspace(0, 1, 24)
    xs = x0 + (x1 - x0) * t + unit * 6 * np.sin(t * rng.uniform(2, 6) + rng.uniform(0, 6))
    half = unit * (0.4 + 4.0 * (1 - t))
    left = np.stack([xs - half, ys], 1)
    right = np.stack([xs + half, ys], 1)[::-1]
    poly = np.concatenate([left, right]).astype(np.int32)
    colour = tuple(int(c) for c in np.clip(img[wh - 1, int(min(x0, ww - 1))] * 1.18, 0, 255))
    cv2.fillPoly(img, [poly], colour)


def _launcher(
    img: np.ndarray, mask: np.ndarray, rng: np.random.Generator, near: np.ndarray, unit: float
) -> tuple[tuple[float, float], float, int, float, float]:
    """A truck with an inclined launch rail; returns the rail geometry."""
    wh, ww = img.shape[:2]
    x = float(rng.uniform(0.38, 0.62) * ww)
    y = float(near[int(x)] + rng.uniform(0.3, 0.55) * (wh - near[int(x)]))
    u = unit * rng.uniform(0.9, 1.2)
    facing = 1 if rng.random() < 0.5 else -1
    pitch = float(np.radians(rng.uniform(18, 55)))
    body = tuple(int(c) for c in rng.integers(50, 130, 3))
    for canvas, colour in ((img, None), (mask, 255)):
        fill = body if colour is None else colour
        dark = (30, 30, 30) if colour is None else colour
        cv2.rectangle(canvas, (int(x - 7 * u), int(y - 3 * u)), (int(x + 7 * u), int(y)), fill, -1)
        cab = x + facing * 7 * u
        cv2.rectangle(
            canvas,
            (int(min(cab, cab + facing * 3.5 * u)), int(y - 5 * u)),
            (int(max(cab, cab + facing * 3.5 * u)), int(y)),
            fill,
            -1,
        )
        for wx in (-5, -1.5, 5.5):
            cv2.circle(canvas, (int(x + facing * wx * u), int(y)), int(1.4 * u), dark, -1)
    glass = (int(x + facing * 8.2 * u), int(y - 4.4 * u))
    cv2.rectangle(
        img, glass, (int(glass[0] + facing * 2 * u), int(y - 2.6 * u)), (150, 120, 90), -1
    )
    foot = (x - facing * 5 * u, y - 3 * u)
    length = 16 * u
    tip = (foot[0] + facing * np.cos(pitch) * length, foot[1] - np.sin(pitch) * length)
    strut = (
        foot[0] + facing * np.cos(pitch) * length * 0.55,
        foot[1] - np.sin(pitch) * length * 0.55,
    )
    rail: tuple[int, ...]
    for canvas, rail in ((img, (35, 38, 40)), (mask, (255,))):
        cv2.line(canvas, _pt(foot), _pt(tip), rail, max(2, int(0.9 * u)))
        cv2.line(canvas, (int(strut[0]), int(y - 3 * u)), _pt(strut), rail, max(1, int(0.5 * u)))
    return (foot, pitch, facing, length, u)


def _pt(p: tuple[float, float]) -> tuple[int, int]:
    return round(p[0]), round(p[1])


def _sky(
    rng: np.random.Generator, ww: int, wh: int, far: np.ndarray, lighting: Lighting
) -> np.ndarray:
    """Vertical gradient to the skyline, with clouds by day and stars by night (float BGR)."""
    zenith, horizon = (np.array(c, np.float32) for c in SKIES[lighting])
    zenith = zenith + rng.uniform(-10, 10, 3).astype(np.float32)
    t = np.clip(np.arange(wh, dtype=np.float32) / float(far.min() + 1), 0, 1) ** 1.6
    sky = zenith[None, :] * (1 - t[:, None]) + horizon[None, :] * t[:, None]
    image = np.repeat(sky[:, None, :], ww, axis=1)
    clouds = np.clip(fractal_noise(rng, wh, ww, 4, 4) - 0.6, 0, None)[..., None]
    if lighting == "night":
        stars = rng.integers(0, ww * wh, int(ww * wh / 900))
        flat = image.reshape(-1, 3)
        flat[stars] = rng.uniform(120, 255, (len(stars), 1))
        return image
    strength = 40.0 if lighting == "day" else 25.0
    return image + clouds * strength
