"""Waits a platform asked for, and how long of one is honoured.

A Telegram FLOOD_WAIT or an X rate limit can last an hour or more, and asking again during
one puts the account at risk, so the channel is left alone until the wait is over.

A wait is honoured up to MAX_WAIT, a day: real ones last up to about that long. An answer
asking for more (a Retry-After of years, a reset date far ahead) is a glitch or a hostile
server, and would otherwise hold the channel until the service restarts; the channel's
error says so.
"""

from __future__ import annotations

MAX_WAIT = 24 * 3600.0


def honoured(asked: float) -> tuple[float, str | None]:
    """The seconds to wait when a platform asks for `asked`, and a note when that is more
    than MAX_WAIT (the wait is then MAX_WAIT)."""
    if asked <= MAX_WAIT:
        return max(0.0, asked), None
    return MAX_WAIT, (
        f"{asked / 86400:,.1f} days is longer than any real wait: "
        f"waiting {MAX_WAIT / 3600:.0f} h, the longest honoured"
    )
