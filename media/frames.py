"""Greyscale frames of a video at given seconds, for the local-feature checks.

Same-scene leads (scene.py) and the copy-or-other-camera check (camera.py) look at a few
moments of a file with ORB or SIFT. Only reference frames are decoded (the nearest one
to each second is taken), with the deblocking filter on, since keypoints sit on edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from claimwatch.errors import MediaDecodeError
from media.decode import reason
from media.streams import footage_stream, quarter_turns, size_limit, upright

WIDTH = 480  # frames are scaled to this width
SEEK_S = 5.0  # a wanted second further ahead is reached by seeking to its keyframe
NEXT_SLACK_S = 0.05  # "at or after" a second: a frame this much earlier still counts


def frames_at(
    path: Path, times: Sequence[float], nearest: bool = True
) -> list[NDArray[np.uint8] | None]:
    """Greyscale frames WIDTH wide at each of `times`, among the reference frames: the
    nearest one, or (`nearest` False) the first shown at or after it.

    Decoding runs forward from the start, or from the keyframe before a wanted second
    that lies more than SEEK_S ahead (a moment deep in a long video). A second past the
    end gets the last frame.
    """
    wanted = sorted(range(len(times)), key=lambda i: times[i])
    found: list[NDArray[np.uint8] | None] = [None] * len(times)
    try:
        with av.open(str(path)) as container:
            stream = footage_stream(path, container)
            stream.codec_context.skip_frame = "NONREF"
            stream.codec_context.options = size_limit()
            done = 0
            while done < len(wanted):
                first = times[wanted[done]]
                if first > SEEK_S and stream.time_base is not None:
                    container.seek(int(first / stream.time_base), stream=stream)
                done = _decode_run(container, stream, times, wanted, done, found, nearest)
    except av.FFmpegError as exc:
        raise MediaDecodeError(f"{path.name}: cannot decode video: {reason(exc)}") from None
    return found


def _decode_run(
    container: av.container.InputContainer,
    stream: av.VideoStream,
    times: Sequence[float],
    wanted: list[int],
    done: int,
    found: list[NDArray[np.uint8] | None],
    nearest: bool,
) -> int:
    """Decode from where the container stands, filling wanted seconds in order; stops at
    the end, or (once one is filled) before a wanted second more than SEEK_S ahead.
    Returns how many are done."""
    previous: tuple[float, av.VideoFrame] | None = None
    began = done
    slack = 0.0 if nearest else NEXT_SLACK_S
    for frame in container.decode(stream):
        t = float(frame.time or 0.0)
        while done < len(wanted) and t + slack >= times[wanted[done]]:
            at = times[wanted[done]]
            nearer = nearest and previous is not None and at - previous[0] < t - at
            found[wanted[done]] = _grey(previous[1] if previous and nearer else frame)
            done += 1
        if done == len(wanted) or (done > began and times[wanted[done]] - t > SEEK_S):
            return done
        previous = (t, frame)
    for i in wanted[done:]:  # past the last frame: the last frame
        found[i] = _grey(previous[1]) if previous else None
    return len(wanted)


def _grey(frame: av.VideoFrame) -> NDArray[np.uint8]:
    """The frame WIDTH wide as it is shown (upright), in grey."""
    sideways = quarter_turns(frame) % 2
    shown_width, shown_height = (
        (frame.height, frame.width) if sideways else (frame.width, frame.height)
    )
    height = max(2, round(shown_height * WIDTH / max(shown_width, 1)))
    size = {"width": height, "height": WIDTH} if sideways else {"width": WIDTH, "height": height}
    return upright(np.asarray(frame.reformat(**size, format="gray").to_ndarray(), np.uint8), frame)
