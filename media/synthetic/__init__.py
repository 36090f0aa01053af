"""Deterministic synthetic launch footage, its re-uploads and compilations.

Real militia launch videos cannot ship with an open-source project, so the demo, the
tests and the benchmark draw their own: a branded intro card, a desert or night scene, a
launcher, a missile or drone leaving it in smoke, a handheld camera with cuts. One seed
gives one clip, always the same; other seeds give other launches that share the branding
(the hard negatives). `transform` applies the edits re-uploaders make.

    spec = ClipSpec(seed=7, night=True)
    render_clip("launch.mp4", spec)
    render_clip("other-camera.mp4", second_angle(spec))
    transform("launch.mp4", "repost.mp4", "crop", seed=1)
"""

from __future__ import annotations

from media.synthetic.render import render_clip
from media.synthetic.scene import frames
from media.synthetic.spec import INTRO_S, ClipSpec, second_angle
from media.synthetic.transforms import FAMILIES, compilation, transform

__all__ = [
    "FAMILIES",
    "INTRO_S",
    "ClipSpec",
    "compilation",
    "frames",
    "render_clip",
    "second_angle",
    "transform",
]
