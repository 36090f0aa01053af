"""Importing a Telegram Desktop export into the archive: the stage behind `import tg-export`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from claimwatch.errors import ExportError
from collector.sources import bare_handle
from collector.tg_export import ExportedChat, export_batches, read_export
from storage import Store
from storage.records import Batch, IngestResult, canonical_channel_id, same_handle


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
    """Check the whole export (refusing a malformed one before writing), then store it
    batch by batch as it is read again. `handle` may be written as in the settings
    (`@name`, a t.me link): the channel is filed under the bare name either way."""
    if handle is not None:
        handle = bare_handle(handle) or None
    chats = [_filed(store, chat, handle) for chat in read_export(path, handle, group)]
    result = IngestResult()
    total = sum(chat.batch_count() for chat in chats)
    for batch in track(export_batches(chats), total):
        result += store.archive.ingest(batch)
    return ImportReport(
        tuple(chat.channel.handle for chat in chats), result, sum(c.skipped for c in chats)
    )


def _filed(store: Store, chat: ExportedChat, handle: str | None) -> ExportedChat:
    """The chat under the handle its channel is archived under, whatever the export calls
    it or whatever case `handle` is in; a `handle` asked for that names it otherwise is
    refused (it would store the channel's posts a second time, under another name)."""
    known = _known_handle(store, chat)
    if known is None:
        known = store.channels.spelling("telegram", chat.channel.handle).handle
    if known == chat.channel.handle:
        return chat
    if handle is None or same_handle(known, handle):
        return chat.renamed(known)
    raise ExportError(
        f"this export is of Telegram channel {canonical_channel_id(chat.channel.external_id)}, "
        f"archived as {known}; import it with --channel {known} (or without --channel), or "
        f"rename the archived channel first with `claimwatch channels rename telegram {known} "
        f"{handle}`"
    )


def _known_handle(store: Store, chat: ExportedChat) -> str | None:
    """The handle of a channel already archived under the chat's numeric id."""
    wanted = canonical_channel_id(chat.channel.external_id)
    for channel in store.archive.channels() if wanted else []:
        if channel.platform == "telegram" and canonical_channel_id(channel.external_id) == wanted:
            return channel.handle
    return None
