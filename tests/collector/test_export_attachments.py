"""Polls, places and contacts of a Telegram Desktop export, in the shape the app writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimwatch.errors import ExportError
from claimwatch.importing import import_tg_export
from storage import Store
from storage.attachments import parsed
from tests.exports import message

HOSTILE = ["NUL \x00", "half \ud83d", "<img src=x onerror=alert(1)>"]


def export(folder: Path, *messages: dict[str, Any]) -> Path:
    """The export, written with \\u escapes so that NUL and half an emoji can be in it."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {"name": "Ch", "type": "public_channel", "id": 1234567890, "messages": messages}
    (folder / "result.json").write_text(json.dumps(document), encoding="utf-8")
    return folder


def poll(options: list[str], voters: list[int], closed: bool = False) -> dict[str, Any]:
    answers = [
        {"text": o, "voters": v, "chosen": False} for o, v in zip(options, voters, strict=True)
    ]
    question = [{"type": "bold", "text": "Which"}, " base?"]  # text parts, as in messages
    return {"question": question, "closed": closed, "total_voters": sum(voters), "answers": answers}


def attached(store: Store, message_id: int) -> dict[str, Any] | None:
    found = store.archive.find("telegram", "1234567890", message_id)
    assert found is not None
    return parsed(found.post.attachment)


def test_a_poll_a_place_and_a_contact_are_imported(store: Store, tmp_path: Path) -> None:
    point = {"latitude": 29.557669, "longitude": 34.951925}
    folder = export(
        tmp_path / "export",
        message(1, "", poll=poll(["Ain al-Asad", *HOSTILE], [4, 1, 0, 0])),
        message(2, "", location_information=point, place_name="Port", address="Eilat"),
        message(3, "Here", location_information=point),
        message(4, "", location_information=None, live_location_period_seconds=900),
        message(5, "", contact_information={"first_name": "Abu", "last_name": "",
                                            "phone_number": "+964 7"}),
    )  # fmt: skip
    assert import_tg_export(store, folder).result.new_posts == 5
    assert attached(store, 1) == {
        "kind": "poll", "question": "Which base?", "options": ["Ain al-Asad", *HOSTILE],
        "closed": False,
    }  # fmt: skip
    assert attached(store, 2) == {"kind": "venue", **point, "title": "Port", "address": "Eilat"}
    assert attached(store, 3) == {"kind": "location", **point, "live": False}
    assert attached(store, 4) == {"kind": "location", "live": True}
    assert attached(store, 5) == {
        "kind": "contact", "first_name": "Abu", "last_name": "", "phone": "+964 7",
    }  # fmt: skip


def test_a_later_export_with_new_votes_is_no_revision_and_with_new_options_is_one(
    store: Store, tmp_path: Path
) -> None:
    options = ["Ain al-Asad", "Harir"]
    import_tg_export(store, export(tmp_path / "a", message(1, "", poll=poll(options, [1, 2]))))
    later = import_tg_export(
        store, export(tmp_path / "b", message(1, "", poll=poll(options, [90, 7])))
    )
    assert (later.result.new_revisions, later.result.unchanged) == (0, 1)
    edited = message(1, "", poll=poll(["Ain al-Asad", "Erbil"], [90, 7]))
    assert import_tg_export(store, export(tmp_path / "c", edited)).result.new_revisions == 1
    found = store.archive.find("telegram", "1234567890", 1)
    assert found is not None
    assert [parsed(r.attachment)["options"] for r in found.revisions] == [  # type: ignore[index]
        options,
        ["Ain al-Asad", "Erbil"],
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"poll": []}, "'poll' must be an object"),
        ({"poll": {"question": "Q", "answers": {}}}, "'poll.answers' must be a list"),
        ({"poll": {"question": "Q", "answers": [], "closed": "no"}}, "'poll.closed' must be"),
        ({"location_information": {"latitude": "x", "longitude": 1}}, "latitude' must be a num"),
    ],
)
def test_a_malformed_attachment_is_named(
    store: Store, tmp_path: Path, fields: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ExportError, match=expected):
        import_tg_export(store, export(tmp_path / "export", message(1, "", **fields)))
    assert store.archive.counts()["posts"] == 0
