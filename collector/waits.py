"""Waits a platform asked for, kept in the archive so that every later run honours them.

A Telegram FLOOD_WAIT or an X rate limit can last an hour or more, and asking again during
one puts the account at risk. `claimwatch collect --once` started by cron is a new process
every few minutes and remembers nothing, so the end of the wait is kept on the channel's
status row (`storage.status`) until the next success clears it; the long-running service
also keeps it in its `Backoff`, as before.

Telegram imposes a FLOOD_WAIT on the account (the session), and X its rate limits on the
bearer token, not on one channel: a source whose waits are its account's
(`Source.account_wait`) holds every channel until the latest wait any of them was asked
for ends. The web preview has no account: its waits hold one channel, as before.

A wait is honoured up to MAX_WAIT, a day: real ones last up to about that long. An answer
asking for more (a Retry-After of years, a reset date far ahead) is a glitch or a hostile
server, and would otherwise hold the channel for good; the channel's error says so.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from collector.pacing import Clock
from config.settings import Settings
from storage.status import Health

MAX_WAIT = 24 * 3600.0


def account_label(*credentials: str) -> str:
    """An opaque label of an account's credentials (a session, a token), safe to store: the
    same credentials give the same label, and the label does not reveal them."""
    joined = "\n".join(credentials).encode()
    return hashlib.sha256(b"claimwatch account\n" + joined).hexdigest()[:32]


def accounts(settings: Settings) -> dict[str, str]:
    """The label of the account each API method reads with under `settings`: the
    Telegram session, the X bearer token."""
    telegram = settings.telegram
    token = settings.x.bearer_token.reveal() if settings.x.bearer_token else ""
    return {
        "telegram": account_label("telegram", str(telegram.api_id), telegram.session),
        "x": account_label("x", token),
    }


def honoured(asked: float) -> tuple[float, str | None]:
    """The seconds to wait when a platform asks for `asked`, and a note when that is more
    than MAX_WAIT (the wait is then MAX_WAIT)."""
    if asked <= MAX_WAIT:
        return max(0.0, asked), None
    return MAX_WAIT, (
        f"{asked / 86400:,.1f} days is longer than any real wait: "
        f"waiting {MAX_WAIT / 3600:.0f} h, the longest honoured"
    )


def wait_end(clock: Clock, seconds: float) -> datetime:
    """The moment `seconds` from now."""
    return datetime.fromtimestamp(clock.time(), UTC) + timedelta(seconds=seconds)


def waiting(not_before: datetime | None, clock: Clock) -> str | None:
    """What to say of a channel whose wait ends at `not_before`; None when it is over."""
    if not_before is None or not_before.timestamp() <= clock.time():
        return None
    return (
        f"waiting until {not_before:%Y-%m-%d %H:%M:%S} UTC, as the platform asked; "
        "not asked before then"
    )


def account_waiting(latest: Health | None, account_wait: str, clock: Clock) -> str | None:
    """What to say of a channel whose account waits, `latest` being the account's channel
    whose wait ends last; None when that wait is over."""
    if latest is None or waiting(latest.not_before, clock) is None:
        return None
    return (
        f"waiting until {latest.not_before:%Y-%m-%d %H:%M:%S} UTC: {account_wait}, imposed "
        f"when collecting {latest.channel}; none of the account's channels is asked before then"
    )
