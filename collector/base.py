"""The one interface every source implements: a resumable iterator of batches.

A source reads a channel from an opaque checkpoint and yields `Batch`es, oldest first.
The caller stores each batch and its checkpoint in one transaction before asking for the
next, so a crash loses at most the batch in flight, which the next run fetches again.
A source downloads a batch's media into a scratch folder that it removes when asked for
the next batch. Sources that can re-read what they delivered (to find deletions and
edits) also implement `collector.recheck.Rechecking`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

from storage.records import Batch, Channel


class Source(ABC):
    """A platform we collect posts from."""

    name: str
    # What a long wait the platform asks of this source holds, when that is the whole
    # account (every channel read with it) rather than one channel; None: one channel.
    account_wait: str | None = None
    # Which account that is (collector.waits.account_label of its session or token): a
    # wait asked of another account does not hold this one's channels.
    account: str | None = None

    @abstractmethod
    def fetch(self, channel: Channel, checkpoint: str | None) -> Iterator[Batch]:
        """Yield the channel's posts newer than `checkpoint`, in batches, oldest first.

        Each batch carries the checkpoint that resumes right after it. Media files the
        batch refers to must exist on disk until the batch has been stored.
        """
