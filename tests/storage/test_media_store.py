"""The media store hands out only its own files, addressed by hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimwatch.errors import UnsafePathError
from storage.media_store import MediaStore, extension

SHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"


@pytest.mark.parametrize(
    "relative",
    [
        f"2c/f2/{SHA}.mp4\n",
        f"../f2/{SHA}.mp4",
        f"2c/../{SHA}.mp4",
        f"aa/bb/{SHA}.mp4",
        f"2c/f2/{SHA}",
        f"2c/f2/{SHA}.mp4.sh",
        "2c/f2/../../../etc/passwd",
        f"2c/f2/{SHA}.m/p4",
    ],
)
def test_paths_that_are_not_store_paths_are_refused(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafePathError, match="is not a path in the media store"):
        MediaStore(tmp_path, 10).path(relative)


@pytest.mark.parametrize("sha", [SHA + "\n", SHA.upper(), "../" + SHA[3:], SHA[:63]])
def test_find_takes_only_a_hash(tmp_path: Path, sha: str) -> None:
    with pytest.raises(UnsafePathError, match="is not a SHA-256 hash"):
        MediaStore(tmp_path, 10).find(sha)


def test_a_stored_file_is_found_by_its_hash(tmp_path: Path) -> None:
    source = tmp_path / "clip.MP4"
    source.write_bytes(b"hello")
    store = MediaStore(tmp_path / "media", 100)
    stored = store.put(source)
    assert stored.relative_path == f"2c/f2/{SHA}.mp4"
    assert store.find(SHA) == store.path(stored.relative_path)
    assert not list((tmp_path / "media" / "tmp").iterdir())


@pytest.mark.parametrize(
    ("name", "mime", "expected"),
    [
        ("a.MP4", None, "mp4"),
        ("a.mp4\n", None, "bin"),
        ("noext", "image/jpeg", "jpg"),
        ("a.<script>", None, "bin"),
        ("a.verylongext", "video/webm", "webm"),
    ],
)
def test_extensions_are_safe(name: str, mime: str | None, expected: str) -> None:
    assert extension(name, mime) == expected
