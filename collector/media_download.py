"""Media files fetched from a platform's own hosts into a batch folder, within a size cap.

Every URL is checked against the platform's hosts, and so is every redirect. The size cap
is applied to the declared length and again while streaming, so an oversized or lying
server costs at most the cap. A refused or failed file becomes a MediaRef with `missing`
saying why: the post is kept and the reason is visible next to it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import httpx

from claimwatch.errors import SourceError
from collector.hosts import HostPolicy
from collector.http import Http
from storage.records import MediaRef

MAX_REDIRECTS = 5
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class MediaDownloader:
    """Downloads one platform's media files."""

    def __init__(self, http: Http, hosts: HostPolicy, max_bytes: int) -> None:
        self._http = http
        self._hosts = hosts
        self.max_bytes = max_bytes

    def fetch(
        self,
        url: str,
        folder: Path,
        kind: str,
        *,
        duration: float | None = None,
        width: int | None = None,
        height: int | None = None,
        mime: str | None = None,
    ) -> MediaRef:
        """Download `url` into `folder`; the ref has a path, or `missing` with the reason."""
        meta = MediaRef(
            kind=kind,
            url=url,
            file_name=file_name(url),
            mime=mime,
            duration=duration,
            width=width,
            height=height,
        )
        target = folder / f"{uuid.uuid4().hex[:8]}-{meta.file_name}"
        try:
            size, mime_seen = self._download(url, target)
        except _Refused as refused:
            target.unlink(missing_ok=True)
            return _missing(meta, str(refused))
        except SourceError as exc:
            target.unlink(missing_ok=True)
            return _missing(meta, f"download failed: {exc}")
        return replace(meta, path=target, size=size, mime=mime or mime_seen)

    def _download(self, url: str, target: Path) -> tuple[int, str | None]:
        for _ in range(MAX_REDIRECTS + 1):
            refusal = self._hosts.refusal(url)
            if refusal:
                raise _Refused(refusal)
            with self._http.stream(url) as response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                if response.status_code != 200:
                    raise SourceError(f"{url} answered HTTP {response.status_code}")
                return self._save(response, target), _mime(response)
        raise SourceError(f"{url} redirected more than {MAX_REDIRECTS} times")

    def _save(self, response: httpx.Response, target: Path) -> int:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _Refused(self._too_large(int(declared)))
        written = 0
        try:
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    written += len(chunk)
                    if written > self.max_bytes:
                        raise _Refused(self._too_large(written, partial=True))
                    out.write(chunk)
        except httpx.HTTPError as exc:
            raise SourceError(f"{response.url} broke off after {written} bytes: {exc}") from None
        return written

    def _too_large(self, size: int, partial: bool = False) -> str:
        amount = f"over {self.max_bytes / 1048576:.1f}" if partial else f"{size / 1048576:.1f}"
        return (
            f"too large: {amount} MB is more than the collection limit of "
            f"{self.max_bytes / 1048576:.1f} MB (collect.max_media_mb); not downloaded"
        )


class _Refused(Exception):
    """A file we will not fetch (off-platform host, too large): not worth retrying."""


def file_name(url: str) -> str:
    """A safe file name from the URL's last path segment (the stable part of CDN URLs)."""
    name = PurePosixPath(urlsplit(url).path).name
    return _UNSAFE.sub("_", name)[-100:] or "file"


def _mime(response: httpx.Response) -> str | None:
    value = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return value or None


def _missing(meta: MediaRef, reason: str) -> MediaRef:
    return replace(meta, missing=reason)
