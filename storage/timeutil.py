"""Time helpers: the archive keeps every instant as an aware UTC datetime, to the
microsecond (as SQLite and PostgreSQL both store it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal, DecimalException, Inexact, localcontext

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = Decimal("0.000001")
LAST_SECOND = 253402300799  # 9999-12-31 23:59:59 UTC, the last a datetime holds


class FinerThanStored(ValueError):
    """A time with a fraction of a second finer than the microsecond the archive keeps."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def from_unix(seconds: int | float | str) -> datetime:
    """The instant `seconds` after 1970 UTC, its fraction kept exactly. Raises ValueError
    for what is not a number of seconds in years 1-9999, and FinerThanStored for a
    fraction finer than a microsecond, which the archive could only round."""
    # A float is taken as JSON wrote it: its shortest form, not its binary approximation.
    try:
        exact = Decimal(repr(seconds) if isinstance(seconds, float) else seconds)
    except DecimalException:
        raise ValueError(f"{seconds!r} is not a number") from None
    if not exact.is_finite() or abs(exact) > LAST_SECOND:
        raise ValueError(f"{seconds!r} is not a time in years 1-9999")
    try:
        with localcontext() as context:
            context.traps[Inexact] = True
            micros = int(exact.quantize(MICROSECOND).scaleb(6))
    except Inexact:
        raise FinerThanStored(f"{seconds!r} is finer than a microsecond") from None
    return EPOCH + timedelta(microseconds=micros)
