"""Telegram Desktop exports ("Export chat history", JSON) read into posts.

Analysts already export channels this way, and a busy channel's export runs to gigabytes,
so `result.json` is read a piece at a time, twice, and never held whole. The first reading
checks all of it, so a malformed file writes nothing, and counts each channel's posts; the
second hands the posts over in batches to store, in the order the export lists them.

Only channels and supergroups are imported (`type` public_channel, private_channel,
public_supergroup, private_supergroup): on Telegram a supergroup is a channel (its id is in
the channels' id space, as the API source sees it), and armed groups run public
supergroups beside their channels. A personal chat, a bot chat, saved messages or a basic
group (`private_group`, whose id is in another id space and could name a channel's) is
refused: a single-chat export of one names its type, a full account export leaves them out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from claimwatch.display import displayable, unpaired
from claimwatch.errors import ExportError
from collector.json_stream import CHUNK_SIZE, Document, Streamed, TextWindow
from collector.message_ids import MessageIds
from collector.tg_messages import SOURCE, message_post, one_of, whole
from storage.records import BIGINT_MAX, NAME_CHARS, Batch, Channel, Checkpoint, Post

CHANNEL_TYPES = {"public_channel", "private_channel", "public_supergroup", "private_supergroup"}
BATCH_SIZE = 200
DEPTH = 3  # objects and arrays walked: the export, its `chats`, their `list`, each chat


@dataclass(frozen=True)
class ExportFile:
    """Where a chat's messages are: the export as it was checked, and which array."""

    path: Path
    folder: Path
    identity: tuple[int, ...]
    chunk_size: int
    ordinal: int


@dataclass(frozen=True)
class ExportedChat:
    """One channel of an export, checked whole: its posts are read again as they are stored."""

    channel: Channel
    count: int  # posts, service messages left out
    skipped: int
    origin: ExportFile

    def renamed(self, handle: str) -> ExportedChat:
        """The same chat filed under another channel handle."""
        return replace(self, channel=replace(self.channel, handle=handle))

    def posts(self) -> Iterator[Post]:
        """The chat's posts, in the export's order."""
        return (post for _chat, post in _posts([self]))

    def batches(self, size: int = BATCH_SIZE) -> Iterator[Batch]:
        """The chat's posts in batches of `size`, each with its checkpoint."""
        return export_batches([self], size)

    def batch_count(self, size: int = BATCH_SIZE) -> int:
        """How many batches `batches(size)` hands over."""
        return -(-self.count // size)


def read_export(
    path: Path, handle: str | None = None, group: str | None = None, chunk_size: int = CHUNK_SIZE
) -> list[ExportedChat]:
    """Read `result.json` (or the folder holding it) through, checking every message, into
    chats; raises ExportError. `chunk_size` bytes are read at a time."""
    path = path / "result.json" if path.is_dir() else path
    reading = _Reading(path, _export_folder(path), chunk_size)
    chats = _chat_documents(reading.check(_may_be_channel), path)
    if handle is not None and len(chats) > 1:
        raise ExportError(f"{path} holds {len(chats)} channels; --channel names only one")
    again = {array.ordinal for array in map(_messages, chats) if array in reading.passed}
    if again:  # declared another type before its messages, and a channel after them
        reading.check(lambda array: array.ordinal in again)
    return [reading.exported(chat, handle, group) for chat in chats]


def export_batches(chats: Sequence[ExportedChat], size: int = BATCH_SIZE) -> Iterator[Batch]:
    """The posts of chats of one export in batches of `size`, reading it once more; each
    batch's checkpoint is the highest message id stored so far, so it never goes back."""
    for chat, pairs in groupby(_posts(chats), key=itemgetter(0)):
        posts, highest = map(itemgetter(1), pairs), -BIGINT_MAX
        while part := tuple(islice(posts, size)):
            highest = max(highest, *(post.message_id for post in part))
            yield Batch(chat.channel, part, Checkpoint(SOURCE, chat.channel.handle, str(highest)))


@dataclass
class _Tally:
    """One chat's messages as the first reading finds them."""

    posts: int = 0
    skipped: int = 0
    error: ExportError | None = None
    ids: MessageIds = field(default_factory=MessageIds)

    def add(self, message: Any, index: int, path: Path) -> None:
        if self.error is not None:
            return
        try:
            post = message_post(message, index, "", None, path)  # files are looked for later
        except ExportError as exc:
            self.error = exc
            return
        if post is None:
            self.skipped += 1
            return
        first = self.ids.first(post.message_id, index + 1)
        if first is not None:
            self.error = ExportError(
                f"{path}: message #{index + 1} (id {post.message_id}) repeats the id of "
                f"message #{first}"
            )
            return
        self.posts += 1


class _Reading:
    """One reading of the whole export, checking the messages of the chats it is asked to.

    A message's error is kept and raised once the file is known to be JSON throughout, and
    only if its chat is imported, so errors come in the order a whole-file reading gives.
    """

    def __init__(self, path: Path, folder: Path, chunk_size: int) -> None:
        self.path, self.folder, self.chunk_size = path, folder, chunk_size
        self.identity: tuple[int, ...] = ()
        self.tallies: dict[int, _Tally] = {}
        self.passed: set[Streamed] = set()

    def check(self, wanted: Callable[[Streamed], bool]) -> Any:
        """Read the file through, checking the messages of the arrays `wanted` accepts; the
        document, its messages arrays standing as `Streamed`."""
        tally: _Tally | None = None
        current: Streamed | None = None
        with _reading(self.path) as binary:
            self.identity = _same_file(binary, self.identity, self.path)
            window = TextWindow(binary, self.chunk_size)
            document = Document(window, "messages", DEPTH)
            try:
                for array, index, message in document.elements():
                    if array is not current:
                        if tally is not None:
                            tally.ids = MessageIds()  # needed only while its chat is read
                        current, tally = array, self._tally(array, wanted)
                    if tally is not None:
                        tally.add(message, index, self.path)
            except (json.JSONDecodeError, RecursionError):
                window.drain()  # text that is not UTF-8 is named first, as json.load does
                raise
        return document.value

    def _tally(self, array: Streamed, wanted: Callable[[Streamed], bool]) -> _Tally | None:
        if not wanted(array):
            self.passed.add(array)
            return None
        return self.tallies.setdefault(array.ordinal, _Tally())

    def exported(self, chat: dict[str, Any], handle: str | None, group: str | None) -> ExportedChat:
        array = _messages(chat)
        if array is None:
            raise ExportError(f"{self.path}: 'messages' must be a list")
        channel = _channel(chat, self.path, handle, group)
        tally = self.tallies.get(array.ordinal, _Tally())
        if tally.error is not None:
            raise tally.error
        origin = ExportFile(self.path, self.folder, self.identity, self.chunk_size, array.ordinal)
        return ExportedChat(channel, tally.posts, tally.skipped, origin)


def _export_folder(path: Path) -> Path:
    """The folder of the export's own file, where its media paths lead from: the real
    folder, also when `result.json` is a link to it from elsewhere."""
    try:
        return path.resolve().parent
    except (OSError, RuntimeError) as exc:  # a link loop, a name too long
        raise ExportError(f"{path} cannot be read: {exc}") from None


def _may_be_channel(array: Streamed) -> bool:
    """Whether a messages array may be a channel's, as far as can be told when it begins."""
    if array.path == ("messages",):
        return True
    in_list = len(array.path) == 4 and array.path[:2] == ("chats", "list")
    return in_list and ("type" not in array.holder or one_of(array.holder["type"], CHANNEL_TYPES))


def _messages(chat: dict[str, Any]) -> Streamed | None:
    array = chat.get("messages")
    return array if isinstance(array, Streamed) else None


def _chat_documents(document: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        raise ExportError(f"{path} is not a Telegram Desktop export (expected a JSON object)")
    if "messages" in document:
        _check_type(document.get("type"), path)
        return [document]
    chats = (
        document.get("chats", {}).get("list") if isinstance(document.get("chats"), dict) else None
    )
    if not isinstance(chats, list):
        raise ExportError(f"{path} is not a Telegram Desktop export: no 'messages' or 'chats.list'")
    channels = [c for c in chats if isinstance(c, dict) and one_of(c.get("type"), CHANNEL_TYPES)]
    if not channels:
        raise ExportError(f"{path} holds no channel (only private chats or groups)")
    return channels


def _check_type(declared: Any, path: Path) -> None:
    """Refuse a single-chat export that is not of a channel or a supergroup."""
    if one_of(declared, CHANNEL_TYPES):
        return
    if isinstance(declared, str):
        found = f"'type' {displayable(declared[:60])!r}"
    else:
        found = "no 'type'" if declared is None else "a 'type' that is not text"
    raise ExportError(
        f"{path} is not the export of a channel: it has {found}; only channels and "
        f"supergroups are imported ({', '.join(sorted(CHANNEL_TYPES))})"
    )


def _channel(chat: dict[str, Any], path: Path, handle: str | None, group: str | None) -> Channel:
    chat_id = chat.get("id")
    name = chat.get("name") if isinstance(chat.get("name"), str) else None
    external_id = str(chat_id) if whole(chat_id) else None
    channel_handle = handle or external_id or name
    if not channel_handle:
        raise ExportError(f"{path}: the chat has neither an id nor a name; give --channel")
    if len(channel_handle) > NAME_CHARS:
        raise ExportError(
            f"{path}: the channel handle {channel_handle[:40]!r}... is longer than "
            f"{NAME_CHARS} characters; give --channel"
        )
    if unpaired(channel_handle):  # a handle is a name: only text columns keep half an emoji
        raise ExportError(
            f"{path}: the channel handle {channel_handle[:40]!r} holds half an emoji (an "
            "unpaired surrogate); give --channel"
        )
    if group is not None and len(group) > NAME_CHARS:
        raise ExportError(f"the group name is longer than {NAME_CHARS} characters")
    return Channel("telegram", channel_handle, external_id, name, group)


def _posts(chats: Sequence[ExportedChat]) -> Iterator[tuple[ExportedChat, Post]]:
    """The posts of chats of one export, in file order, reading it once more."""
    if not chats:
        return
    origin = chats[0].origin
    wanted = {chat.origin.ordinal: chat for chat in chats}
    last = max(wanted)
    with _reading(origin.path) as binary:
        _same_file(binary, origin.identity, origin.path)
        document = Document(TextWindow(binary, origin.chunk_size), "messages", DEPTH)
        for array, index, message in document.elements():
            if array.ordinal > last:
                return  # the rest of the file holds none of the chats
            chat = wanted.get(array.ordinal)
            if chat is None:
                continue
            post = message_post(message, index, chat.channel.handle, origin.folder, origin.path)
            if post is not None:
                yield chat, post


def _same_file(binary: BinaryIO, identity: tuple[int, ...], path: Path) -> tuple[int, ...]:
    """The identity of the open file, which must be `identity` when one is given: what
    tells the file checked from one written over it since."""
    stat = os.fstat(binary.fileno())
    found = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if identity and found != identity:
        raise ExportError(f"{path} changed after it was checked; import it again")
    return found


@contextmanager
def _reading(path: Path) -> Iterator[BinaryIO]:
    """The export, open; what goes wrong reading it named as json.load's failures were."""
    try:
        with path.open("rb") as binary:
            yield binary
    except FileNotFoundError:
        raise ExportError(f"{path} does not exist") from None
    except OSError as exc:
        raise ExportError(f"{path} cannot be read: {exc.strerror or exc}") from None
    except RecursionError:
        raise ExportError(f"{path} nests too deeply to be a Telegram Desktop export") from None
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except UnicodeDecodeError:
        raise ExportError(f"{path} is not UTF-8 text") from None
