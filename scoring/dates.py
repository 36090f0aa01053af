"""When a claim says the attack happened: a date, a part of the day and the stated weekday.

Claims date themselves relative to the statement ("فجر اليوم", "مساء أمس", "on Tuesday"),
explicitly ("١١-٣-٢٠٢٤", "2024/10/3", "24 مايو 2024", "١٧ تشرين الأول ٢٠٢٤"), or both.
Relative words are resolved against the explicit date when the post carries one, else
against its Hijri date line's day (`scoring.hijri`): the statement's own date, which
survives re-posts. Otherwise they are resolved against the post's date in Iraq time
(Asia/Baghdad), where the groups write (a forward is read as of its original's posting).
An explicit date written with the relative words ("مساء أمس السبت ١٢-١٠-٢٠٢٤") is the
attack's own. A night is dated by the evening it starts, as both Arabic and English usage
do, so "this evening" or "tonight" in a claim posted shortly after midnight is the evening
or night that has just ended; "the early hours" ("الساعات الأولى من صباح اليوم"), from
midnight to dawn, are the new day's.

The stated weekday is kept as written even when it does not fit the date, so the scorer can
see the mismatch. A weekday heading the statement's date line ("الأحد ١٣-١٠-٢٠٢٤", or Hijri,
"الأحد ١٠ ربيع الآخر ١٤٤٦هـ") is the statement's: it is the attack's only when the attack
is dated that day, not "yesterday".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from scoring import hijri

IRAQ = ZoneInfo("Asia/Baghdad")
# A claim posted before this hour may still call the evening or night just ended "today".
AFTER_MIDNIGHT_HOURS = 6
_LATE_PARTS = ("evening", "night")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_AR_WEEKDAYS = {"الاثنين": 0, "الاتنين": 0, "الثلاثاء": 1, "الثلاثا": 1, "الاربعاء": 2,
                "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}  # fmt: skip
_EN_WEEKDAYS = {name.lower(): index for index, name in enumerate(WEEKDAY_NAMES)}
_MONTHS = {
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH = "|".join(sorted((re.escape(name) for name in _MONTHS), key=len, reverse=True))
_YEAR = r"((?:19|20)\d{2})"
_DMY = re.compile(rf"(?<!\d)(\d{{1,2}})\s*([/\-.])\s*(\d{{1,2}})\s*\2\s*{_YEAR}(?!\d)")
_YMD = re.compile(rf"(?<!\d){_YEAR}\s*([/\-.])\s*(\d{{1,2}})\s*\2\s*(\d{{1,2}})(?!\d)")
_D_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+|من\s+)?(?:شهر\s+)?({_MONTH})(?![a-z\w])"
    rf"(?:\s*[/(]\s*(?:{_MONTH})\s*\)?)?(?:\s*,?\s*(?:عام\s+|سنه\s+)?{_YEAR})?"
)
_MONTH_D = re.compile(
    rf"(?<![a-z])({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+{_YEAR})?"
)
_NOT_THE_ATTACK = re.compile(r"(?:منذ|قبل|حتي|since|before|until)\s*$")

_RELATIVE = (
    (r"(?<!\w)(?:اول\s+(?:من\s+)?امس|امس\s+الاول)(?!\w)|day\s+before\s+yesterday", -2),
    (r"(?<!\w)(?:[وف]?(?:يوم\s+)?امس|البارحه|الليله\s+الماضيه)(?!\w)|yesterday|last\s+night", -1),
    # "في مثل هذا اليوم" (on this day) recalls another year's day, not today.
    (r"(?<!\w)(?<!مثل هذا )[وف]?(?:اليوم|الليله)(?!\w)|هذا\s+(?:الصباح|المساء)|today|tonight"
     r"|this\s+(?:morning|afternoon|evening)", 0),
)  # fmt: skip
_OVERNIGHT = re.compile(r"(?<![a-z])overnight(?![a-z])")
_AR_WEEKDAY = re.compile(r"(?<!\w)(?:[وفب]?(?:يوم\s+)?)(" + "|".join(_AR_WEEKDAYS) + r")(?!\w)")
_EN_WEEKDAY = re.compile(r"(?<![a-z])(" + "|".join(_EN_WEEKDAYS) + r")(?:'s)?(?![a-z])")
_AR_WEEKDAY_CONTEXT = re.compile(
    r"(?:\A|\n|(?<!\w)[وف]?(?:اليوم|فجر|صباح|ظهر|عصر|مساء|ليله|ليل|امس|الموافق))[\s,|:\-]*\Z"
)

_NEAR_DATES = 3  # dates read by different patterns may start at the same place
# Between a weekday and the date it heads: "الأحد ١٣-١٠-٢٠٢٤", "الأحد الموافق ١٣/١٠".
_HEADS = re.compile(r"[\s,.:()\-/|]*(?:الموافق(?:\s*ل)?[\s,.:()\-/|]*)?")
# Between "yesterday"/"today" and a date that is the attack's own: weekday, part of day, link.
_WITH_RELATIVE = re.compile(
    r"(?:[ ,:()\-/|]|(?<![\w])(?:يوم|الموافق|ل|بتاريخ|on|the|"
    + "|".join([*_AR_WEEKDAYS, *_EN_WEEKDAYS])
    + r"|فجرا|صباحا|ظهرا|عصرا|مساء|مساءا|ليلا|dawn|morning|afternoon|evening|night)(?!\w))*"
)

_TIME_NEXT = (r"(?=\s+(?:يوم\s+)?(?:اليوم|امس|البارحه|هذا|[وف]?ال(?:احد|اثنين|ثلاثاء|اربعاء|خميس"
              r"|جمعه|سبت)|\d))")  # fmt: skip
_PARTS = (
    # "The early hours" run from midnight to dawn: "في الساعات الأولى من صباح اليوم".
    ("early_hours", r"(?<!\w)[وب]?الساعات\s+الاولي(?!\w)"
                    r"|(?:early|small|wee)(?:\s+morning)?\s+hours"),
    ("dawn", rf"(?<!\w)(?:ساعات\s+الفجر|[وب]?الفجر|فجرا|[وف]?فجر{_TIME_NEXT})(?!\w)"
     r"|pre-dawn|dawn|early\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday"
     r"|saturday|sunday)"),
    ("morning", rf"(?<!\w)(?:صباحا|[وب]?الصباح|[وف]?(?:صباح|ضحي){_TIME_NEXT})(?!\w)|morning"),
    ("noon", rf"(?<!\w)(?:ظهرا|[وب]?الظهيره|[وف]?(?:ظهيره|ظهر){_TIME_NEXT})(?!\w)|noon|midday"),
    ("afternoon", rf"(?<!\w)(?:عصرا|[وف]?عصر{_TIME_NEXT})(?!\w)|afternoon"),
    ("evening", r"(?<!\w)(?:[وبف]?مساء|مساءا)(?!\w)|evening"),
    ("night", r"(?<!\w)(?:ليلا|منتصف\s+(?:الليل|ليل)|[وب]?الليله|[وف]?(?:ليله|ليل))(?!\w)"
     r"|late\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|late\s+at\s+night"
     r"|tonight|overnight|midnight|night"),
)  # fmt: skip
# Every part of day a claim can be given; each has its alert-search window in
# scoring/corroboration.py.
PARTS_OF_DAY = tuple(name for name, _ in _PARTS)


@dataclass(frozen=True)
class ClaimedTime:
    """The attack's date and part of day as the post states them (None when it does not)."""

    date: date | None
    part_of_day: str | None
    stated_weekday: str | None
    evidence: tuple[str, ...] = ()


def iraq_date(posted_at: datetime) -> date:
    """The post's calendar date in Iraq; a naive timestamp is taken as UTC."""
    return _in_iraq(posted_at).date()


def _in_iraq(posted_at: datetime) -> datetime:
    return posted_at.replace(tzinfo=posted_at.tzinfo or UTC).astimezone(IRAQ)


class _Found(NamedTuple):
    """A date, weekday (0 = Monday) or day offset found in the text."""

    start: int
    end: int
    value: Any
    phrase: str


def claimed_time(text: str, posted_at: datetime) -> ClaimedTime:
    """Resolve the claim's date, part of day and weekday from normalised text."""
    posted = iraq_date(posted_at)
    explicit = _explicit_dates(text, posted)
    offset = _relative_offset(text, posted_at)
    own = _written_with(text, offset, explicit) if offset is not None else None
    lines = [(day, _date_line(text, day, explicit, posted)) for day in _weekdays(text)]
    # The statement's date: the first explicit one, else a Hijri date line's day.
    statement = explicit[0].value if explicit else _line_day(lines)
    reference: date = statement or posted
    # A weekday heading a Hijri date line of no known day still dates a claim that says
    # nothing else.
    dating = [day for day, line in lines if line is None or line.day is None]
    part = _part_of_day(text)
    if own is not None:
        resolved: date | None = own.value
    elif offset is not None:
        resolved = reference + timedelta(days=offset.value)
        if statement is None and _evening_just_ended(offset, part, posted_at):
            resolved = reference - timedelta(days=1)
    elif dating:
        resolved = _last_weekday(reference, dating[0].value)
    else:
        resolved = statement
    # A Hijri date line's day: the day "yesterday" counts from (unknown when the attack's
    # own date is written), else the claimed day.
    statement_day = resolved if offset is None else (None if own else reference)
    stated = _stated_weekday(lines, resolved, statement_day)
    found = (own or (explicit[0] if explicit else None), offset, stated, part)
    evidence = tuple(item.phrase for item in found if item is not None)
    return ClaimedTime(
        resolved,
        part.value if part else None,
        WEEKDAY_NAMES[stated.value] if stated else None,
        evidence,
    )


def _explicit_dates(text: str, posted: date) -> list[_Found]:
    """Explicit dates in text order, except those after "since"/"منذ" (not the attack's)."""
    found: list[tuple[re.Match[str], date | None]] = []
    for match in _DMY.finditer(text):
        day, month = int(match[1]), int(match[3])
        if month > 12 >= day:
            day, month = month, day
        found.append((match, _valid(int(match[4]), month, day)))
    for match in _YMD.finditer(text):
        found.append((match, _valid(int(match[1]), int(match[3]), int(match[4]))))
    for match in _D_MONTH.finditer(text):
        found.append((match, _with_year(match[3], _MONTHS[match[2]], int(match[1]), posted)))
    for match in _MONTH_D.finditer(text):
        found.append((match, _with_year(match[3], _MONTHS[match[1]], int(match[2]), posted)))
    kept = [
        _Found(match.start(), match.end(), value, match.group())
        for match, value in found
        if value is not None
        and not _NOT_THE_ATTACK.search(text[max(0, match.start() - 12) : match.start()])
    ]
    return sorted(kept)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(year: str | None, month: int, day: int, posted: date) -> date | None:
    """A date without a year is the latest one not after the post (plus a day of slack)."""
    if year is not None:
        return _valid(int(year), month, day)
    value = _valid(posted.year, month, day)
    if value is not None and value > posted + timedelta(days=1):
        return _valid(posted.year - 1, month, day)
    return value


def _relative_offset(text: str, posted_at: datetime) -> _Found | None:
    """The first "today"/"yesterday" word, as a day offset from the reference date."""
    hits: list[_Found] = []
    for pattern, offset in _RELATIVE:
        hits += [_Found(m.start(), m.end(), offset, m.group()) for m in re.finditer(pattern, text)]
        text = re.sub(pattern, lambda m: " " * len(m.group()), text)
    local_hour = _in_iraq(posted_at).hour
    for match in _OVERNIGHT.finditer(text):
        # "overnight" in a morning post is the night before; later in the day, tonight's.
        hits.append(_Found(match.start(), match.end(), -1 if local_hour < 12 else 0, match.group()))
    return min(hits, default=None)


def _evening_just_ended(offset: _Found, part: _Found | None, posted_at: datetime) -> bool:
    """True for "this evening" or "tonight" in a claim posted at 00:30: the evening before."""
    late = part is not None and part.value in _LATE_PARTS
    return offset.value == 0 and late and _in_iraq(posted_at).hour < AFTER_MIDNIGHT_HOURS


def _weekdays(text: str) -> list[_Found]:
    """Weekdays in text order; an Arabic one only after a time word or heading a line,
    because "الاحد"/"الاثنين" also mean "the one"/"the two"."""
    found = [
        _Found(m.start(), m.end(), _AR_WEEKDAYS[m[1]], m.group())
        for m in _AR_WEEKDAY.finditer(text)
        if m.group().startswith("يوم")
        or _AR_WEEKDAY_CONTEXT.search(text[max(0, m.start() - 20) : m.start()])
    ]
    found += [
        _Found(m.start(), m.end(), _EN_WEEKDAYS[m[1]], m.group())
        for m in _EN_WEEKDAY.finditer(text)
    ]
    return sorted(found)


class _DateLine(NamedTuple):
    """A date line a weekday heads: its Gregorian day, None for a Hijri one of no known day."""

    day: date | None


def _date_line(
    text: str, weekday: _Found, explicit: list[_Found], posted: date
) -> _DateLine | None:
    """The date line `weekday` heads ("الأحد 13-10-2024", "الأحد 10 ربيع الاخر 1446ه الموافق
    13-10-2024", "الأحد 10 ربيع الاخر 1446ه"), or None for a weekday that stands free."""
    line = hijri.LINE.match(text, weekday.end)
    start = line.end() if line else weekday.end
    # Only a date that begins a few characters on can be headed: no need to try the others.
    first = bisect_left(explicit, start, key=lambda when: when.start)
    for when in explicit[first : first + _NEAR_DATES]:
        if _HEADS.fullmatch(text, start, when.start):
            return _DateLine(when.value)
    return _DateLine(hijri.line_day(line, weekday.value, posted)) if line else None


def _line_day(lines: list[tuple[_Found, _DateLine | None]]) -> date | None:
    return next((line.day for _, line in lines if line is not None and line.day), None)


def _stated_weekday(
    lines: list[tuple[_Found, _DateLine | None]], resolved: date | None, statement_day: date | None
) -> _Found | None:
    """The weekday the text gives the attack: the first standing free, else one heading the
    date line of the claimed day, kept even when it does not fit that day."""
    free = [day for day, line in lines if line is None]
    if free:
        return free[0]
    for day, line in lines:
        if line is not None and (line.day or statement_day) == resolved:
            return day
    return None


def _written_with(text: str, offset: _Found, explicit: list[_Found]) -> _Found | None:
    """The explicit date written with "yesterday" or "today" ("مساء امس السبت 12-10-2024"):
    the attack's own date, not the statement's."""
    for when in explicit:
        if offset.end <= when.start <= offset.end + 40 and _WITH_RELATIVE.fullmatch(
            text, offset.end, when.start
        ):
            return when
    return None


def _last_weekday(reference: date, weekday: int) -> date:
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def _part_of_day(text: str) -> _Found | None:
    """The first part-of-day phrase; its value is the part's name ("dawn", ...)."""
    hits = [
        _Found(match.start(), match.end(), part, match.group())
        for part, pattern in _PARTS
        for match in re.finditer(pattern, text)
    ]
    return min(hits, default=None)
