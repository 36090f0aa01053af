"""Boilerplate: frames that many unrelated videos share (intros, outros, logo cards).

Every video of a channel opens with the same branded intro, so two unrelated launches
of one channel share their first seconds. Such frames must not count as evidence. We do
not keep a hand list: the archive tells us. When a query frame is looked up, the number
of distinct archived videos that contain it (its document frequency) is known. Footage
is found in the few videos that copy it; an intro is found in every video of the
channel. So a frame is down-weighted when it is found in many more videos than the
query's typical frame is: a popular clip re-posted by twenty channels keeps its weight
(all its frames are equally common), while its intro, shared with hundreds of other
videos, does not.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FREE_VIDEOS = 3  # a frame found in this many other videos is never down-weighted


def weights(frame_df: NDArray[np.int64], free: int = FREE_VIDEOS) -> NDArray[np.float64]:
    """Evidence weight in (0, 1] of each query frame, from how many videos contain it.

    `frame_df[i]` is the number of distinct other videos in which query frame i was found.
    """
    df = np.asarray(frame_df, dtype=np.float64)
    if not len(df):
        return np.ones(0)
    typical = float(np.median(df))  # blanks excluded upstream; unmatched frames count as 0
    allowed = max(float(free), 2.0 * typical + 1.0)
    return np.where(df <= allowed, 1.0, allowed / np.maximum(df, 1.0))
