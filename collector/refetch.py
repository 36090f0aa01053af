"""The third, optional interface of a source: downloading a failed media file again.

Sources that fetch media by URL (the web preview's CDN, X's media hosts) try a file again
from the URL stored with its link, under the same host and size rules as the first time;
the Telegram API reads the message again and downloads its file. The collect run asks
them for the links `storage.media_retries` says are due.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from collector.media_download import MediaDownloader
from collector.staging import Staging
from storage.media_retries import PendingMedia
from storage.records import Channel, MediaRef


class Refetching(ABC):
    """A source whose failed media files can be downloaded again."""

    by_url: bool = True  # needs the link's URL (else it asks by message id)

    @abstractmethod
    def download_again(
        self, channel: Channel, items: Sequence[PendingMedia]
    ) -> Iterator[tuple[PendingMedia, MediaRef]]:
        """Each item with what a new download brought; files last until the next item."""

    def current(self, channel: Channel) -> Channel | None:
        """The channel as the platform describes `channel`'s handle now (with its id), for a
        source that asks for files by message id; None when files are asked for by URL."""
        return None


def download_again(
    staging: Staging,
    items: Sequence[PendingMedia],
    fetch: Callable[[PendingMedia, Path], MediaRef],
) -> Iterator[tuple[PendingMedia, MediaRef]]:
    """`Refetching.download_again` for a source: each item with what `fetch(item, folder)`
    brought, all into one staging folder."""
    if not items:
        return
    with staging.folder() as folder:
        for item in items:
            yield item, fetch(item, folder)


def from_url(downloader: MediaDownloader) -> Callable[[PendingMedia, Path], MediaRef]:
    """Fetch an item again from the URL stored with its link."""
    return lambda item, folder: downloader.fetch(item.url, folder, item.kind)
