"""What decoding alone costs: the floor under any fingerprint that reads these files.

Every figure is PyAV on one thread, CPU milliseconds per minute of video, over the same
corpus files as the main table:

* every frame, as OpenCV's reader decodes them (deblocking on);
* reference frames only (`skip_frame="BIDIR"`), without deblocking: what claimwatch
  decodes when the probe shows it is safe (decode.py);
* keyframes only (`skip_frame="NONKEY"`): cheapest, but a re-encode moves keyframes.

A fingerprint that decodes every reference frame cannot cost less than the second line.
"""

from __future__ import annotations

from pathlib import Path

import av

from bench.parallel import map_files

MODES = {
    "every frame (deblocking on)": ("DEFAULT", False),
    "reference frames only, no deblocking": ("BIDIR", True),
    "keyframes only": ("NONKEY", True),
}


def _decode(path: Path, skip: str, no_deblock: bool) -> int:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        context = stream.codec_context
        context.skip_frame = skip  # type: ignore[assignment]
        if no_deblock:
            context.options = {"skip_loop_filter": "all"}
        context.thread_count = 1
        return sum(1 for _ in container.decode(stream))


def _every(path: Path) -> int:
    return _decode(path, *MODES["every frame (deblocking on)"])


def _references(path: Path) -> int:
    return _decode(path, *MODES["reference frames only, no deblocking"])


def _keyframes(path: Path) -> int:
    return _decode(path, *MODES["keyframes only"])


def decode_floor(paths: dict[str, Path], minutes: float) -> dict[str, float]:
    """CPU ms per video-minute of each decoding mode over `paths`."""
    out = {}
    for name, compute in zip(MODES, (_every, _references, _keyframes), strict=True):
        _, cpu, error = map_files(compute, paths)
        if error:
            raise RuntimeError(f"decoding failed: {error}")
        out[name] = cpu * 1000 / minutes
    return out


def decode_markdown(floor: dict[str, float]) -> str:
    if not floor:
        return ""
    lines = ["| decoding alone (PyAV, one thread) | CPU ms per minute of video |", "|---|---|"]
    lines += [f"| {name} | {ms:,.0f} |" for name, ms in floor.items()]
    return "\n".join(lines)
