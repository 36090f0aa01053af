"""Importing Telegram Desktop exports: every field, idempotence, and every bad input."""

from __future__ import annotations

import json
import os
import sys
import tracemalloc
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from claimwatch import importing
from claimwatch.errors import ExportError
from claimwatch.importing import import_tg_export
from collector.json_stream import CHUNK_SIZE
from collector.tg_export import read_export
from collector.tg_messages import message_post
from storage import Store
from storage.records import Batch, Channel, Post
from tests.exports import BASE_TIME, media_file, message, write_export

CHAT = {"type": "public_channel", "id": 5}
CLAIM = "استهدف مجاهدو المقاومة الإسلامية في العراق، فجر اليوم، هدفاً حيوياً في أم الرشراش"


def test_every_field_is_imported(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    video = media_file(folder, "video_files/launch.mp4")
    photo = media_file(folder, "photos/photo_1.jpg", b"\xff\xd8jpeg")
    rich_text = [
        "بيان: ",
        {"type": "bold", "text": CLAIM},
        " ",
        {"type": "hashtag", "text": "#المقاومة"},
    ]
    write_export(
        folder,
        [
            message(
                1,
                rich_text,
                file=video,
                media_type="video_file",
                mime_type="video/mp4",
                duration_seconds=14,
                width=1280,
                height=720,
                file_name="launch.mp4",
                edited_unixtime=str(BASE_TIME + 9000),
                author="الإعلام الحربي",
            ),
            message(
                2,
                "Photo",
                photo=photo,
                width=800,
                height=600,
                forwarded_from="Sabereen News",
                reply_to_message_id=1,
            ),
        ],
    )
    report = import_tg_export(store, folder, group="Kataib Hezbollah")
    first = store.archive.find("telegram", "1234567890", 1)
    second = store.archive.find("telegram", "1234567890", 2)
    assert report.result.new_posts == 2 and report.result.media_stored == 2
    assert first is not None and second is not None
    assert first.post.text == f"بيان: {CLAIM} #المقاومة"
    assert first.post.posted_at == datetime.fromtimestamp(BASE_TIME + 3600, UTC)
    assert first.post.edited_at == datetime.fromtimestamp(BASE_TIME + 9000, UTC)
    assert first.post.author == "الإعلام الحربي" and first.group == "Kataib Hezbollah"
    assert first.post.source == "tg-export"
    media = first.media[0]
    assert (media.kind, media.mime, media.duration, media.width, media.height) == (
        "video",
        "video/mp4",
        14,
        1280,
        720,
    )
    assert media.path.name.endswith(".mp4") and media.path.read_bytes() == b"\x00video-bytes"
    assert second.post.forwarded_from == "Sabereen News" and second.post.reply_to == 1
    assert second.media[0].kind == "photo" and second.media[0].path.suffix == ".jpg"


def test_importing_the_same_export_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    video = media_file(folder, "video_files/a.mp4")
    write_export(
        folder, [message(i, f"post {i}", file=video, media_type="video_file") for i in range(1, 31)]
    )
    import_tg_export(store, folder)
    before = store.archive.counts()
    second = import_tg_export(store, folder)
    assert store.archive.counts() == before
    assert (second.result.new_posts, second.result.unchanged) == (0, 30)
    assert before["posts"] == 30 and before["media_files"] == 1


def test_an_edited_message_adds_one_revision(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write_export(folder, [message(1, "first"), message(2, CLAIM)])
    import_tg_export(store, folder)
    write_export(
        folder,
        [
            message(1, "first"),
            message(2, CLAIM + " بواسطة الطيران المسيّر", edited_unixtime=str(BASE_TIME + 99999)),
        ],
    )
    report = import_tg_export(store, folder)
    stored = store.archive.find("telegram", "1234567890", 2)
    assert report.result.new_revisions == 1 and store.archive.counts()["revisions"] == 1
    assert stored is not None and stored.revisions[0].text == CLAIM
    assert stored.post.text.endswith("بواسطة الطيران المسيّر")


def test_malformed_json_names_the_line_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "result.json").write_text('{"name": "x", "messages": [\n{"id": 1,}\n]}')
    with pytest.raises(ExportError, match=r"result.json is not valid JSON \(line 2"):
        import_tg_export(store, folder)
    assert store.archive.counts()["posts"] == 0


def test_a_bad_message_deep_in_the_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    messages = [message(i, "ok") for i in range(1, 500)]
    messages.append({"id": 500, "type": "message", "date": "2024-10-27T06:33:20", "text": "x"})
    write_export(folder, messages)
    with pytest.raises(ExportError, match=r"message #500 \(id 500\): 'date_unixtime' is missing"):
        import_tg_export(store, folder)
    assert store.archive.counts()["posts"] == 0


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], "expected a JSON object"),
        ({"name": "x"}, "no 'messages' or 'chats.list'"),
        ({**CHAT, "messages": {"id": 1}}, "'messages' must be a list"),
        ({**CHAT, "messages": [{"id": "1"}]}, "message #1 has no numeric 'id'"),
        ({**CHAT, "messages": [{"type": ["service"]}]}, "message #1 has no numeric 'id'"),
        ({"chats": {"list": [{"type": {"a": 1}, "messages": []}]}}, "holds no channel"),
        (
            {**CHAT, "messages": [{"id": 1, "date_unixtime": "1", "text": [3]}]},
            "a part of 'text' is neither a string nor an entity",
        ),
    ],
)
def test_structural_errors_are_named(
    store: Store, tmp_path: Path, document: object, expected: str
) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ExportError, match=expected):
        import_tg_export(store, path)
    assert store.archive.counts()["posts"] == 0


def test_a_missing_media_file_is_recorded_and_the_import_goes_on(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    write_export(
        folder,
        [
            message(1, "a", file="video_files/gone.mp4", media_type="video_file"),
            message(
                2, "b", photo="(File not included. Change data exporting settings to download.)"
            ),
            message(3, "c"),
        ],
    )
    report = import_tg_export(store, folder)
    gone = store.archive.find("telegram", "1234567890", 1)
    placeholder = store.archive.find("telegram", "1234567890", 2)
    assert report.result.new_posts == 3 and report.result.media_missing == 2
    assert gone is not None and gone.post.media[0].missing == (
        "file not found in the export: video_files/gone.mp4"
    )
    assert placeholder is not None
    assert (placeholder.post.media[0].missing or "").startswith(
        "not in the export: (File not included"
    )


@pytest.mark.parametrize(
    "hostile", ["../../secret.txt", "video_files/../../secret.txt", "/etc/passwd"]
)
def test_a_media_path_escaping_the_export_is_refused(
    store: Store, tmp_path: Path, hostile: str
) -> None:
    (tmp_path / "secret.txt").write_text("analyst's private notes")
    folder = tmp_path / "a" / "export"
    write_export(folder, [message(1, "a", file=hostile, media_type="video_file")])
    report = import_tg_export(store, folder)
    stored = store.archive.find("telegram", "1234567890", 1)
    assert stored is not None and (stored.post.media[0].missing or "").startswith(
        "refused: media path"
    )
    assert report.result.media_stored == 0 and store.archive.counts()["media_files"] == 0


def test_a_link_escaping_the_export_is_refused(store: Store, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("private")
    folder = tmp_path / "export"
    (folder / "video_files").mkdir(parents=True)
    os.symlink(tmp_path / "secret.txt", folder / "video_files" / "clip.mp4")
    write_export(folder, [message(1, "a", file="video_files/clip.mp4", media_type="video_file")])
    import_tg_export(store, folder)
    stored = store.archive.find("telegram", "1234567890", 1)
    assert stored is not None and "escapes the export folder" in (
        stored.post.media[0].missing or ""
    )


def test_a_file_over_the_size_limit_is_refused(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    big = media_file(folder, "video_files/big.mp4", b"v" * (store.files.max_bytes + 10))
    write_export(folder, [message(1, "a", file=big, media_type="video_file"), message(2, "b")])
    report = import_tg_export(store, folder)
    stored = store.archive.find("telegram", "1234567890", 1)
    assert report.result.new_posts == 2 and report.result.media_stored == 0
    assert "over the media size limit of 50 MB (storage.max_media_mb)" in report.result.errors[0]
    assert stored is not None and "over the media size limit" in (
        stored.post.media[0].missing or ""
    )
    assert not list((store.files.root / "tmp").glob("*"))


def test_service_messages_are_skipped_and_counted(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    write_export(folder, [message(1, "a"), {"id": 2, "type": "service", "action": "pin_message"}])
    report = import_tg_export(store, folder)
    assert (report.result.new_posts, report.skipped) == (1, 1)


def test_a_full_account_export_imports_its_channels(store: Store, tmp_path: Path) -> None:
    document = {
        "chats": {
            "list": [
                {
                    "name": "Friend",
                    "type": "personal_chat",
                    "id": 1,
                    "messages": [message(1, "hi")],
                },
                {
                    "name": "Channel A",
                    "type": "public_channel",
                    "id": 2,
                    "messages": [message(1, "a")],
                },
                {
                    "name": "Channel B",
                    "type": "private_channel",
                    "id": 3,
                    "messages": [message(1, "b")],
                },
            ]
        }
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document))
    report = import_tg_export(store, path)
    assert report.channels == ("2", "3") and store.archive.counts()["posts"] == 2


def test_an_export_joins_the_channel_collected_live(store: Store, tmp_path: Path) -> None:
    live = Post("telegram", "sabreenS1", 1, datetime(2024, 10, 1, tzinfo=UTC), "a", "telegram")
    store.archive.ingest(Batch(Channel("telegram", "sabreenS1", "-1001234567890"), (live,)))
    write_export(tmp_path / "export", [message(1, "a"), message(2, "b")])
    report = import_tg_export(store, tmp_path / "export")
    assert report.channels == ("sabreenS1",) and report.result.new_posts == 1
    assert store.archive.counts()["channels"] == 1


@pytest.mark.parametrize("live_id", ["-1000000000005", "-5", "5"])
def test_an_export_joins_the_live_channel_whatever_form_its_id_took(
    store: Store, tmp_path: Path, live_id: str
) -> None:
    live = Post("telegram", "sabreenS1", 1, datetime(2024, 10, 1, tzinfo=UTC), "a", "telegram")
    store.archive.ingest(Batch(Channel("telegram", "sabreenS1", live_id), (live,)))
    write_export(tmp_path / "export", [message(1, "a"), message(2, "b")], id=5)
    report = import_tg_export(store, tmp_path / "export")
    assert report.channels == ("sabreenS1",) and report.result.new_posts == 1


def test_json_nested_too_deeply_is_refused_by_name(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text('{"messages": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ExportError, match="nests too deeply"):
        import_tg_export(store, path)
    assert store.archive.counts()["posts"] == 0


def test_an_unreadable_result_json_is_named(store: Store, tmp_path: Path) -> None:
    (tmp_path / "export" / "result.json").mkdir(parents=True)
    with pytest.raises(ExportError, match=r"result.json cannot be read"):
        import_tg_export(store, tmp_path / "export")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id": 2**63}, r"message #2 'id' is out of range"),
        ({"reply_to_message_id": 10**30}, r"\(id 2\): 'reply_to_message_id' is out of range"),
        ({"date_unixtime": True}, r"\(id 2\): 'date_unixtime' is missing or not a Unix time"),
    ],
)
def test_numbers_the_archive_cannot_hold_are_refused(
    store: Store, tmp_path: Path, fields: dict[str, object], expected: str
) -> None:
    write_export(tmp_path / "export", [message(1, "a"), message(2, "b", **fields)])
    with pytest.raises(ExportError, match=expected):
        import_tg_export(store, tmp_path / "export")
    assert store.archive.counts()["posts"] == 0


@pytest.mark.parametrize("size", [2**40, 10**30])
def test_an_absurd_declared_media_size_is_dropped_and_the_file_kept(
    store: Store, tmp_path: Path, size: int
) -> None:
    folder = tmp_path / "export"
    photo = media_file(folder, "photos/p.jpg", b"\xff\xd8jpeg")
    write_export(folder, [message(1, "a", photo=photo, width=size, height=720)])
    report = import_tg_export(store, folder)
    stored = store.archive.find("telegram", "1234567890", 1)
    assert report.result.media_stored == 1
    assert stored is not None and (stored.media[0].width, stored.media[0].height) == (None, 720)


def test_a_long_media_type_and_mime_are_kept_within_bounds(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    clip = media_file(folder, "files/clip.mp4")
    write_export(folder, [message(1, "a", file=clip, media_type="v" * 100, mime_type="m" * 300)])
    report = import_tg_export(store, folder)
    stored = store.archive.find("telegram", "1234567890", 1)
    assert report.result.media_stored == 1
    assert stored is not None and (stored.media[0].kind, stored.media[0].mime) == ("file", None)


def test_a_channel_name_too_long_for_a_handle_asks_for_channel(
    store: Store, tmp_path: Path
) -> None:
    document = {"name": "n" * 500, "type": "public_channel", "messages": [message(1, "a")]}
    (tmp_path / "result.json").write_text(json.dumps(document))
    with pytest.raises(ExportError, match="longer than 200 characters; give --channel"):
        import_tg_export(store, tmp_path / "result.json")


def test_text_cut_inside_an_emoji_is_archived_as_it_is(store: Store, tmp_path: Path) -> None:
    """An export can hold half an emoji (a lone surrogate escape) in any text."""
    clip = media_file(tmp_path / "export", "files/clip.mp4")
    fields = {"author": "Editor HALF", "forwarded_from": "Source HALF", "mime_type": "HALF"}
    media = {"file": clip, "photo": "photos/HALF.jpg"}
    path = write_export(
        tmp_path / "export",
        [message(1, "a"), message(2, "half HALF", **fields, **media)],
        name="Channel HALF",
    )
    path.write_text(path.read_text(encoding="utf-8").replace("HALF", "\\ud83d"))

    report = import_tg_export(store, tmp_path / "export")

    half = "\ud83d"
    stored = store.archive.find("telegram", "1234567890", 2)
    assert report.result.new_posts == 2 and report.result.media_stored == 1
    assert stored is not None and stored.post.text == f"half {half}"
    assert (stored.post.author, stored.post.forwarded_from) == (f"Editor {half}", f"Source {half}")
    photo, file = stored.post.media
    assert photo.file_name == f"{half}.jpg" and (photo.missing or "").startswith("refused: ")
    assert file.file_name == "clip.mp4" and stored.media[0].mime is None
    assert store.archive.channels()[0].title == f"Channel {half}"


def test_a_chat_name_with_half_an_emoji_is_no_handle(store: Store, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export", [message(1, "a")], id=None, name="Channel HALF")
    path.write_text(path.read_text(encoding="utf-8").replace("HALF", "\\ud83d"))
    with pytest.raises(ExportError, match=r"holds half an emoji .* give --channel"):
        import_tg_export(store, tmp_path / "export")
    import_tg_export(store, tmp_path / "export", handle="channel")
    assert store.archive.channels()[0].title == "Channel \ud83d"


def test_a_repeated_message_id_is_refused(store: Store, tmp_path: Path) -> None:
    write_export(tmp_path / "export", [message(1, "first"), message(1, "other")])
    with pytest.raises(ExportError, match=r"message #2 \(id 1\) repeats the id of message #1"):
        import_tg_export(store, tmp_path / "export")
    assert store.archive.counts()["posts"] == 0


@pytest.mark.parametrize("hostile", ["video_files/a\x00.mp4", "a/" * 3000 + "clip.mp4", "loop"])
def test_an_unusable_media_path_is_recorded_and_the_import_goes_on(
    store: Store, tmp_path: Path, hostile: str
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    os.symlink("loop", folder / "loop")
    write_export(folder, [message(1, "a", file=hostile, media_type="video_file")])
    report = import_tg_export(store, folder)
    stored = store.archive.find("telegram", "1234567890", 1)
    assert report.result.new_posts == 1 and report.result.media_missing == 1
    assert stored is not None and (stored.post.media[0].missing or "").startswith(
        "refused: media path"
    )


def varied_export(folder: Path) -> Path:
    """An export as Telegram Desktop lays it out (one-space indents, Arabic unescaped), with
    every kind of text a stream can cut: multi-byte letters and emoji, escapes, half an
    emoji, entities, a long text, a service message and media present and missing."""
    clip = media_file(folder, "video_files/clip.mp4")
    messages = [
        message(1, CLAIM * 4, file=clip, media_type="video_file", duration_seconds=14),
        {"id": 2, "type": "service", "action": "pin_message"},
        message(
            3, ["🚀 ", {"type": "bold", "text": "عاجل\n"}, 'tab\t"quoted" \\ back'], photo="p/x.jpg"
        ),
        message(4, "cut HALF emoji", author="الإعلام الحربي", edited_unixtime=str(BASE_TIME + 9)),
        message(
            2**40,
            "a large id",
            date_unixtime=str(BASE_TIME),
            reply_to_message_id=3,
            forwarded_from="Sabereen News",
        ),
        message(6, "x" * 300 + " نهاية"),
    ]
    document = {"name": "قناة 🚀", "type": "public_channel", "id": 1234567890}
    text = json.dumps({**document, "messages": messages}, ensure_ascii=False, indent=1)
    path = folder / "result.json"
    path.write_text(text.replace("HALF", "\\ud83d"), encoding="utf-8")
    return path


def as_json_load_reads(path: Path, handle: str = "1234567890") -> list[Post]:
    """The export's posts as read whole with json.load and checked message by message."""
    messages = json.loads(path.read_bytes())["messages"]
    posts = [
        message_post(m, i, handle, path.parent.resolve(), path) for i, m in enumerate(messages)
    ]
    return [post for post in posts if post is not None]


@pytest.mark.parametrize("chunk_size", [1, 7, 64, CHUNK_SIZE])
def test_messages_cut_at_any_buffer_boundary_read_as_json_load_reads_them(
    tmp_path: Path, chunk_size: int
) -> None:
    path = varied_export(tmp_path / "export")
    (chat,) = read_export(tmp_path / "export", chunk_size=chunk_size)
    assert list(chat.posts()) == as_json_load_reads(path)
    assert (chat.count, chat.skipped, chat.channel.title) == (5, 1, "قناة 🚀")
    assert [p.text for p in chat.posts()][2] == "cut \ud83d emoji"


def test_an_export_read_in_small_pieces_imports_identically(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = varied_export(tmp_path / "export")
    monkeypatch.setattr(importing, "read_export", partial(read_export, chunk_size=64))
    report = import_tg_export(store, tmp_path / "export")
    assert (report.result.new_posts, report.result.media_stored, report.skipped) == (5, 1, 1)
    for expected in as_json_load_reads(path):
        stored = store.archive.find("telegram", "1234567890", expected.message_id)
        assert stored is not None
        assert replace(stored.post, media=()) == replace(expected, media=())
        assert [(m.kind, m.file_name, m.missing) for m in stored.post.media] == [
            (m.kind, m.file_name, m.missing) for m in expected.media
        ]
    assert store.archive.checkpoint("tg-export", "1234567890") == str(2**40)


def test_a_malformed_value_deep_in_a_large_file_names_its_line_and_column(
    store: Store, tmp_path: Path
) -> None:
    messages = [message(i, f"{CLAIM} {i}") for i in range(1, 8001)]
    path = write_export(tmp_path / "export", messages)
    text = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False, indent=1)
    broken = text.replace('"date_unixtime": "1758800000"', '"date_unixtime": 17588OOOOO')
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    assert expected.value.lineno > 70_000 and path.stat().st_size > 3 * CHUNK_SIZE
    with pytest.raises(ExportError) as raised:
        import_tg_export(store, tmp_path / "export")
    assert str(raised.value).endswith(
        f"result.json is not valid JSON (line {expected.value.lineno}, "
        f"column {expected.value.colno}: Expecting ',' delimiter)"
    )
    assert store.archive.counts()["posts"] == 0


def test_json_errors_name_what_json_load_names_wherever_the_file_ends(tmp_path: Path) -> None:
    text = varied_export(tmp_path / "export").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    for end in range(0, len(text) - 1, 3):
        path.write_text(text[:end], encoding="utf-8")
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(path.read_bytes())
        error = expected.value
        with pytest.raises(ExportError) as raised:
            read_export(path, chunk_size=16)
        assert f"(line {error.lineno}, column {error.colno}: {error.msg})" in str(raised.value)


@pytest.mark.parametrize("chunk_size", [16, 1000, CHUNK_SIZE])
def test_a_number_too_long_to_read_is_named_by_line_and_column(
    store: Store, tmp_path: Path, chunk_size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = "9" * 5000
    path = write_export(tmp_path / "export", [message(1, CLAIM), message(2, "b")])
    text = path.read_text(encoding="utf-8")
    at = text.rindex('"id": 2')
    path.write_text(f'{text[:at]}\n\n  "views": {long},\n{text[at:]}', encoding="utf-8")
    lineno = text[:at].count("\n") + 3
    monkeypatch.setattr(importing, "read_export", partial(read_export, chunk_size=chunk_size))
    with pytest.raises(ExportError) as raised:
        import_tg_export(store, tmp_path / "export")
    assert str(raised.value).endswith(
        f"result.json is not valid JSON (line {lineno}, column 12: Number of more than "
        f"{sys.get_int_max_str_digits()} digits)"
    )
    assert store.archive.counts()["posts"] == 0


def test_a_full_account_export_streams_each_channel(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def chat(chat_id: int, kind: str, count: int) -> dict[str, object]:
        texts = [message(i, f"{kind} {chat_id}: {CLAIM} {i}") for i in range(1, count + 1)]
        return {"name": f"chat {chat_id}", "type": kind, "id": chat_id, "messages": texts}

    friend = {"name": "Friend", "type": "personal_chat", "id": 1, "messages": [{"id": "x"}]}
    document = {
        "about": "Here is the data you requested.",
        "contacts": {"about": "", "list": [{"first_name": "A", "phone_number": "+964"}]},
        "chats": {
            "about": "",
            "list": [friend, chat(2, "public_channel", 450), chat(3, "private_channel", 30)],
        },
        "left_chats": {"about": "", "list": [chat(4, "public_channel", 5)]},
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    monkeypatch.setattr(importing, "read_export", partial(read_export, chunk_size=256))
    batches: list[Batch] = []

    report = import_tg_export(store, path, track=lambda items, total: _noted(items, batches))

    assert report.channels == ("2", "3") and report.result.new_posts == 480
    assert [
        (b.channel.handle, len(b.posts), b.checkpoint and b.checkpoint.value) for b in batches
    ] == [
        ("2", 200, "200"),
        ("2", 200, "400"),
        ("2", 50, "450"),
        ("3", 30, "30"),
    ]
    stored = store.archive.find("telegram", "3", 30)
    assert stored is not None and stored.post.text == f"private_channel 3: {CLAIM} 30"
    assert store.archive.find("telegram", "4", 1) is None


def _noted(items: Iterable[Batch], seen: list[Batch]) -> Iterator[Batch]:
    for item in items:
        seen.append(item)
        yield item


def test_an_export_with_a_byte_order_mark_is_accepted(store: Store, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export", [message(1, CLAIM), message(2, "بيان")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    report = import_tg_export(store, tmp_path / "export")
    stored = store.archive.find("telegram", "1234567890", 1)
    assert report.result.new_posts == 2 and stored is not None and stored.post.text == CLAIM


def test_posts_are_stored_in_file_order_and_the_checkpoint_never_goes_back(
    store: Store, tmp_path: Path
) -> None:
    write_export(tmp_path / "export", [message(i, f"post {i}") for i in (5, 3, 9, 7, 8)])
    (chat,) = read_export(tmp_path / "export")
    batches = list(chat.batches(size=2))
    assert [[p.message_id for p in b.posts] for b in batches] == [[5, 3], [9, 7], [8]]
    assert [b.checkpoint and b.checkpoint.value for b in batches] == ["5", "9", "9"]
    import_tg_export(store, tmp_path / "export")
    assert store.archive.checkpoint("tg-export", "1234567890") == "9"


def test_a_json_error_late_in_the_file_is_named_before_a_bad_message(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "export", [{"id": "one"}, *[message(i, "ok") for i in range(2, 50)]]
    )
    path.write_text(path.read_text(encoding="utf-8")[:-2], encoding="utf-8")
    with pytest.raises(ExportError, match=r"is not valid JSON \(line 1, column \d+: Expecting"):
        read_export(tmp_path / "export", chunk_size=64)


def test_an_export_changed_after_it_was_checked_stores_nothing(
    store: Store, tmp_path: Path
) -> None:
    write_export(tmp_path / "export", [message(1, "a"), message(2, "b")])
    (chat,) = read_export(tmp_path / "export")
    write_export(tmp_path / "export", [message(1, "a"), {"id": "two"}, message(3, "c")])
    with pytest.raises(ExportError, match="changed after it was checked; import it again"):
        next(chat.batches())


def test_reading_an_export_holds_a_window_of_it_not_the_whole(tmp_path: Path) -> None:
    path = write_export(tmp_path / "export", [message(i, f"{CLAIM} {i}") for i in range(1, 10_001)])
    tracemalloc.start()
    try:
        (chat,) = read_export(tmp_path / "export", chunk_size=64 * 1024)
        stored = sum(len(batch.posts) for batch in chat.batches())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert stored == 10_000 and path.stat().st_size > 3_000_000
    assert peak < path.stat().st_size / 3  # json.load alone holds four times the file


@pytest.mark.parametrize("written", ["@sabreenS1", "https://t.me/sabreenS1", "t.me/s/sabreenS1/"])
def test_a_channel_named_as_a_mention_or_link_is_filed_under_its_username(
    store: Store, tmp_path: Path, written: str
) -> None:
    """As in the settings, so that live collection of the channel joins the import."""
    write_export(tmp_path / "export", [message(1, "a"), message(2, "b")])
    report = import_tg_export(store, tmp_path / "export", handle=written)
    live = Post("telegram", "sabreenS1", 3, datetime(2024, 10, 1, tzinfo=UTC), "c", "telegram")
    store.archive.ingest(Batch(Channel("telegram", "sabreenS1", "-1001234567890"), (live,)))
    assert report.channels == ("sabreenS1",)
    assert [channel.handle for channel in store.archive.channels()] == ["sabreenS1"]
    assert store.archive.counts()["posts"] == 3
