"""Telegram Desktop exports ("Export chat history", JSON) read into posts.

Analysts already export channels this way. The whole export is read and checked before
anything is stored, so a malformed file writes nothing. Media paths come from a hostile
file: each must stay inside the export folder, and a missing or refused file is recorded
on its post with the reason, never silently dropped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from claimwatch.display import unpaired
from claimwatch.errors import ExportError, UnsafePathError
from storage.records import (
    BIGINT_MAX,
    INT_MAX,
    NAME_CHARS,
    Batch,
    Channel,
    Checkpoint,
    MediaRef,
    Post,
    SourceName,
)
from storage.timeutil import from_unix

SOURCE: SourceName = "tg-export"
CHANNEL_TYPES = {"public_channel", "private_channel", "public_supergroup", "private_supergroup"}
SKIPPED_TYPES = {"service", "unsupported"}
MAX_KIND, MAX_MIME = 32, 100  # the widths of the media kind and MIME type columns


@dataclass(frozen=True)
class ExportedChat:
    """One channel of an export, ready to store."""

    channel: Channel
    posts: tuple[Post, ...]
    skipped: int

    def renamed(self, handle: str) -> ExportedChat:
        """The same chat filed under another channel handle."""
        posts = tuple(replace(post, channel=handle) for post in self.posts)
        return replace(self, channel=replace(self.channel, handle=handle), posts=posts)

    def batches(self, size: int = 200) -> Iterator[Batch]:
        for start in range(0, len(self.posts), size):
            part = self.posts[start : start + size]
            checkpoint = Checkpoint(SOURCE, self.channel.handle, str(part[-1].message_id))
            yield Batch(self.channel, part, checkpoint)


def read_export(
    path: Path, handle: str | None = None, group: str | None = None
) -> list[ExportedChat]:
    """Read `result.json` (or the folder holding it) into chats; raises ExportError."""
    path = path / "result.json" if path.is_dir() else path
    document = _load_json(path)
    folder = path.parent.resolve()
    chats = _chat_documents(document, path)
    if handle is not None and len(chats) > 1:
        raise ExportError(f"{path} holds {len(chats)} channels; --channel names only one")
    return [_read_chat(chat, folder, path, handle, group) for chat in chats]


def _load_json(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            return json.load(handle)
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


def _chat_documents(document: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        raise ExportError(f"{path} is not a Telegram Desktop export (expected a JSON object)")
    if "messages" in document:
        return [document]
    chats = (
        document.get("chats", {}).get("list") if isinstance(document.get("chats"), dict) else None
    )
    if not isinstance(chats, list):
        raise ExportError(f"{path} is not a Telegram Desktop export: no 'messages' or 'chats.list'")
    channels = [c for c in chats if isinstance(c, dict) and c.get("type") in CHANNEL_TYPES]
    if not channels:
        raise ExportError(f"{path} holds no channel (only private chats or groups)")
    return channels


def _read_chat(
    chat: dict[str, Any], folder: Path, path: Path, handle: str | None, group: str | None
) -> ExportedChat:
    messages = chat.get("messages")
    if not isinstance(messages, list):
        raise ExportError(f"{path}: 'messages' must be a list")
    chat_id = chat.get("id")
    name = chat.get("name") if isinstance(chat.get("name"), str) else None
    external_id = str(chat_id) if _whole(chat_id) else None
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
    channel = Channel("telegram", channel_handle, external_id, name, group)
    posts: list[Post] = []
    first_seen: dict[int, int] = {}
    skipped = 0
    for index, message in enumerate(messages):
        where = f"{path}: message #{index + 1}"
        if not isinstance(message, dict):
            raise ExportError(f"{where} is not an object")
        if message.get("type") in SKIPPED_TYPES:
            skipped += 1
            continue
        post = _read_message(message, channel_handle, folder, where)
        if post.message_id in first_seen:
            raise ExportError(
                f"{where} (id {post.message_id}) repeats the id of message "
                f"#{first_seen[post.message_id]}"
            )
        first_seen[post.message_id] = index + 1
        posts.append(post)
    posts.sort(key=lambda p: p.message_id)
    return ExportedChat(channel, tuple(posts), skipped)


def _read_message(message: dict[str, Any], handle: str, folder: Path, where: str) -> Post:
    message_id = message.get("id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ExportError(f"{where} has no numeric 'id'")
    if not _whole(message_id):
        raise ExportError(f"{where} 'id' is out of range")
    where = f"{where} (id {message_id})"
    return Post(
        platform="telegram",
        channel=handle,
        message_id=message_id,
        posted_at=_timestamp(message, "date_unixtime", where, required=True),  # type: ignore[arg-type]
        text=message_text(message.get("text", ""), where),
        source=SOURCE,
        forwarded_from=_optional_str(message, "forwarded_from", where),
        reply_to=_optional_int(message, "reply_to_message_id", where),
        edited_at=_timestamp(message, "edited_unixtime", where, required=False),
        author=_optional_str(message, "author", where),
        media=tuple(_media(message, folder, where)),
    )


def message_text(text: Any, where: str) -> str:
    """The text as shown: a plain string, or a list of strings and entity objects."""
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        raise ExportError(f"{where}: 'text' must be a string or a list")
    parts = []
    for part in text:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
        else:
            raise ExportError(f"{where}: a part of 'text' is neither a string nor an entity")
    return "".join(parts)


def _timestamp(message: dict[str, Any], key: str, where: str, required: bool) -> datetime | None:
    value = message.get(key)
    if value is None and not required:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError(key)
        return from_unix(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        hint = (
            " (exports from Telegram Desktop before 2020 lack it: export again)" if required else ""
        )
        raise ExportError(f"{where}: '{key}' is missing or not a Unix time{hint}") from None


def _optional_str(message: dict[str, Any], key: str, where: str) -> str | None:
    value = message.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ExportError(f"{where}: '{key}' must be text")


def _optional_int(message: dict[str, Any], key: str, where: str) -> int | None:
    value = message.get(key)
    if value is None or _whole(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise ExportError(f"{where}: '{key}' is out of range")
    raise ExportError(f"{where}: '{key}' must be a whole number")


def _whole(value: Any) -> bool:
    """An integer the archive can hold as an id."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -BIGINT_MAX <= value <= BIGINT_MAX
    )


def _media(message: dict[str, Any], folder: Path, where: str) -> Iterator[MediaRef]:
    if "photo" in message:
        yield _media_ref(message, "photo", "photo", folder, where)
    if "file" in message:
        yield _media_ref(message, "file", _kind(message), folder, where)


def _kind(message: dict[str, Any]) -> str:
    """The declared media type when it is a plausible one, else plain 'file'."""
    declared = message.get("media_type")
    if isinstance(declared, str) and 0 < len(declared) <= MAX_KIND and declared.isprintable():
        return declared
    return "file"


def _media_ref(message: dict[str, Any], key: str, kind: str, folder: Path, where: str) -> MediaRef:
    declared = message.get(key)
    mime = _optional_str(message, "mime_type", where)
    fields: dict[str, Any] = {
        "kind": "video" if kind == "video_file" else kind,
        "file_name": _optional_str(message, "file_name", where),
        "mime": mime if mime and len(mime) <= MAX_MIME and mime.isprintable() else None,
        "size": _number(message.get("file_size")),
        "duration": _number(message.get("duration_seconds")),
        "width": _number(message.get("width"), INT_MAX),
        "height": _number(message.get("height"), INT_MAX),
    }
    if not isinstance(declared, str) or not declared:
        return MediaRef(**fields, missing=f"'{key}' is not a path in the export")
    if declared.startswith("("):
        return MediaRef(**fields, missing=f"not in the export: {declared}")
    fields["file_name"] = fields["file_name"] or Path(declared).name
    try:
        resolved = inside(folder, declared)
        found = resolved.is_file()
    except UnsafePathError as exc:
        return MediaRef(**fields, missing=f"refused: {exc}")
    except OSError as exc:
        return MediaRef(**fields, missing=f"refused: {_unusable(declared, exc)}")
    if not found:
        return MediaRef(**fields, missing=f"file not found in the export: {declared}")
    return MediaRef(**fields, path=resolved)


def inside(folder: Path, relative: str) -> Path:
    """`folder/relative` when it stays inside `folder` (links followed); raises otherwise."""
    candidate = Path(relative)
    if candidate.is_absolute():
        raise UnsafePathError(f"media path {relative!r} is absolute; exports use relative paths")
    try:
        resolved = (folder / candidate).resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # NUL, too long, a link loop
        raise UnsafePathError(_unusable(relative, exc)) from None
    if not resolved.is_relative_to(folder):
        raise UnsafePathError(f"media path {relative!r} escapes the export folder {folder}")
    return resolved


def _unusable(relative: str, exc: Exception) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"media path {relative[:200]!r} cannot be opened: {reason}"


def _number(value: Any, limit: float = float(BIGINT_MAX)) -> Any:
    """A declared size or duration; None when absent, not a number or beyond belief."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return value if math.isfinite(value) and 0 <= value <= limit else None
