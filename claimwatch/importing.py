"""Importing a Telegram Desktop export into the archive: the stage behind `import tg-export`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from collector.tg_export import ExportedChat, read_export
from storage import Store
from storage.records import Batch, IngestResult, canonical_channel_id


@dataclass(frozen=True)
class ImportReport:
    channels: tuple[str, ...]
    result: IngestResult
    skipped: int


def import_tg_export(
    store: Store,
    path: Path,
    handle: str | None = None,
    group: str | None = None,
    track: Callable[[Iterable[Batch], int], Iterable[Batch]] = lambda items, _total: items,
) -> ImportReport:
    """Read the whole export (refusing a malformed one before writing), then store it."""
    chats = read_export(path, handle, group)
    if handle is None:
        chats = [_with_known_handle(store, chat) for chat in chats]
    result = IngestResult()
    batches = [batch for chat in chats for batch in chat.batches()]
    for batch in track(batches, len(batches)):
        result += store.archive.ingest(batch)
    return ImportReport(
        tuple(chat.channel.handle for chat in chats), result, sum(c.skipped for c in chats)
    )


def _with_known_handle(store: Store, chat: ExportedChat) -> ExportedChat:
    """Reuse the handle of a channel already collected live under the same numeric id."""
    wanted = canonical_channel_id(chat.channel.external_id)
    for channel in store.archive.channels() if wanted else []:
        if channel.platform == "telegram" and canonical_channel_id(channel.external_id) == wanted:
            return chat.renamed(channel.handle)
    return chat
