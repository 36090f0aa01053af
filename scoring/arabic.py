"""Arabic text normalisation, so one pattern matches every way a claim spells a word.

Claims reach us vowelled or bare, with tatweel, with hamza or without, with Persian letters
from a Farsi keyboard, with Arabic-Indic digits, inside hashtags, and with words broken up
("مق او مة", "م.ق.ا.و.م.ة") to slip past platform filters. Every matcher in `scoring/` works
on the output of `normalize`, so the lexicons are written once, in the normalised spelling:
bare letters, ا for every alef, ي for alef maqsura, ه for ta marbuta, ASCII digits.

Normalisation is for matching only: the archive keeps the post's text verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

# Harakat, Quranic annotation marks and the superscript alef: they never change the word.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")
# Zero-width and bidirectional controls (the Arabic letter mark among them), joiners, fillers,
# variation selectors and tags are invisible, and are used to split words.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]"
)
_TATWEEL = "\u0640"

_LETTERS = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ؤ": "و", "ئ": "ي", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي",
        "ة": "ه", "ۃ": "ه", "ھ": "ه", "ہ": "ه", "ە": "ه",
        "ک": "ك", "ڪ": "ك", "گ": "ك",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
        "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
        "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4",
        "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
        "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",",
        "#": " ", "_": " ", "\u00a0": " ",
        "’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"',
    }
)  # fmt: skip

ARABIC_LETTER = "\u0621-\u064a"
# Single letters joined by dots, dashes or stars: "م.ق.ا.و.م.ة" -> "مقاومة".
_SPELLED_OUT = re.compile(
    rf"(?<![{ARABIC_LETTER}])(?:[{ARABIC_LETTER}][.\-*•·|/]){{2,}}[{ARABIC_LETTER}]"
)
_ARABIC_TOKEN = re.compile(rf"[{ARABIC_LETTER}]+")
_TRAILING = re.compile(rf"([{ARABIC_LETTER}]+)[^\w\s]*")
_SPACES = re.compile(r"[ \t\f\v]+")

# Clitics that glue onto the front of a word: and, so, with/in, for, like, the.
CLITIC_PREFIXES = (
    "وبال", "وال", "بال", "فال", "كال", "لل", "ال", "وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك",
)  # fmt: skip

# Words that matter to claim extraction and are known to be broken up to dodge filters.
# Extractors add their own lexicons (places, groups, weapons) to this list.
CORE_VOCABULARY = frozenset(
    {
        "مقاومه", "الاسلاميه", "العراق", "العراقيه", "مجاهدو", "مجاهدي", "مجاهدون", "مجاهدونا",
        "استهدف", "استهدفت", "استهدفوا", "استهدفنا", "استهداف", "هاجم", "هاجموا", "قصف",
        "الاحتلال", "المحتل", "المحتله", "الصهيوني", "الكيان", "الغاصب", "اراضينا",
        "هدفا", "حيويا", "حيوي", "عسكريا", "الطيران", "المسير", "المسيره", "مسيره", "مسيرات",
        "صواريخ", "صاروخ", "كروز", "عمليه", "عمليات", "عمليتين", "معاقل", "الاعداء", "بواسطه",
        "الامريكي", "الامريكيه", "قاعده", "ميناء", "مطار", "فلسطين", "غزه", "لبنان",
    }
)  # fmt: skip


# The first of CLITIC_PREFIXES, in their order, that leaves three letters or more.
_CLITIC = re.compile("|".join(f"{prefix}(?=.{{3}})" for prefix in CLITIC_PREFIXES), re.S)


NORMALISER_VERSION = 2  # bump when normalize() changes: stored search texts are redone


def normalize(text: str) -> str:
    """Fold spelling variants, strip marks and invisible characters, lower-case Latin text."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _MARKS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTERS).lower()
    text = _SPELLED_OUT.sub(lambda m: re.sub(r"[.\-*•·|/]", "", m.group()), text)
    return _SPACES.sub(" ", text)


def strip_clitic(word: str) -> str:
    """The word without one leading clitic cluster, when what remains is still a word."""
    clitic = _CLITIC.match(word)
    return word[clitic.end() :] if clitic else word


class WordJoiner:
    """Rejoins known words that were split by spaces: "مق او مة" -> "مقاومة".

    Only joins that produce a word of the vocabulary (possibly behind a clitic) are made,
    so ordinary short words ("في", "من") are never glued to their neighbours.
    """

    def __init__(self, vocabulary: Iterable[str], max_parts: int = 5) -> None:
        # Short words ("في", "ام") would glue ordinary neighbours together: four letters up.
        self._vocabulary = frozenset(w for w in map(normalize, vocabulary) if len(w) >= 4)
        self._max_parts = max_parts
        # No join longer than this can be a word, even behind the longest clitic.
        self._longest = max(map(len, self._vocabulary), default=0) + max(map(len, CLITIC_PREFIXES))

    def known(self, word: str) -> bool:
        return word in self._vocabulary or strip_clitic(word) in self._vocabulary

    def join(self, text: str) -> str:
        """`text` (already normalised) with split vocabulary words put back together."""
        return "\n".join(
            _Line(line, self.known, self._max_parts, self._longest).joined()
            for line in text.split("\n")
        )


class _Line:
    """One line's tokens, each looked at once: how many Arabic-only tokens start at each,
    each token's letters before trailing punctuation, and the words already looked up."""

    def __init__(
        self, line: str, known: Callable[[str], bool], max_parts: int, longest: int
    ) -> None:
        self._lookup, self._max_parts, self._longest = known, max_parts, longest
        self._tokens = tokens = line.split(" ")
        self._run = [0] * (len(tokens) + 1)
        for i in range(len(tokens) - 1, -1, -1):
            if _ARABIC_TOKEN.fullmatch(tokens[i]):
                self._run[i] = self._run[i + 1] + 1
        self._ends = [m.group(1) if (m := _TRAILING.fullmatch(t)) else None for t in tokens]
        self._known: dict[str, bool] = {}

    def joined(self) -> str:
        tokens, out, i = self._tokens, list[str](), 0
        while i < len(tokens):
            width = self._match_width(i)
            out.append("".join(tokens[i : i + width]))
            i += width
        return " ".join(out)

    def _match_width(self, start: int) -> int:
        """How many tokens from `start` form one split vocabulary word (1 when none do): all
        but the last Arabic letters only, the last perhaps followed by a comma or full stop."""
        limit = min(self._max_parts, len(self._tokens) - start, self._run[start] + 1)
        for width in range(limit, 1, -1):
            last = self._ends[start + width - 1]
            if last is None:
                continue
            first = self._tokens[start]
            if self._is_known(first) and self._is_known(last):
                continue  # two real words side by side, not one broken word
            word = "".join(self._tokens[start : start + width - 1]) + last
            if len(word) <= self._longest and self._is_known(word):
                return width
        return 1

    def _is_known(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._lookup(word)
        return known


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic, to tell Arabic posts from English ones."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff") / len(letters)
