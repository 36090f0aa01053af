"""HTTP for the web-facing sources: throttled per host, retried with jitter, clear errors.

429 and 5xx answers and network errors (also a page body that breaks off or stalls) are
retried a few times; a wait longer than `max_wait` is not slept here but raised as
RateLimitedError, so the run moves on to other channels and this one is rescheduled.

A page or API answer read whole is held to a size and to a time for the whole body:
httpx's timeout is per read, so a server sending a byte every few seconds would
otherwise hold a collect run for hours, and one sending without end would fill memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from email.utils import parsedate_to_datetime

import httpx

from claimwatch.errors import RateLimitedError, SourceError
from collector.pacing import Clock, Throttle

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
WaitHint = Callable[[httpx.Response], float | None]
Params = Mapping[str, str | int] | None
# A preview page is about 100-300 KB and an X API answer under 1 MB.
MAX_PAGE_BYTES = 16 * 1024 * 1024
PAGE_SECONDS = 120.0


class Http:
    """GET requests to one platform, paced and retried."""

    def __init__(
        self,
        client: httpx.Client,
        clock: Clock,
        *,
        throttle_seconds: float = 1.0,
        retries: int = 3,
        max_wait: float = 300.0,
        first_delay: float = 2.0,
        wait_hint: WaitHint | None = None,
        max_page_bytes: int = MAX_PAGE_BYTES,
        page_seconds: float = PAGE_SECONDS,
    ) -> None:
        self.client = client
        self.clock = clock
        self.throttle = Throttle(throttle_seconds, clock)
        self.retries = retries
        self.max_wait = max_wait
        self.first_delay = first_delay
        self.wait_hint = wait_hint or self.retry_after
        self.max_page_bytes = max_page_bytes
        self.page_seconds = page_seconds

    def get(self, url: str, params: Params = None) -> httpx.Response:
        """The response to GET `url`, after retrying 429/5xx and network errors."""
        with self.stream(url, params, follow_redirects=True, read=True) as response:
            return response

    @contextmanager
    def stream(
        self, url: str, params: Params = None, *, follow_redirects: bool = False, read: bool = False
    ) -> Iterator[httpx.Response]:
        """An open response whose status is neither 429 nor 5xx; the body is read only when
        `read` is set (then a body that breaks off is retried like any network error)."""
        request = self.client.build_request("GET", url, params=params)
        for attempt in range(self.retries + 1):
            self.throttle.wait(request.url.host)
            limited, hint = False, None
            try:
                response = self.client.send(request, stream=True, follow_redirects=follow_redirects)
                if read and response.status_code not in RETRY_STATUSES:
                    _read(response, self.max_page_bytes, self.page_seconds)
            except _TooLarge as exc:
                raise SourceError(f"{url} sent {exc}; no page is that large") from None
            except httpx.TransportError as exc:
                problem = f"{url} could not be fetched: {exc or type(exc).__name__}"
            except httpx.TooManyRedirects:
                raise SourceError(f"{url} redirected too many times") from None
            except httpx.DecodingError as exc:
                raise SourceError(f"{url} sent a body that cannot be decoded: {exc}") from None
            else:
                if response.status_code not in RETRY_STATUSES:
                    try:
                        yield response
                    finally:
                        response.close()
                    return
                response.close()
                limited = response.status_code == 429
                problem = f"{url} answered HTTP {response.status_code}"
                hint = self.wait_hint(response)
            delay = hint if hint is not None else self.first_delay * 2**attempt
            if (hint is not None and hint > self.max_wait) or (limited and attempt == self.retries):
                raise RateLimitedError(f"{problem}; asked to wait {delay:.0f} s", delay)
            if attempt == self.retries:
                break
            self.clock.sleep(delay + 1 if hint is not None else self.clock.jittered(delay))
        raise SourceError(f"{problem} (gave up after {self.retries + 1} attempts)")

    def retry_after(self, response: httpx.Response) -> float | None:
        """Seconds from a Retry-After header (seconds or an HTTP date); None without one."""
        value = response.headers.get("retry-after", "").strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - self.clock.time())
        except (TypeError, ValueError, IndexError):
            return None


class _TooLarge(Exception):
    """A body over the page size limit."""


def _read(response: httpx.Response, max_bytes: int, seconds: float) -> None:
    """Read the body into `response`, or close it and raise: _TooLarge past `max_bytes`,
    httpx.ReadTimeout (retried as any network error) when it takes over `seconds`."""
    deadline = time.monotonic() + seconds
    declared = response.headers.get("content-length", "").strip()
    try:
        if declared.isdigit() and int(declared) > max_bytes:
            raise _TooLarge(f"{int(declared) / 1048576:.1f} MB")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise _TooLarge(f"more than {max_bytes / 1048576:.1f} MB")
            if time.monotonic() > deadline:
                slow = f"the answer took over {seconds:g} s to arrive"
                raise httpx.ReadTimeout(slow, request=response.request)
        response._content = bytes(body)  # what Response.read() keeps
    except BaseException:
        response.close()
        raise
