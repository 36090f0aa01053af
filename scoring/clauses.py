"""Clauses around a claimed attack that are not the attack: a motive, a question, a memory.

Statements give their motive before or after the verb ("ورداً على جريمة اغتيال قادة النصر
في مطار بغداد، هاجم مجاهدو ...", "..., in retaliation for the assassination at Baghdad
airport"), and the places and days a motive names are someone else's strike ("رداً على
مجزرة جباليا يوم ٧ تشرين الأول"); a clause of time words alone beside it ("، فجر اليوم،")
is the attack's. A post may ask
whether the group attacked ("هل استهدف مجاهدو المقاومة ...؟") instead of saying it did. A
post may open with an anniversary ("في مثل هذا اليوم ...") and then claim today's attack,
dated by its weekday. These functions read one sentence, or the whole normalised text,
given where `scoring.claimness` found the claim; they never decide on their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
# Where a clause ends inside a sentence: a comma, a colon, a bar or a dash between words.
_BOUNDARY = re.compile(r"[,:|–—]|\s-\s")
_OPENING = " \"'()[]*•-"  # what may stand before a sentence's first word

MOTIVE = re.compile(
    r"(?<!\w)[وف]?(?:(?:ك|في\s+)?ردا?\s+علي|ثارا|انتقاما|اخذا\s+بالثار|نصره|اسنادا|دعما"
    r"|تضامنا|وفاء|في\s+مثل\s+هذا\s+اليوم)(?!\w)"
    r"|(?<![a-z])(?:in\s+(?:response|retaliation|revenge|reprisal|support|solidarity|defen[cs]e)"
    r"|as\s+(?:a\s+)?(?:response|retaliation|revenge)|to\s+avenge|avenging|on\s+this\s+day"
    r"|(?:a|one|two|\d{1,2})\s+years?\s+ago)(?![a-z])"
)

# A question that asks whether ("هل", "ما حقيقة", "did", "has"), or asks why, when, how.
_YES_NO = re.compile(
    r"[وف]?(?:هل|اهل|اصحيح|احقا|ما\s+(?:حقيقه|صحه|مدي\s+صحه))(?!\w)"
    r"|(?:did|does|do|has|have|had|is|was|were|are|can|could)(?![a-z])"
)
_WH = re.compile(r"[وف]?(?:لماذا|كيف|متي|اين|ماذا)(?!\w)|(?:why|how|when|where|what)(?![a-z])")
_QUESTION_MARK = re.compile(r"\?[^\w?]*\Z")
QUESTION_HINT = re.compile(r"\?|(?<!\w)[وف]?(?:هل|اهل|اصحيح|احقا|ما\s+(?:حقيقه|صحه|مدي))(?!\w)"
                           r"|(?<![a-z])(?:did|does|do|has|have|had|is|was|were|are|can|could)"
                           r"(?![a-z])")  # fmt: skip

# What may stand between an anniversary and the claim it dates: the year, time words, a
# weekday, digits and punctuation ("في مثل هذا اليوم من العام الماضي، فجر يوم الأحد، ...").
_DAY = r"(?:احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت)"
_EN_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_HEADING_ONLY = re.compile(
    r"(?:[^\w]|\d|(?<!\w)[وفب]?(?:من|في|عام|العام|سنه|السنه|الماضي|الماضيه|قبل|عامين|سنتين"
    r"|تحديدا|يوم|الموافق|فجر|صباح|ظهر|عصر|مساء|ليله|ليل|الفجر|الصباح|المساء|فجرا|صباحا"
    rf"|مساءا|ليلا|ساعات|الساعات|الاولي|منتصف|الليل|ال{_DAY})(?!\w)"
    r"|(?<![a-z])(?:last|year|years|ago|in|on|of|the|a|one|two|early|late|at|dawn|morning"
    rf"|afternoon|evening|night|{_EN_DAY})(?![a-z]))*"
)
# A clause of time words alone beside a motive ("، فجر اليوم،", "، وذلك مساء أمس", ", at dawn
# today") tells when the attack was made, not when the motive's massacre was.
_TIME_CLAUSE = re.compile(
    r"(?:[^\w]|\d|(?<!\w)[وفب]?(?:ذلك|يوم|اليوم|امس|البارحه|الليله|هذا|الموافق|فجر|صباح"
    r"|ظهر|عصر|مساء|ليله|ليل|الفجر|الصباح|الظهر|العصر|المساء|فجرا|صباحا|ظهرا|عصرا|مساءا|ليلا"
    rf"|ساعات|الساعات|الاولي|من|منتصف|الليل|ال{_DAY})(?!\w)"
    r"|(?<![a-z])(?:and|that|this|at|on|in|the|of|early|late|hours|dawn|morning|noon|afternoon"
    rf"|evening|night|today|yesterday|tonight|overnight|{_EN_DAY})(?![a-z]))*"
)
_TIME_WORD = re.compile(
    r"(?<!\w)[وفب]?(?:اليوم|امس|البارحه|الليله|فجر|صباح|ظهر|عصر|مساء|ليله|ليل|الفجر|الصباح"
    r"|المساء|فجرا|صباحا|ظهرا|عصرا|مساءا|ليلا)(?!\w)"
    r"|(?<![a-z])(?:dawn|morning|noon|afternoon|evening|night|today|yesterday|tonight)(?![a-z])"
)
# A weekday that dates an attack: after "يوم" or a time word ("وفجر الأحد"), or in English.
_WEEKDAY = re.compile(
    r"(?<!\w)(?:[وفب]?يوم|[وف]?(?:فجر|صباح|ظهر|عصر|مساء|ليله|ليل)(?:\s+يوم)?)"
    rf"\s+ال{_DAY}(?!\w)|(?<![a-z]){_EN_DAY}(?![a-z])"
)


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """Each sentence of `text` with the offset where it starts."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        yield start, text[start : end.start()]
        start = end.end()
    yield start, text[start:]


def asked(sentence: str, claim_start: int) -> bool:
    """Whether the claim starting at `claim_start` in `sentence` is asked, not stated:
    its clause opens with "هل", "ما حقيقة", "did", "has" (or "why", "how" ... and the
    sentence ends with "?"), or nothing stands between the claim and a closing "?"."""
    boundaries = [m.end() for m in _BOUNDARY.finditer(sentence, 0, claim_start)]
    opening = sentence[boundaries[-1] if boundaries else 0 : claim_start]
    opening = opening.lstrip(_OPENING)
    question = _QUESTION_MARK.search(sentence) is not None
    if _YES_NO.match(opening) or (question and _WH.match(opening)):
        return True
    return question and _BOUNDARY.search(sentence, claim_start) is None


def motive_spans(
    sentence: str, claim_start: int | None, names_place: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """Where `sentence` gives a motive or an anniversary rather than the attack's object.

    Before the claim, a motive runs to the last clause boundary before the verb; after it,
    to the end of its own clause, or to the sentence's end once the claim has named its
    target (a motive between commas may come before the target: "هاجم مجاهدو ...، ثأراً
    لشهداء غزة، قاعدة التنف")."""
    spans: list[tuple[int, int]] = []
    named, checked = False, claim_start or 0
    for cue in MOTIVE.finditer(sentence):
        if spans and cue.start() < spans[-1][1]:
            continue
        if claim_start is None:
            # A sentence that opens with the motive is all motive; "والعملية جاءت رداً على
            # جرائم الاحتلال، وقد استهدفت قاعدة حرير" names the target after it.
            after = _BOUNDARY.search(sentence, cue.end())
            opens = not sentence[: cue.start()].strip(_OPENING)
            end = after.start() if after and not opens else len(sentence)
        elif cue.start() < claim_start:
            before = list(_BOUNDARY.finditer(sentence, cue.end(), claim_start))
            # "رداً على ...، فجر اليوم، استهدف": the time clause before the verb's is its own.
            while len(before) > 1 and _times_only(sentence[before[-2].end() : before[-1].start()]):
                before.pop()
            end = before[-1].start() if before else claim_start
        else:
            after = _BOUNDARY.search(sentence, cue.end())
            # Each stretch is read once (with a name's length of overlap): a post of a
            # thousand motives costs no more than its length.
            named = named or names_place(sentence[max(claim_start, checked - 40) : cue.start()])
            checked = cue.start()
            end = after.start() if after and not named else _up_to_time(sentence, after)
        spans.append((cue.start(), end))
    return spans


def _up_to_time(sentence: str, boundary: re.Match[str] | None) -> int:
    """Where a motive after a named target ends: at the sentence's end, or where a clause
    of time words alone begins ("..., رداً على مجازر العدو، وذلك فجر اليوم")."""
    while boundary is not None:
        following = _BOUNDARY.search(sentence, boundary.end())
        clause = sentence[boundary.end() : following.start() if following else len(sentence)]
        if _times_only(clause):
            return boundary.start()
        boundary = following
    return len(sentence)


def _times_only(clause: str) -> bool:
    return _TIME_CLAUSE.fullmatch(clause) is not None and _TIME_WORD.search(clause) is not None


def dated_apart(text: str, anniversary: re.Match[str], claim_start: int) -> bool:
    """Whether the anniversary recalls another event while the claim is dated by a weekday
    of its own ("في مثل هذا اليوم ارتكب العدو جريمة المطار، وفجر الأحد هاجم مجاهدو ..."),
    not one that heads the claim ("في مثل هذا اليوم من العام الماضي، فجر يوم الأحد، ...")."""
    if claim_start > anniversary.start() and _heads(text, anniversary, claim_start):
        return False
    return any(
        day.start() < anniversary.start() or not _heads(text, anniversary, day.start())
        for day in _WEEKDAY.finditer(text)
    )


def _heads(text: str, anniversary: re.Match[str], position: int) -> bool:
    return _HEADING_ONLY.fullmatch(text, anniversary.end(), position) is not None
