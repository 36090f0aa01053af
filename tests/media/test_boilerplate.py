"""Frames shared by many unrelated videos lose their weight; a popular clip keeps it."""

from __future__ import annotations

import numpy as np

from media.boilerplate import weights


def test_an_intro_found_in_every_video_of_the_channel_is_down_weighted() -> None:
    # 8 intro frames found in 150 other videos; 30 footage frames found nowhere else
    df = np.array([150] * 8 + [0] * 30)
    w = weights(df)
    assert (w[:8] < 0.05).all() and (w[8:] == 1).all()


def test_a_clip_reposted_twenty_times_keeps_its_weight_but_not_its_intro() -> None:
    df = np.array([170] * 8 + [20] * 30)  # footage in its 20 copies, intro in 170 videos
    w = weights(df)
    assert (w[8:] == 1).all()
    assert (w[:8] < 0.3).all()


def test_a_frame_in_a_few_other_videos_is_never_down_weighted() -> None:
    assert (weights(np.array([3, 2, 1, 0, 0])) == 1).all()
