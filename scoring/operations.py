"""How many operations a claim reports ("عمليتين", "ثلاث عمليات", "two separate attacks").

Only a stated count is trusted: the number of targets is not a number of operations
("هدفين حيويين في الجولان" is one operation on two targets), and a tally of the month's
operations is not a claim at all (the claim filter vetoes it). Without a count a claim
reports one operation. Counts above 20 are tallies, not claims, and are ignored.
"""

from __future__ import annotations

import re

_ARABIC_NUMBERS = {"ثلاث": 3, "اربع": 4, "خمس": 5, "ست": 6, "سبع": 7, "ثمان": 8, "ثماني": 8,
                   "تسع": 9, "عشر": 10}  # fmt: skip
_ENGLISH_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                    "nine": 9, "ten": 10, "double": 2, "twin": 2}  # fmt: skip
_AR_WORD = "|".join(sorted(_ARABIC_NUMBERS, key=len, reverse=True))
_EN_WORD = "|".join(_ENGLISH_NUMBERS)

_PATTERNS: tuple[tuple[re.Pattern[str], int | None], ...] = (
    (re.compile(r"(?<!\w)[وب]?(?:عمليت|هجوم|ضربت|مرت)(?:ين|ان)(?!\w)"), 2),
    (re.compile(r"(?<!\w)عمليه\s+(?:\w+\s+)?مزدوجه(?!\w)"), 2),
    (re.compile(rf"(?<!\w)[وب]?({_AR_WORD}|\d+)ه?\s+(?:عمليات|هجمات|ضربات|مرات)(?!\w)"), None),
    (re.compile(rf"(?<![a-z\d])({_EN_WORD}|\d+)\s+(?:[a-z\-]+\s+){{0,2}}?"
                r"(?:operations|attacks|strikes)(?![a-z])"), None),
)  # fmt: skip


def count_operations(text: str) -> tuple[int, str | None]:
    """The number of operations stated in normalised text (1 if none is), and the phrase."""
    for pattern, fixed in _PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        count = fixed if fixed is not None else _number(match.group(1))
        if 1 <= count <= 20:
            return count, match.group().strip()
    return 1, None


def _number(word: str) -> int:
    if word.isdigit():
        return int(word) if len(word) <= 3 else 0  # a long run of digits is never a count
    return _ARABIC_NUMBERS.get(word) or _ENGLISH_NUMBERS.get(word, 0)
