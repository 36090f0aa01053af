"""A channel's branding: the intro card every clip opens with and the corner logo.

Militia media wings brand every video the same way, so unrelated launches share their
first two seconds and a watermark in every frame. A matcher that counts those shared
frames as evidence calls every pair of a channel's videos a copy: these are hard negatives.
The branding depends only on the channel seed and the frame size.
"""

from __future__ import annotations

import cv2
import numpy as np

from media.synthetic.spec import INTRO_S


def emblem(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A round emblem (ring, disc, globe lines, star, raised rifle) and its alpha mask."""
    img = np.zeros((size, size, 3), np.uint8)
    c, r = size // 2, size // 2 - 2
    ring = tuple(int(v) for v in rng.integers(0, 90, 3) + np.array([20, 160, 200]))
    disc = tuple(int(v) for v in rng.integers(20, 110, 3) * np.array([0.6, 1.4, 0.5]))
    cv2.circle(img, (c, c), r, ring, -1, cv2.LINE_AA)
    cv2.circle(img, (c, c), int(r * 0.82), disc, -1, cv2.LINE_AA)
    for k in range(3):
        cv2.ellipse(
            img,
            (c, c),
            (int(r * 0.8 * (k + 1) / 3), int(r * 0.8)),
            0,
            0,
            360,
            ring,
            max(1, size // 60),
            cv2.LINE_AA,
        )
    cv2.line(img, (c - int(r * 0.8), c), (c + int(r * 0.8), c), ring, max(1, size // 60))
    rifle = (
        np.array(
            [
                (0.05, 0.75),
                (0.05, -0.55),
                (0.12, -0.6),
                (0.12, 0.1),
                (0.3, 0.15),
                (0.3, 0.3),
                (0.12, 0.3),
                (0.12, 0.75),
            ]
        )
        * r
    )
    angle = rng.uniform(-0.5, -0.2)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    cv2.fillPoly(img, [(rifle @ rot.T + c).astype(np.int32)], (20, 20, 20), cv2.LINE_AA)
    star = [
        (np.cos(a) * (r * 0.22 if i % 2 else r * 0.1), np.sin(a) * (r * 0.22 if i % 2 else r * 0.1))
        for i, a in enumerate(np.linspace(-np.pi / 2, 1.5 * np.pi, 11)[:-1])
    ]
    cv2.fillPoly(
        img, [(np.array(star) + np.array([c, c - r * 0.45])).astype(np.int32)], ring, cv2.LINE_AA
    )
    mask = np.zeros((size, size), np.uint8)
    cv2.circle(mask, (c, c), r, 255, -1, cv2.LINE_AA)
    return img, mask


def script_band(
    rng: np.random.Generator,
    canvas: np.ndarray,
    box: tuple[int, int, int, int],
    colour: tuple[int, int, int],
) -> None:
    """Arabic-looking calligraphy: a flowing baseline with loops, teeth and dots."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    base = y0 + int(h * 0.62)
    x = x1 - 2
    thick = max(1, h // 12)
    while x > x0 + h:
        word = int(rng.integers(3, 8)) * h // 4
        xs = np.linspace(x, x - word, 24)
        ys = base - np.abs(np.sin(np.linspace(0, rng.uniform(3, 9), 24))) * h * rng.uniform(
            0.1, 0.3
        )
        cv2.polylines(
            canvas, [np.stack([xs, ys], 1).astype(np.int32)], False, colour, thick, cv2.LINE_AA
        )
        for _ in range(int(rng.integers(1, 4))):
            tx = int(rng.uniform(x - word, x))
            cv2.line(
                canvas,
                (tx, base),
                (tx, base - int(h * rng.uniform(0.3, 0.55))),
                colour,
                thick,
                cv2.LINE_AA,
            )
        for _ in range(int(rng.integers(0, 3))):
            tx = int(rng.uniform(x - word, x))
            cv2.circle(canvas, (tx, base + int(h * 0.2)), thick, colour, -1, cv2.LINE_AA)
        if rng.random() < 0.5:
            cv2.ellipse(
                canvas,
                (int(x - word), base),
                (h // 6, h // 5),
                0,
                0,
                300,
                colour,
                thick,
                cv2.LINE_AA,
            )
        x -= word + h // 3


class IntroCard:
    """The channel's intro: emblem over a dark field and a calligraphy banner, fading in."""

    def __init__(self, channel: int, width: int, height: int, fps: int) -> None:
        rng = np.random.default_rng([channel, 7])
        card = np.zeros((height, width, 3), np.float32)
        top = rng.integers(0, 40, 3).astype(np.float32)
        ramp = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
        card[:] = top * (1 - ramp) + np.array([10, 50, 20], np.float32) * ramp
        img = card.astype(np.uint8)
        size = int(height * 0.5) & ~1
        logo, mask = emblem(np.random.default_rng([channel, 8]), size)
        x, y = (width - size) // 2, int(height * 0.06)
        _paste(img, logo, mask, x, y)
        band = (int(width * 0.1), int(height * 0.64), int(width * 0.9), int(height * 0.82))
        banner = tuple(int(v) for v in rng.integers(0, 60, 3) + np.array([10, 10, 150]))
        cv2.rectangle(img, band[:2], band[2:], banner, -1)
        script_band(rng, img, band, (230, 240, 245))
        sub = (int(width * 0.25), int(height * 0.85), int(width * 0.75), int(height * 0.95))
        script_band(rng, img, sub, (60, 200, 230))
        self.card = img
        self.band = band
        self.fps = fps
        self.frames = round(fps * INTRO_S)

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` of the intro: fade in, then a light sweep across the banner."""
        t = index / self.fps
        out = self.card.copy() if t >= 0.3 else cv2.convertScaleAbs(self.card, alpha=t / 0.3)
        x0, y0, x1, y1 = self.band
        sweep = x0 + int((x1 - x0) * min(1.0, t / 1.5))
        w = max(2, (x1 - x0) // 12)
        if t >= 0.3 and sweep + w < x1:
            roi = out[y0:y1, sweep : sweep + w]
            out[y0:y1, sweep : sweep + w] = cv2.add(roi, np.full_like(roi, 70))
        return out


class Watermark:
    """The channel's small emblem, semi-transparent in one corner of every frame."""

    def __init__(self, channel: int, width: int, height: int) -> None:
        size = max(12, int(height * 0.16)) & ~1
        self.logo, mask = emblem(np.random.default_rng([channel, 8]), size)
        self.alpha = (mask.astype(np.uint16) * 180 // 255)[..., None]
        right = np.random.default_rng([channel, 9]).random() < 0.5
        margin = max(2, height // 40)
        self.x = width - size - margin if right else margin
        self.y = margin

    def apply(self, frame: np.ndarray) -> None:
        h, w = self.logo.shape[:2]
        roi = frame[self.y : self.y + h, self.x : self.x + w]
        mixed = (
            roi.astype(np.uint16) * (255 - self.alpha) + self.logo.astype(np.uint16) * self.alpha
        )
        frame[self.y : self.y + h, self.x : self.x + w] = (mixed >> 8).astype(np.uint8)


def _paste(img: np.ndarray, sprite: np.ndarray, mask: np.ndarray, x: int, y: int) -> None:
    h, w = sprite.shape[:2]
    roi = img[y : y + h, x : x + w]
    a = mask.astype(np.float32)[..., None] / 255.0
    img[y : y + h, x : x + w] = (roi * (1 - a) + sprite * a).astype(np.uint8)
