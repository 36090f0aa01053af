"""One Telethon client per session file per process, on its own event loop.

Telethon is asyncio, while collect runs are plain functions called from the CLI or from a
scheduler thread. The client lives on a private loop thread for the life of the process
and every call is made synchronously through it. Its session file is SQLite, and two
clients on one file fail with "database is locked": `shared_link` hands out one client
per file and keeps it.
"""

from __future__ import annotations

import asyncio
import atexit
import fcntl
import os
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from claimwatch.errors import ConfigError, SourceError

T = TypeVar("T")
Prompt = Callable[[], str]
_links: dict[Path, TelegramLink] = {}
_locks: dict[Path, int] = {}
_links_lock = threading.Lock()


class TelegramLink:
    """A Telethon client (or a test double of one) behind a synchronous front."""

    def __init__(self, make_client: Callable[[], Any]) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="telethon", daemon=True)
        self._thread.start()
        self.client = self.run(_build(make_client))

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the client's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def ensure_authorized(self) -> None:
        """Connect when not connected (again, after an outage Telethon gave up on)."""
        try:
            authorized = self.run(_connect(self.client))
        except (ConnectionError, OSError) as exc:
            raise SourceError(f"connecting to Telegram failed: {exc}") from None
        if not authorized:
            raise SourceError("the Telegram session is not logged in: run `claimwatch login` first")

    def login(self, phone: Prompt, code: Prompt, password: Prompt) -> str:
        """Sign in (phone, then the code Telegram sends, then the 2FA password if set)."""
        return self.run(_login(self.client, phone, code, password))

    def close(self) -> None:
        if not self._loop.is_running():
            return
        try:
            self.run(_disconnect(self.client))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            if not self._thread.is_alive():
                self._loop.close()


def session_path(data_dir: Path, name: str) -> Path:
    """The session file `<data_dir>/<name>.session`, created private (mode 0600)."""
    if not name or "/" in name or name.startswith("."):
        raise ConfigError(f'telegram.session is {name!r}; use a plain name like "claimwatch"')
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{name}.session"
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    return path


def shared_link(path: Path, make_client: Callable[[], Any]) -> TelegramLink:
    """The process's one link for the session file `path`, started on first use.

    A lock file beside the session keeps a second process (a manual `collect` while the
    service runs) from opening the same session.
    """
    with _links_lock:
        link = _links.get(path)
        if link is None:
            if not _links:
                atexit.register(close_links)
            lock = _lock(path)
            try:
                link = TelegramLink(make_client)
            except BaseException:
                os.close(lock)
                raise
            _links[path], _locks[path] = link, lock
        return link


def close_links() -> None:
    """Close every link of this process (at exit; tests call it between cases)."""
    with _links_lock:
        links = list(_links.values())
        locks = list(_locks.values())
        _links.clear()
        _locks.clear()
    for link in links:
        link.close()
    for lock in locks:
        os.close(lock)


def _lock(path: Path) -> int:
    fd = os.open(path.with_suffix(".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise SourceError(
            f"the Telegram session {path} is in use by another claimwatch process (the "
            "service?); let that process collect, or stop it first"
        ) from None
    return fd


def telethon_client(path: Path, api_id: int, api_hash: str, flood_sleep_threshold: int) -> Any:
    from telethon import TelegramClient

    return TelegramClient(str(path), api_id, api_hash, flood_sleep_threshold=flood_sleep_threshold)


async def _build(make_client: Callable[[], Any]) -> Any:
    return make_client()


async def _connect(client: Any) -> bool:
    if not client.is_connected():
        await client.connect()
    return bool(await client.is_user_authorized())


async def _login(client: Any, phone: Prompt, code: Prompt, password: Prompt) -> str:
    await client.start(phone=phone, code_callback=code, password=password)
    me = await client.get_me()
    name = " ".join(filter(None, [me.first_name, me.last_name])) or str(me.id)
    return f"{name} (@{me.username})" if me.username else name


async def _disconnect(client: Any) -> None:
    if client.is_connected():
        await client.disconnect()
