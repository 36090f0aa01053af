"""What a post carries besides text and files: a poll, a place, a contact, a dice.

A post's attachment is kept as JSON text (`Post.attachment`), verbatim and structured:

    {"kind": "poll", "question": ..., "options": [...], "closed": ..., "quiz": ...,
     "multiple_choice": ..., "public_voters": ...}
    {"kind": "location", "latitude": ..., "longitude": ..., "live": ...}
    {"kind": "venue", "latitude": ..., "longitude": ..., "title": ..., "address": ...}
    {"kind": "contact", "first_name": ..., "last_name": ..., "phone": ...}
    {"kind": "dice", "emoji": ..., "value": ...}

A source writes only the fields it knows (an export says nothing of quizzes), so two
attachments are the same when every field both hold is equal. Vote counts are not kept:
they change with every vote and are no part of what the channel posted.
"""

from __future__ import annotations

import json
from typing import Any

KINDS = ("poll", "location", "venue", "contact", "dice")
# Telegram Desktop writes coordinates with six decimals; the API sends full doubles.
COORDINATE_DECIMALS = 6


def attachment(kind: str, **fields: Any) -> str:
    """The JSON text of an attachment; fields that are None (unknown) are left out."""
    known = {key: value for key, value in fields.items() if value is not None}
    return json.dumps({"kind": kind, **known}, ensure_ascii=False, sort_keys=True)


def parsed(text: str | None) -> dict[str, Any] | None:
    """The attachment as a dict; None for no attachment or text that is not one."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("kind") in KINDS else None


def same(a: str | None, b: str | None) -> bool:
    """Whether two attachments are one: equal, or equal in every field both sources give."""
    if a == b:
        return True
    first, second = parsed(a), parsed(b)
    if first is None or second is None:
        return False
    return all(_equal(first[key], second[key]) for key in first.keys() & second.keys())


def _equal(a: Any, b: Any) -> bool:
    if _number(a) and _number(b):
        return round(float(a), COORDINATE_DECIMALS) == round(float(b), COORDINATE_DECIMALS)
    return bool(a == b)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def summary_lines(text: str | None) -> list[str]:
    """The attachment in plain lines, for a terminal or a page (escaped by the caller)."""
    value = parsed(text)
    if value is None:
        return [] if text is None else [text]
    kind = value["kind"]
    if kind == "poll":
        flags = [name for name in ("closed", "quiz", "multiple_choice") if value.get(name)]
        head = "Poll" + (f" ({', '.join(flags).replace('_', ' ')})" if flags else "")
        options = [f"- {option}" for option in value.get("options", [])]
        return [f"{head}: {value.get('question', '')}", *options]
    if kind in ("location", "venue"):
        where = f"{value.get('latitude')}, {value.get('longitude')}"
        names = [str(value[key]) for key in ("title", "address") if value.get(key)]
        live = " (live)" if value.get("live") else ""
        return [f"{kind.capitalize()}{live}: {where}", *names]
    if kind == "contact":
        name = " ".join(str(value[k]) for k in ("first_name", "last_name") if value.get(k))
        return [f"Contact: {name}", *([str(value["phone"])] if value.get("phone") else [])]
    return [f"Dice: {value.get('emoji', '')} {value.get('value', '')}"]
