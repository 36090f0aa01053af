"""Build small Telegram Desktop exports on disk, in the exact shape the app writes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BASE_TIME = 1_730_000_000  # 2024-10-27T03:33:20Z


def message(message_id: int, text: Any = "", **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": message_id,
        "type": "message",
        "date": "2024-10-27T06:33:20",
        "date_unixtime": str(BASE_TIME + message_id * 3600),
        "from": "المقاومة الإسلامية في العراق",
        "from_id": "channel1234567890",
        "text": text,
        "text_entities": [],
    }
    entry.update(fields)
    return entry


def write_export(folder: Path, messages: list[dict[str, Any]], **chat: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "name": "المقاومة الإسلامية في العراق",
        "type": "public_channel",
        "id": 1234567890,
        **chat,
        "messages": messages,
    }
    path = folder / "result.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def media_file(folder: Path, relative: str, content: bytes = b"\x00video-bytes") -> str:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative
