"""The vectorised pHash gives imagehash's bits, for frames and for their mirror images."""

from __future__ import annotations

import cv2
import imagehash
import numpy as np
import pytest
from PIL import Image

from media.phash import hamming, phash, phash_with_mirror


def natural_like(rng: np.random.Generator, count: int) -> np.ndarray:
    """Smooth random images at several scales (like photographs at 32x32), and noise."""
    frames = [rng.integers(0, 256, (32, 32), dtype=np.uint8) for _ in range(count)]
    for sigma in (0.8, 1.5, 3.0):
        for _ in range(count):
            noise = rng.integers(0, 256, (32, 32)).astype(np.float32)
            frames.append(np.clip(cv2.GaussianBlur(noise, (0, 0), sigma) * 3 - 256, 0, 255))
    return np.stack(frames).astype(np.uint8)


def reference(frame: np.ndarray) -> int:
    return int(str(imagehash.phash(Image.fromarray(frame))), 16)


def test_bits_equal_imagehash_phash() -> None:
    frames = natural_like(np.random.default_rng(3), 150)
    ours = phash(frames)
    assert [int(h) for h in ours] == [reference(f) for f in frames]


def test_mirrored_hash_equals_the_hash_of_the_flipped_frame() -> None:
    frames = natural_like(np.random.default_rng(4), 60)
    plain, mirrored = phash_with_mirror(frames)
    assert [int(h) for h in mirrored] == [
        reference(np.ascontiguousarray(f[:, ::-1])) for f in frames
    ]
    assert (plain != mirrored).any()  # a flip really changes most hashes


def test_hamming_counts_differing_bits() -> None:
    a = np.array([0, 0xFF, 2**64 - 1], dtype=np.uint64)
    b = np.array([1, 0x0F, 0], dtype=np.uint64)
    assert hamming(a, b).tolist() == [1, 4, 64]


def test_frames_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError, match="32, 32"):
        phash(np.zeros((2, 16, 16)))
