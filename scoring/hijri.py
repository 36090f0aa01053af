"""The day of a Hijri date line: "الأحد ١٠ ربيع الآخر ١٤٤٦هـ" is Sunday 13 October 2024.

Statements are dated in the Hijri calendar as often as in the Gregorian one, and a
re-post a day later still carries the statement's own line, so the line tells which day
"today" in the statement is. The months begin when the new moon is sighted, which the
arithmetic (tabular) calendar misses by a day or two; the weekday heading the line pins
the day: the one with that weekday within two days of the tabular date, and not after the
post. A line without a weekday, or with one that does not fit, gives no day.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

_MONTHS = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع الاخر": 4, "ربيع الثاني": 4,
    "جمادي الاولي": 5, "جمادي الاخره": 6, "جمادي الاخر": 6, "جمادي الثانيه": 6, "رجب": 7,
    "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعده": 11, "ذي القعده": 11, "ذو الحجه": 12,
    "ذي الحجه": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "١٠ ربيع الآخر ١٤٤٦هـ", "10/4/1446هـ", right after a weekday (normalised text).
LINE = re.compile(
    rf"[\s,]*(?P<day>\d{{1,2}})\s*(?:(?P<month>{_MONTH})(?:\s*(?P<year>1[34]\d\d))?"
    rf"|(?P<sep>[/\-.])\s*(?P<number>\d{{1,2}})\s*(?P=sep)\s*(?P<numbered_year>1[34]\d\d))"
    r"\s*(?:ه|هجريه|للهجره)?(?!\w)"
)
# 1 Muharram of year 1 in the tabular calendar: 16 July 622 (Julian), 19 July proleptic.
_EPOCH = date(622, 7, 19).toordinal()
_SLACK = 2  # days a sighted month may start from the tabular one
_YEAR_DAYS = 10631 / 30


def line_day(line: re.Match[str], weekday: int, posted: date) -> date | None:
    """The Gregorian day of the Hijri date `line` (a match of LINE) headed by `weekday`
    (0 = Monday), in a post of `posted`; None when no day fits."""
    month = _MONTHS[line["month"]] if line["month"] else int(line["number"])
    year = line["year"] or line["numbered_year"]
    day = int(line["day"])
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        return None
    near = _tabular(int(year), month, day) if year else _latest(month, day, posted)
    if near is None:
        return None
    # Within five days one has the weekday: it is the day, unless after the post.
    for shift in range(-_SLACK, _SLACK + 1):
        candidate = near + timedelta(days=shift)
        if candidate.weekday() == weekday:
            return candidate if candidate <= posted else None
    return None


def _latest(month: int, day: int, posted: date) -> date | None:
    """The tabular date of a Hijri day written without its year: the latest one that may
    fall on or before the post."""
    year = int((posted.toordinal() - _EPOCH) / _YEAR_DAYS) + 1
    options = [_tabular(each, month, day) for each in (year - 1, year, year + 1)]
    return max((w for w in options if w <= posted + timedelta(days=_SLACK)), default=None)


def _tabular(year: int, month: int, day: int) -> date:
    days = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30
    return date.fromordinal(_EPOCH + days - 1)
