"""Weekdays and calendar dates a claim's text states, to catch a date that contradicts itself.

"At dawn today, Friday" posted on a Saturday, or "Wednesday 30-10-2024" when the 30th was a
Wednesday (fine) or a Thursday (not): templates filled in carelessly, or claims prepared
in advance. A weekday counts only after a time word ("dawn", "today", "day of ..."),
because "الاحد"/"الاثنين" also mean "the one"/"the two".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from scoring.arabic import normalize

# Python weekday numbers (Monday = 0), in normalised spelling.
WEEKDAYS = {
    "الاثنين": 0, "الاتنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4,
    "السبت": 5, "الاحد": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
TIME_WORDS = (
    "اليوم|يوم|فجر|صباح|ظهر|عصر|مساء|ليله|ليل|today|on|dawn|morning|noon|afternoon|evening|night"
)
_WEEKDAY = re.compile(
    rf"(?:^|[^\w])(?P<time>{TIME_WORDS})(?:\s+(?:اليوم|today|this|of))?[\s,]+"
    rf"(?P<day>{'|'.join(WEEKDAYS)})(?!\w)"
)
_DATE = re.compile(r"(?<!\d)(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})(?!\d)")
# Hijri years (14xx) are skipped: only Gregorian dates are compared.
GREGORIAN = range(1990, 2100)


@dataclass(frozen=True)
class StatedDate:
    """What the text says about the day: weekdays named, explicit dates, "today X"."""

    weekdays: tuple[int, ...]
    dates: tuple[date, ...]
    today: bool


def stated(text: str) -> StatedDate:
    plain = normalize(text)
    named = [m for m in _WEEKDAY.finditer(plain)]
    weekdays = tuple(dict.fromkeys(WEEKDAYS[m.group("day")] for m in named))
    today = any("اليوم" in m.group() or "today" in m.group() for m in named)
    return StatedDate(weekdays, tuple(_dates(plain)), today)


def _dates(plain: str) -> list[date]:
    found: list[date] = []
    for a, b, c in _DATE.findall(plain):
        year, month, day = (int(a), int(b), int(c)) if len(a) == 4 else (int(c), int(b), int(a))
        if year not in GREGORIAN:
            continue
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return found


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
