"""Media downloads: only the platform's hosts, redirects checked, a size cap while streaming."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from collector.hosts import HostPolicy
from collector.http import Http
from collector.media_download import MediaDownloader, file_name
from tests.collector.clock import FakeClock

CDN = "https://cdn4.telesco.pe/file"
LIMIT = 10_000


class Chunks(httpx.SyncByteStream):
    """A body sent in pieces without a length, counting what was read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.sent < self.size:
            self.sent += 1000
            yield b"x" * 1000


def downloader(handler: httpx.MockTransport, clock: FakeClock | None = None) -> MediaDownloader:
    http = Http(
        httpx.Client(transport=handler), clock or FakeClock(), throttle_seconds=0, retries=2
    )
    return MediaDownloader(http, HostPolicy(["t.me", "*.telesco.pe"]), LIMIT)


def test_a_file_is_saved_with_its_name_and_type(tmp_path: Path) -> None:
    transport = httpx.MockTransport(
        lambda r: httpx.Response(
            200, content=b"jpeg bytes", headers={"content-type": "image/jpeg; charset=binary"}
        )
    )
    ref = downloader(transport).fetch(f"{CDN}/a1b2.jpg?token=T", tmp_path, "photo")
    assert ref.path is not None and ref.path.read_bytes() == b"jpeg bytes"
    assert (ref.kind, ref.file_name, ref.mime, ref.size, ref.missing) == (
        "photo",
        "a1b2.jpg",
        "image/jpeg",
        10,
        None,
    )
    assert ref.url == f"{CDN}/a1b2.jpg?token=T"


def test_a_declared_oversize_is_refused_before_reading(tmp_path: Path) -> None:
    body = Chunks(LIMIT * 100)
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, stream=body, headers={"content-length": str(LIMIT * 100)})
    )
    ref = downloader(transport).fetch(f"{CDN}/big.mp4", tmp_path, "video")
    assert ref.path is None and body.sent == 0
    assert ref.missing == (
        "too large: 1.0 MB is more than the collection limit of 0.0 MB "
        "(collect.max_media_mb); not downloaded"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_undeclared_oversize_stops_at_the_cap(tmp_path: Path) -> None:
    body = Chunks(LIMIT * 100)
    transport = httpx.MockTransport(lambda r: httpx.Response(200, stream=body))
    ref = downloader(transport).fetch(f"{CDN}/big.mp4", tmp_path, "video")
    assert ref.path is None and ref.missing is not None and "too large: over" in ref.missing
    assert body.sent <= LIMIT + 1000
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "https://evil.example/a.jpg",
            "refused: evil.example is not one of the platform's hosts (t.me, *.telesco.pe)",
        ),
        (
            "https://telesco.pe.evil.example/a.jpg",
            "refused: telesco.pe.evil.example is not one of the platform's hosts "
            "(t.me, *.telesco.pe)",
        ),
        ("file:///etc/passwd", "refused: 'file:///etc/passwd' is not an http(s) URL"),
        (
            "https://user:pw@cdn1.telesco.pe/a.jpg",
            "refused: 'https://user:pw@cdn1.telesco.pe/a.jpg' carries a user name or password",
        ),
    ],
)
def test_urls_off_the_platform_are_refused_without_a_request(
    tmp_path: Path, url: str, reason: str
) -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    ref = downloader(httpx.MockTransport(handle)).fetch(url, tmp_path, "photo")
    assert (ref.path, ref.missing, seen) == (None, reason, [])


def test_a_redirect_off_the_platform_is_refused(tmp_path: Path) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "cdn4.telesco.pe":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest"})
        raise AssertionError("followed a redirect off the platform")

    ref = downloader(httpx.MockTransport(handle)).fetch(f"{CDN}/a.jpg", tmp_path, "photo")
    assert ref.missing == (
        "refused: 169.254.169.254 is not one of the platform's hosts (t.me, *.telesco.pe)"
    )


def test_a_redirect_within_the_platform_is_followed(tmp_path: Path) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "t.me":
            return httpx.Response(302, headers={"location": f"{CDN}/moved.jpg"})
        return httpx.Response(200, content=b"moved")

    ref = downloader(httpx.MockTransport(handle)).fetch("https://t.me/i/a.jpg", tmp_path, "photo")
    assert ref.path is not None and ref.path.read_bytes() == b"moved"


def test_a_missing_file_and_a_dead_server_are_recorded(tmp_path: Path) -> None:
    gone = httpx.MockTransport(lambda r: httpx.Response(404))
    assert downloader(gone).fetch(f"{CDN}/a.jpg", tmp_path, "photo").missing == (
        f"download failed: {CDN}/a.jpg answered HTTP 404"
    )
    clock = FakeClock()
    down = httpx.MockTransport(lambda r: httpx.Response(502))
    assert downloader(down, clock).fetch(f"{CDN}/a.jpg", tmp_path, "photo").missing == (
        f"download failed: {CDN}/a.jpg answered HTTP 502 (gave up after 3 attempts)"
    )
    assert len(clock.slept) == 2


def test_a_retry_after_date_is_understood() -> None:
    clock = FakeClock(start=1_700_000_000)
    http = Http(httpx.Client(), clock)
    response = httpx.Response(429, headers={"retry-after": "Tue, 14 Nov 2023 22:14:20 GMT"})
    assert http.retry_after(response) == 60.0
    assert http.retry_after(httpx.Response(429, headers={"retry-after": "7"})) == 7.0
    assert http.retry_after(httpx.Response(429)) is None


def test_file_names_are_safe() -> None:
    assert file_name("https://cdn4.telesco.pe/file/3f9a1c.mp4?token=x") == "3f9a1c.mp4"
    assert file_name("https://t.me/a/..%2F..%2Fetc%2Fpasswd") == ".._2F.._2Fetc_2Fpasswd"
    assert file_name("https://t.me/") == "file"
