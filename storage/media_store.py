"""The content-addressed media store: `<data>/media/ab/cd/<sha256>.<ext>`.

Files are deduplicated by their SHA-256, written to a temporary file, flushed to disk and
renamed into place, so a crash never leaves a half-written file under a real name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from claimwatch.errors import MediaTooLargeError, StorageError, UnsafePathError

CHUNK = 1024 * 1024
_SHA = re.compile(r"[0-9a-f]{64}")
_EXT = re.compile(r"[a-z0-9]{1,8}")
MIME_EXT = {
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    relative_path: str
    size: int


def is_sha256(text: str) -> bool:
    """Whether `text` is a SHA-256 as the store names files: 64 lowercase hex digits."""
    return _SHA.fullmatch(text) is not None


class MediaStore:
    """Media bytes on disk, addressed by hash."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def put(
        self, source: Path, name_hint: str | None = None, mime: str | None = None
    ) -> StoredFile:
        """Copy `source` into the store and return where it lives; refuses oversized files."""
        size = source.stat().st_size
        if size > self.max_bytes:
            raise MediaTooLargeError(_too_large(source.name, size, self.max_bytes))
        ext = extension(name_hint or source.name, mime)
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, suffix=".part")
        try:
            digest, written = _copy_hashing(source, fd, self.max_bytes)
            relative = f"{digest[:2]}/{digest[2:4]}/{digest}.{ext}"
            target = self.root / relative
            if target.exists():
                os.unlink(tmp_name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, target)
                _fsync_dir(target.parent)
            return StoredFile(digest, relative, written)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def path(self, relative: str) -> Path:
        """The absolute path of a stored file; refuses anything but a store path."""
        parts = relative.split("/")
        name = parts[-1].split(".")
        if (
            len(parts) != 3
            or len(name) != 2
            or not is_sha256(name[0])
            or not _EXT.fullmatch(name[1])
            or parts[:2] != [name[0][:2], name[0][2:4]]
        ):
            raise UnsafePathError(f"{relative!r} is not a path in the media store")
        return self.root / relative

    def find(self, sha256: str) -> Path | None:
        """The stored file with this hash, looked up by hash alone."""
        if not is_sha256(sha256):
            raise UnsafePathError(f"{sha256!r} is not a SHA-256 hash")
        folder = self.root / sha256[:2] / sha256[2:4]
        matches = sorted(folder.glob(f"{sha256}.*")) if folder.is_dir() else []
        return matches[0] if matches else None


def extension(name: str | None, mime: str | None) -> str:
    """A safe lowercase extension from a file name or MIME type; 'bin' when unknown."""
    suffix = Path(name or "").suffix.lower().lstrip(".")
    if _EXT.fullmatch(suffix):
        return suffix
    return MIME_EXT.get((mime or "").lower(), "bin")


def _copy_hashing(source: Path, fd: int, max_bytes: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    written = 0
    try:
        with source.open("rb") as reader, os.fdopen(fd, "wb") as writer:
            while chunk := reader.read(CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise MediaTooLargeError(_too_large(source.name, written, max_bytes))
                digest.update(chunk)
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
    except OSError as exc:
        raise StorageError(f"cannot copy {source} into the media store: {exc}") from None
    return digest.hexdigest(), written


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _too_large(name: str, size: int, limit: int) -> str:
    return (
        f"{name}: {size / 1048576:.1f} MB is over the media size limit of "
        f"{limit / 1048576:.0f} MB (storage.max_media_mb)"
    )


__all__ = ["MediaStore", "StoredFile", "extension"]
