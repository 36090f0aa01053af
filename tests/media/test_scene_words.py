"""Choosing which groups of footage to check for the same scene, by their visual words."""

from __future__ import annotations

import numpy as np

from media.scene_words import alike_pairs, learn_vocabulary

LOGO = np.random.default_rng(99).integers(0, 256, size=(300, 32), dtype=np.uint8)


def _terrain(seed: int, count: int = 400) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(count, 32), dtype=np.uint8)


def _seen_again(descriptors: np.ndarray, seed: int, bits: int = 6) -> np.ndarray:
    """The same points seen by another camera: a few bits of each descriptor differ."""
    rng = np.random.default_rng(seed)
    unpacked = np.unpackbits(descriptors, axis=1)
    for row in unpacked:
        row[rng.choice(256, bits, replace=False)] ^= 1
    return np.packbits(unpacked, axis=1)


def _clips(count: int) -> list[list[np.ndarray]]:
    """`count` launches at other sites, each frame with the channel's logo."""
    return [[_terrain(seed), LOGO] for seed in range(count)]


def test_a_second_camera_is_paired_with_its_launch_among_many_with_the_same_logo() -> None:
    groups = _clips(40)
    groups.append([_seen_again(groups[7][0][:250], seed=1), LOGO])

    assert (7, 40) in alike_pairs(groups, per_group=1)


def test_each_group_is_paired_with_at_most_its_few_most_alike() -> None:
    groups = _clips(30)

    pairs = alike_pairs(groups, per_group=2)

    assert 0 < len(pairs) <= 30 * 2
    assert all(i < j for i, j in pairs)


def test_footage_sharing_only_the_logo_is_paired_with_nothing() -> None:
    """A word on every group's frames says nothing about the scene (its IDF is zero)."""
    assert alike_pairs([[LOGO], [LOGO.copy()], [LOGO[::-1]]], per_group=2) == set()


def test_groups_without_features_are_paired_with_nothing() -> None:
    empty = np.zeros((0, 32), np.uint8)

    assert alike_pairs([[empty], [_terrain(1)]], per_group=3) == set()
    assert alike_pairs([], per_group=3) == set()


def test_the_same_descriptors_give_the_same_words() -> None:
    descriptors = np.concatenate([_terrain(seed) for seed in range(20)])

    first, second = learn_vocabulary(descriptors), learn_vocabulary(descriptors.copy())

    assert np.array_equal(first.words(descriptors), second.words(descriptors))
    assert len(first) <= 64 * 64
    assert first.words(descriptors).max() < len(first)
