"""Pages and API answers read whole: a size limit, and a time limit for the whole body."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from claimwatch.errors import SourceError
from collector.http import MAX_PAGE_BYTES, PAGE_SECONDS, Http
from tests.collector.clock import FakeClock

PAGE = "https://t.me/s/warcube"


class Trickle(httpx.SyncByteStream):
    """A body sent a few bytes at a time, each piece well within the per-read timeout."""

    def __init__(self, pieces: int, pause: float) -> None:
        self.pieces, self.pause = pieces, pause

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.pieces):
            time.sleep(self.pause)
            yield b"<p>"


class Endless(httpx.SyncByteStream):
    """A body without a declared length that never ends, counting what was read."""

    def __init__(self) -> None:
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while True:
            self.sent += 65536
            yield b"x" * 65536


def http(
    handler: httpx.MockTransport,
    max_page_bytes: int = MAX_PAGE_BYTES,
    page_seconds: float = PAGE_SECONDS,
) -> tuple[Http, FakeClock]:
    clock = FakeClock()
    client = httpx.Client(transport=handler)
    return Http(
        client,
        clock,
        throttle_seconds=0,
        retries=2,
        max_page_bytes=max_page_bytes,
        page_seconds=page_seconds,
    ), clock


def test_a_page_that_trickles_in_is_given_up_on_with_the_reason() -> None:
    asked = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url)
        return httpx.Response(200, stream=Trickle(pieces=40, pause=0.02))

    client, _ = http(httpx.MockTransport(handler), page_seconds=0.1)
    began = time.monotonic()
    with pytest.raises(SourceError) as error:
        client.get(PAGE)
    assert "the answer took over 0.1 s to arrive" in str(error.value)
    assert "gave up after 3 attempts" in str(error.value)
    assert len(asked) == 3  # retried like any network error
    assert time.monotonic() - began < 2.0  # not the 0.8 s each whole body would take


def test_a_page_that_arrives_in_time_is_read_whole() -> None:
    handler = httpx.MockTransport(lambda r: httpx.Response(200, stream=Trickle(5, 0.001)))
    client, _ = http(handler, page_seconds=5.0)
    assert client.get(PAGE).text == "<p>" * 5


def test_an_endless_answer_is_refused_once_past_the_size_limit() -> None:
    body = Endless()
    client, clock = http(httpx.MockTransport(lambda r: httpx.Response(200, stream=body)))
    with pytest.raises(SourceError) as error:
        client.get(PAGE)
    assert str(error.value) == f"{PAGE} sent more than 16.0 MB; no page is that large"
    assert body.sent <= 16 * 1024 * 1024 + 65536  # stopped at the limit, not read on
    assert clock.slept == []  # not tried again: the same page would be as large


def test_a_declared_oversize_is_refused_before_reading() -> None:
    body = Endless()
    headers = {"content-length": str(40 * 1024 * 1024)}
    handler = httpx.MockTransport(lambda r: httpx.Response(200, headers=headers, stream=body))
    client, _ = http(handler, max_page_bytes=1024 * 1024)
    with pytest.raises(SourceError, match=r"sent 40\.0 MB; no page is that large"):
        client.get(PAGE)
    assert body.sent == 0
