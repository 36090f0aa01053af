"""One message of a Telegram Desktop export read into a post, with every check it needs.

The export is a hostile file: every field is checked before it reaches the archive, and
media paths must stay inside the export folder. A missing or refused media file is
recorded on its post with the reason, never silently dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from claimwatch.errors import ExportError, UnsafePathError
from collector.export_content import export_attachment, message_text
from storage.records import BIGINT_MAX, INT_MAX, MediaRef, Post, SourceName
from storage.timeutil import FinerThanStored, from_unix

SOURCE: SourceName = "tg-export"
SKIPPED_TYPES = {"service", "unsupported"}
MAX_KIND, MAX_MIME = 32, 100  # the widths of the media kind and MIME type columns


def message_post(
    message: Any, index: int, handle: str, folder: Path | None, path: Path
) -> Post | None:
    """The post message #`index + 1` of a chat holds, None for a service message. With no
    `folder`, the message is only checked: its media files are not looked for."""
    where = f"{path}: message #{index + 1}"
    if not isinstance(message, dict):
        raise ExportError(f"{where} is not an object")
    if one_of(message.get("type"), SKIPPED_TYPES):
        return None
    return read_message(message, handle, folder, where)


def one_of(value: Any, names: set[str]) -> bool:
    """Whether a `type` field names one of `names` (a hostile file may put anything there)."""
    return isinstance(value, str) and value in names


def read_message(message: dict[str, Any], handle: str, folder: Path | None, where: str) -> Post:
    message_id = message.get("id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ExportError(f"{where} has no numeric 'id'")
    if not whole(message_id):
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
        attachment=export_attachment(message, where),
    )


def _timestamp(message: dict[str, Any], key: str, where: str, required: bool) -> datetime | None:
    value = message.get(key)
    if value is None and not required:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError(key)
        return from_unix(value)  # type: ignore[arg-type]
    except FinerThanStored:
        raise ExportError(
            f"{where}: '{key}' is {str(value)[:60]}, finer than the microsecond the archive "
            "keeps a time to; refused rather than rounded"
        ) from None
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
    if value is None or whole(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise ExportError(f"{where}: '{key}' is out of range")
    raise ExportError(f"{where}: '{key}' must be a whole number")


def whole(value: Any) -> bool:
    """An integer the archive can hold as an id."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -BIGINT_MAX <= value <= BIGINT_MAX
    )


def _media(message: dict[str, Any], folder: Path | None, where: str) -> Iterator[MediaRef]:
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


def _media_ref(
    message: dict[str, Any], key: str, kind: str, folder: Path | None, where: str
) -> MediaRef:
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
    if folder is None:
        return MediaRef(**fields)
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
