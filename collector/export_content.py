"""The content of a Telegram Desktop export message: its text, and a poll, place or
contact as an attachment.

The export writes `poll` ({question, closed, total_voters, answers: [{text, voters,
chosen}]}), `location_information` ({latitude, longitude}; null for a live location),
`place_name` and `address` for a venue, and `contact_information` ({first_name, last_name,
phone_number}). Vote counts and the exporting account's own vote are not kept. Every
field is checked: a malformed one is an error naming the message, like any other.
"""

from __future__ import annotations

import math
from typing import Any

from claimwatch.errors import ExportError
from storage.attachments import attachment


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


def export_attachment(message: dict[str, Any], where: str) -> str | None:
    """The attachment JSON of the message, None when it has none."""
    if message.get("poll") is not None:
        return _poll(message["poll"], where)
    if "place_name" in message or "address" in message:
        return attachment(
            "venue",
            **_point(message.get("location_information"), where),
            title=_text(message, "place_name", where),
            address=_text(message, "address", where),
        )
    if "location_information" in message:
        point = _point(message["location_information"], where)
        live = message.get("live_location_period_seconds") is not None
        return attachment("location", **point, live=live)
    if message.get("contact_information") is not None:
        contact = _object(message["contact_information"], "contact_information", where)
        return attachment(
            "contact",
            first_name=_text(contact, "first_name", where),
            last_name=_text(contact, "last_name", where),
            phone=_text(contact, "phone_number", where),
        )
    return None


def _poll(value: Any, where: str) -> str:
    poll = _object(value, "poll", where)
    answers = poll.get("answers", [])
    if not isinstance(answers, list):
        raise ExportError(f"{where}: 'poll.answers' must be a list")
    options = [_text(_object(a, "poll.answers", where), "text", where) for a in answers]
    closed = poll.get("closed")
    if closed is not None and not isinstance(closed, bool):
        raise ExportError(f"{where}: 'poll.closed' must be true or false")
    return attachment(
        "poll", question=_text(poll, "question", where), options=options, closed=closed
    )


def _point(value: Any, where: str) -> dict[str, float | None]:
    """Latitude and longitude; both None when the export withheld the point (null)."""
    if value is None:
        return {"latitude": None, "longitude": None}
    point = _object(value, "location_information", where)
    return {key: _coordinate(point.get(key), key, where) for key in ("latitude", "longitude")}


def _coordinate(value: Any, key: str, where: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    raise ExportError(f"{where}: 'location_information.{key}' must be a number")


def _object(value: Any, key: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ExportError(f"{where}: '{key}' must be an object")
    return value


def _text(holder: dict[str, Any], key: str, where: str) -> str | None:
    """A text field, as a string or as the list of parts message texts use."""
    value = holder.get(key)
    return None if value is None else message_text(value, f"{where} ('{key}')")
