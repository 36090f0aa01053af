"""Render a clip spec to an H.264 file."""

from __future__ import annotations

from pathlib import Path

from media.synthetic.scene import frames
from media.synthetic.spec import ClipSpec
from media.synthetic.video_io import VideoWriter


def render_clip(path: Path | str, spec: ClipSpec) -> Path:
    """Write the clip `spec` describes to `path` (MP4, H.264 yuv420p) and return the path."""
    out = Path(path)
    with VideoWriter(out, spec.width, spec.height, spec.fps) as writer:
        for frame in frames(spec):
            writer.write(frame)
    return out
