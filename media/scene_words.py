"""Which groups of footage may share a scene: visual words over their ORB descriptors.

Checking two clips for the same scene takes up to 64 feature matchings and RANSAC fits,
and a folder of N distinct clips has N(N-1)/2 pairs: a few thousand pairs are minutes, a
few hundred thousand are days. Instead, a vocabulary of binary visual words is learnt
from the clips' own descriptors (k-majority clustering, the binary form of k-means that
bag-of-words loop closure uses for ORB), each group of footage is described by how often
it shows each word, and words are weighted by how few groups show them (IDF): the
channel's logo, its caption font and the black intro are on every clip and count for
nothing, while the hills and buildings of one site are on few. Each group is then
checked only against the groups whose words are most alike; nothing is decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

BRANCH = 64  # coarse centres, and words under each: at most 4,096 words
SAMPLE = 60_000  # descriptors the vocabulary is learnt from
ROUNDS = 8
PER_WORD = 15  # descriptors per word at least, or the words split noise
BLOCK = 512  # groups scored against all others at once (bounds the memory)

Descriptors = NDArray[np.uint8]  # n x 32 bytes: ORB's 256-bit descriptors


def alike_pairs(groups: Sequence[Sequence[Descriptors]], per_group: int) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, where j is among the `per_group` groups most alike to i, or i
    among j's. A group is all the descriptors of its frames; an empty group has none."""
    pooled = [_stack(g) for g in groups]
    present = [d for d in pooled if len(d)]
    if len(present) < 2 or per_group < 1:
        return set()
    vocabulary = learn_vocabulary(_sample(present))
    vectors = _weighted(pooled, vocabulary)
    return _nearest(vectors, per_group)


@dataclass(frozen=True)
class Vocabulary:
    """A two-level tree of binary words: a descriptor's word is found among BRANCH coarse
    centres, then among the fine centres under the nearest one (the cost of 2 x BRANCH
    comparisons, not BRANCH**2)."""

    coarse: Descriptors
    fine: tuple[Descriptors, ...]  # the words under each coarse centre
    first: NDArray[np.intp]  # the number of the first word under each coarse centre

    def __len__(self) -> int:
        return int(self.first[-1] + len(self.fine[-1])) if self.fine else 0

    def words(self, descriptors: Descriptors) -> NDArray[np.intp]:
        """The word of every descriptor."""
        cell = nearest(descriptors, self.coarse)
        found = np.zeros(len(descriptors), np.intp)
        for c in np.unique(cell):
            members = np.flatnonzero(cell == c)
            found[members] = self.first[c] + nearest(descriptors[members], self.fine[c])
        return found


def learn_vocabulary(descriptors: Descriptors, seed: int = 0) -> Vocabulary:
    """Words for `descriptors` (at most BRANCH**2), the same for the same input."""
    rng = np.random.default_rng(seed)
    if len(descriptors) > SAMPLE:
        descriptors = descriptors[rng.choice(len(descriptors), SAMPLE, replace=False)]
    coarse = _k_majority(descriptors, BRANCH, rng)
    cell = nearest(descriptors, coarse)
    fine = tuple(_k_majority(descriptors[cell == c], BRANCH, rng) for c in range(len(coarse)))
    first = np.cumsum([0] + [len(f) for f in fine[:-1]]).astype(np.intp)
    return Vocabulary(coarse, fine, first)


def _k_majority(descriptors: Descriptors, most: int, rng: np.random.Generator) -> Descriptors:
    """Binary cluster centres: each bit of a centre is its members' majority bit."""
    count = max(1, min(most, len(descriptors) // PER_WORD))
    if not len(descriptors):
        return np.zeros((1, 32), np.uint8)
    centres = descriptors[rng.choice(len(descriptors), count, replace=False)].copy()
    bits = np.unpackbits(descriptors, axis=1).astype(np.int32)
    for _ in range(ROUNDS):
        closest = nearest(descriptors, centres)
        sizes = np.bincount(closest, minlength=count)
        members = sparse.csr_matrix(
            (np.ones(len(closest), np.int32), (closest, np.arange(len(closest)))),
            shape=(count, len(closest)),
        )
        ones = np.asarray(members @ bits)
        used = sizes > 0  # an empty centre stays where it was
        centres[used] = np.packbits(ones[used] * 2 > sizes[used, None], axis=1)
    return centres


def nearest(descriptors: Descriptors, centres: Descriptors) -> NDArray[np.intp]:
    """The nearest centre (Hamming distance) of every descriptor."""
    if not len(descriptors):
        return np.zeros(0, np.intp)
    _, found = cv2.batchDistance(
        np.ascontiguousarray(descriptors),
        np.ascontiguousarray(centres),
        cv2.CV_32S,
        normType=cv2.NORM_HAMMING,
        K=1,
    )
    return np.asarray(found, np.intp).ravel()


def _sample(groups: Sequence[Descriptors], seed: int = 0) -> Descriptors:
    """About SAMPLE descriptors, an equal share from each group (a long clip does not
    outweigh the rest, and thousands of groups are never stacked whole)."""
    rng = np.random.default_rng(seed)
    share = max(1, SAMPLE // len(groups))
    return np.concatenate(
        [g if len(g) <= share else g[rng.choice(len(g), share, replace=False)] for g in groups]
    )


def _stack(frames: Sequence[Descriptors]) -> Descriptors:
    kept = [f for f in frames if len(f)]
    return np.concatenate(kept) if kept else np.zeros((0, 32), np.uint8)


def _weighted(pooled: Sequence[Descriptors], vocabulary: Vocabulary) -> sparse.csr_matrix:
    """One row per group: word counts times IDF, scaled to unit length."""
    rows, cols = [], []
    for row, descriptors in enumerate(pooled):
        words = np.unique(vocabulary.words(descriptors), return_counts=True)
        rows.append(np.full(len(words[0]), row))
        cols.append(words)
    row_ids = np.concatenate(rows)
    word_ids = np.concatenate([w for w, _ in cols])
    counts = np.concatenate([c for _, c in cols]).astype(np.float64)
    shape = (len(pooled), len(vocabulary))
    shown = np.bincount(word_ids, minlength=shape[1])
    idf = np.log(len(pooled) / np.maximum(shown, 1))
    values = np.sqrt(counts) * idf[word_ids]  # a word repeated on one texture counts less
    matrix = sparse.csr_matrix((values, (row_ids, word_ids)), shape=shape)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix)


def _nearest(vectors: sparse.csr_matrix, per_group: int) -> set[tuple[int, int]]:
    count = vectors.shape[0]
    keep = min(per_group, count - 1)
    pairs: set[tuple[int, int]] = set()
    for start in range(0, count, BLOCK):
        block = (vectors[start : start + BLOCK] @ vectors.T).toarray()
        for offset, scores in enumerate(block):
            me = start + offset
            scores[me] = -1.0
            for other in np.argpartition(-scores, keep - 1)[:keep]:
                if scores[other] > 0:
                    pairs.add((min(me, int(other)), max(me, int(other))))
    return pairs
