"""An export opened through a link to its `result.json`: media are found in the real
export folder, and a media path leading out of that folder is refused as any other."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from claimwatch.errors import ExportError
from claimwatch.importing import import_tg_export
from storage import Store
from storage.records import StoredPost
from tests.exports import media_file, message, write_export

CLIP = b"\x00launch clip of the real export"


def linked_export(tmp_path: Path, *messages: dict[str, object]) -> tuple[Path, Path]:
    """The real export folder and a folder elsewhere holding a link to its result.json."""
    real = tmp_path / "exports" / "ChatExport_2024-11-20"
    media_file(real, "video_files/clip.mp4", CLIP)
    write_export(real, list(messages))
    links = tmp_path / "inbox"
    media_file(links, "video_files/clip.mp4", b"\x00a file beside the link, not exported")
    os.symlink(real / "result.json", links / "result.json")
    return real, links


def stored(store: Store, message_id: int) -> StoredPost:
    found = store.archive.find("telegram", "1234567890", message_id)
    assert found is not None
    return found


@pytest.mark.parametrize("given", ["result.json", ""])
def test_media_are_read_from_the_folder_the_link_leads_to(
    store: Store, tmp_path: Path, given: str
) -> None:
    _, links = linked_export(
        tmp_path, message(1, "a", file="video_files/clip.mp4", media_type="video_file")
    )
    report = import_tg_export(store, links / given)
    media = stored(store, 1).media
    assert report.result.media_stored == 1 and report.result.media_missing == 0
    assert [m.sha256 for m in media] == [hashlib.sha256(CLIP).hexdigest()]


def test_a_media_path_leading_out_of_the_real_folder_is_refused(
    store: Store, tmp_path: Path
) -> None:
    real, links = linked_export(
        tmp_path,
        message(1, "a", file="../../inbox/video_files/clip.mp4", media_type="video_file"),
        message(2, "b", file="video_files/outside.mp4", media_type="video_file"),
        message(3, "c", file="video_files/../../notes.txt"),
    )
    (tmp_path / "exports" / "notes.txt").write_text("an analyst's notes")
    os.symlink(tmp_path / "exports" / "notes.txt", real / "video_files" / "outside.mp4")
    report = import_tg_export(store, links / "result.json")
    assert report.result.new_posts == 3 and report.result.media_stored == 0
    for message_id in (1, 2, 3):
        missing = stored(store, message_id).post.media[0].missing or ""
        assert missing.startswith("refused: media path") and missing.endswith(
            f"escapes the export folder {real.resolve()}"
        )
    assert store.archive.counts()["media_files"] == 0


def test_a_link_that_leads_nowhere_is_named(store: Store, tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone" / "result.json", tmp_path / "result.json")
    with pytest.raises(ExportError, match=f"^{tmp_path / 'result.json'} does not exist$"):
        import_tg_export(store, tmp_path / "result.json")


def test_a_link_loop_is_named(store: Store, tmp_path: Path) -> None:
    os.symlink(tmp_path / "b.json", tmp_path / "a.json")
    os.symlink(tmp_path / "a.json", tmp_path / "b.json")
    with pytest.raises(ExportError, match=f"^{tmp_path / 'a.json'} cannot be read"):
        import_tg_export(store, tmp_path / "a.json")
    assert store.archive.counts()["posts"] == 0
