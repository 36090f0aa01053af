"""The third, optional interface of a source: downloading a failed media file again.

Sources that fetch media by URL (the web preview's CDN, X's media hosts) try a file again
from the URL stored with its link, under the same host and size rules as the first time;
the Telegram API reads the message again and downloads its file. The collect run asks
them for the links `storage.media_retries` says are due.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence

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


def download_again(
    downloader: MediaDownloader, staging: Staging, items: Sequence[PendingMedia]
) -> Iterator[tuple[PendingMedia, MediaRef]]:
    """`Refetching.download_again` for a source with a downloader and a staging area."""
    if not items:
        return
    with staging.folder() as folder:
        for item in items:
            yield item, downloader.fetch(item.url, folder, item.kind)
