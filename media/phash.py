"""Perceptual hashes of many frames at once, bit for bit imagehash's pHash.

imagehash.phash resizes a PIL image to 32x32, takes a 2-D DCT-II, keeps the 8x8 lowest
frequencies and sets each bit where a coefficient is above their median. Calling it per
frame costs a PIL round trip and two scipy FFT calls; here the DCT is two matrix products
over a whole stack of 32x32 frames, so hashing a video's samples costs microseconds each.

Mirroring a frame left-right multiplies DCT column v by (-1)^v, so the hash of the
mirrored frame comes from the same coefficients for free (no second resize or DCT).

Bit order matches imagehash: the first coefficient is the most significant bit, so
`int(str(imagehash.phash(img)), 16)` equals our uint64 for the same 32x32 pixels.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

HASH_SIZE = 8
IMAGE_SIZE = 32  # imagehash's hash_size * highfreq_factor
BITS = HASH_SIZE * HASH_SIZE

_n = np.arange(IMAGE_SIZE)
# Unnormalised DCT-II basis, as scipy.fftpack.dct (its factor 2 cannot change a bit).
_DCT = np.cos(np.pi * np.outer(np.arange(HASH_SIZE), 2 * _n + 1) / (2 * IMAGE_SIZE))
_MIRROR_SIGNS = np.where(np.arange(HASH_SIZE) % 2 == 1, -1.0, 1.0)[None, :]
_WEIGHTS = (1 << np.arange(BITS - 1, -1, -1, dtype=np.uint64)).astype(np.uint64)
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def low_frequencies(frames: NDArray[np.generic]) -> NDArray[np.float64]:
    """The 8x8 lowest DCT coefficients of each of `frames` (n, 32, 32)."""
    stack = np.asarray(frames, dtype=np.float64)
    if stack.ndim != 3 or stack.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise ValueError(f"expected frames of shape (n, 32, 32), got {stack.shape}")
    return _DCT @ stack @ _DCT.T


def mirrored(coefficients: NDArray[np.float64]) -> NDArray[np.float64]:
    """The low DCT coefficients of the left-right mirrored frames."""
    return coefficients * _MIRROR_SIGNS


def bits_of(coefficients: NDArray[np.float64]) -> NDArray[np.uint64]:
    """One uint64 pHash per 8x8 coefficient block: bit set where above the block's median."""
    flat = coefficients.reshape(len(coefficients), BITS)
    above = flat > np.median(flat, axis=1, keepdims=True)
    return (above.astype(np.uint64) * _WEIGHTS).sum(axis=1, dtype=np.uint64)


def phash(frames: NDArray[np.generic]) -> NDArray[np.uint64]:
    """imagehash-compatible pHashes of 32x32 greyscale frames."""
    return bits_of(low_frequencies(frames))


def phash_with_mirror(frames: NDArray[np.generic]) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """The pHashes of `frames` and of their left-right mirror images."""
    coefficients = low_frequencies(frames)
    return bits_of(coefficients), bits_of(mirrored(coefficients))


def hamming(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> NDArray[np.uint8]:
    """Bitwise distance between uint64 hashes, broadcasting like `a ^ b`."""
    x = np.bitwise_xor(a, b)
    as_bytes = np.ascontiguousarray(x).view(np.uint8).reshape(*x.shape, 8)
    return _POPCOUNT[as_bytes].sum(axis=-1, dtype=np.uint8)
