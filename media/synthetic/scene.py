"""One clip's frames: intro card, then the launch as the camera sees it, logo and noise.

Each random ingredient has its own seeded stream (site, launch, camera view, noise,
channel), so changing one knob of a spec changes only what it should.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from media.synthetic.branding import IntroCard, Watermark
from media.synthetic.camera import Camera
from media.synthetic.draw import draw_launch
from media.synthetic.launch import plan_launch
from media.synthetic.spec import INTRO_S, ClipSpec
from media.synthetic.world import Lighting, build_world, world_size


def lighting_of(spec: ClipSpec) -> Lighting:
    if spec.night:
        return "night"
    return "dusk" if np.random.default_rng([spec.seed, 201]).random() < 0.35 else "day"


def frames(spec: ClipSpec) -> Iterator[np.ndarray]:
    """Every frame of the clip a spec describes, as BGR arrays."""
    lighting = lighting_of(spec)
    world = build_world(spec.site_seed, lighting, spec.width, spec.height)
    scene_s = spec.duration_s - INTRO_S
    launch = plan_launch(np.random.default_rng([spec.seed, 202]), world, scene_s)
    view_rng = np.random.default_rng([spec.seed, 203, spec.view])
    camera = Camera(
        view_rng,
        spec.view,
        (spec.width, spec.height),
        world_size(spec.width, spec.height),
        launch,
        scene_s,
        spec.fps,
    )
    # another camera started recording a little earlier or later than the first
    start = (-INTRO_S if spec.intro else 0.0) + (
        view_rng.uniform(-0.1, 0.1) * scene_s if spec.view else 0.0
    )
    intro = IntroCard(spec.channel, spec.width, spec.height, spec.fps) if spec.intro else None
    logo = Watermark(spec.channel, spec.width, spec.height) if spec.logo else None
    noise = _noise_bank(np.random.default_rng([spec.seed, 204, spec.view]), spec, lighting)
    pick = np.random.default_rng([spec.seed, 205, spec.view]).integers(
        0, len(noise), spec.frame_count
    )
    for i in range(spec.frame_count):
        if intro is not None and i < intro.frames:
            yield intro.frame(i)
            continue
        t = start + i / spec.fps
        h = camera.homography(t)
        frame = cv2.warpPerspective(
            world.image,
            h,
            (spec.width, spec.height),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
        draw_launch(frame, h, launch, t, lighting == "night")
        if logo is not None:
            logo.apply(frame)
        plus, minus = noise[pick[i]]
        yield cv2.subtract(cv2.add(frame, plus), minus)


def _noise_bank(
    rng: np.random.Generator, spec: ClipSpec, lighting: Lighting
) -> list[tuple[np.ndarray, np.ndarray]]:
    """A few frames of sensor noise, split into positive and negative parts for cv2.add."""
    sigma = 3.0 if lighting == "night" else 2.5
    bank = []
    for _ in range(6):
        n = rng.normal(0, sigma, (spec.height, spec.width, 1)).repeat(3, axis=2)
        n += rng.normal(0, sigma * 0.4, (spec.height, spec.width, 3))
        bank.append((np.clip(n, 0, 255).astype(np.uint8), np.clip(-n, 0, 255).astype(np.uint8)))
    return bank
