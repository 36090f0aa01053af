"""Is a post an attack claim? And which of its sentences speak about the claimed attack?

A claim is a group saying it attacked: a past-tense attack verb whose subject is the group
or its fighters ("استهدف مجاهدو المقاومة ...", "المقاومة الإسلامية في العراق تستهدف ...",
"the Islamic Resistance in Iraq said its fighters struck ..."). Threats use the future
("سنستهدف", "will target") and never match; statements, condolences, martyrdom notices and
boycott calls have no such verb; news about someone else's strike has another subject
("قصفت طائرات أمريكية ..."); denials, fake-statement notices, tallies ("أكثر من ٢٠٠
عملية", "dozens of times") and memories ("في مثل هذا اليوم من العام الماضي") name attacks
but are vetoed by their own cue words, as are questions ("هل استهدف مجاهدو ...؟"). A
sentence warning of attacks to come is no part of the claim's context, so the places it
names are not targets; nor are those named by a motive (`scoring.clauses`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from scoring.clauses import MOTIVE, QUESTION_HINT, asked, dated_apart, motive_spans, sentences

_W = r"(?<!\w)"
_E = r"(?!\w)"
_V_PAST = (r"(?:استهدف|استهدفت|استهدفوا|هاجم|هاجمت|هاجموا|قصف|قصفت|قصفوا|ضرب|ضربت|ضربوا|دك|دكت"
           r"|دكوا|اطلق|اطلقت|اطلقوا|نفذ|نفذت|نفذوا|شن|شنت|شنوا|تمكن|تمكنت)")  # fmt: skip
_V_FIRST_PERSON = r"(?:استهدفنا|هاجمنا|قصفنا|ضربنا|دككنا|اطلقنا|نفذنا|شننا)"
# Headlines use the present, the dual for joint operations, and "تتبنى" (claims).
_V_HEADLINE = (r"(?:(?:تستهدف|تهاجم|تقصف|تضرب|تدك|تنفذ)(?:ان)?|تتبني"
               r"|تعلن\s+(?:عن\s+)?(?:استهداف|تنفيذ|قصف|مهاجمه))")  # fmt: skip
_SUBJECT = (r"(?:(?:ال)?مجاهد(?:و|ي|ون|ين|ونا|ينا|وها|يها)|ابطال(?:نا|ها)?"
            r"|مقاتل(?:و|ي|ونا|ينا)|قواتنا|(?:ال)?مقاومه|كتايب|حركه|عصايب|منظمه\s+بدر"
            r"|القوات\s+المسلحه|فصايل)")  # fmt: skip
_GROUP = r"(?:(?:ال)?مقاومه|كتايب|حركه|عصايب|منظمه\s+بدر|القوات\s+المسلحه)"
# What may stand between the verb and its subject: time words, punctuation, emoji.
_FILLER = (r"(?:[^\w\n]|فجر|صباح|ظهر|عصر|مساء|ليله|ليل|اليوم|امس|يوم|بعد|منتصف|في|ساعات"
           r"|الفجر|الاولي|من|هذا|الصباح|المساء|الموافق|ال(?:احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه"
           r"|سبت)|\d){0,40}?")  # fmt: skip

# Each rule names the claimant's position as the group "subj" (absent for "we" verbs).
_ARABIC_RULES = (
    re.compile(rf"{_W}[وف]?{_V_PAST}{_E}{_FILLER}{_W}(?P<subj>{_SUBJECT})"),
    re.compile(rf"{_W}[وف]?{_V_FIRST_PERSON}{_E}"),
    re.compile(rf"{_W}[وف]?(?P<subj>{_SUBJECT})[^.\n:|]{{0,45}}?{_W}(?:{_V_HEADLINE}|{_V_PAST}){_E}"),
    re.compile(rf"{_W}(?:اعلنت|افادت|قالت|اكدت|تبنت|تبني|اعلن)\s+(?P<subj>{_GROUP})[^.\n]{{0,60}}?"
               rf"{_W}(?:استهداف|قصف|تنفيذ|مهاجمه|انها|بان\s+مجاهدي\w*){_E}"),
    re.compile(rf"{_W}(?:استهداف|قصف|مهاجمه|عمليه)\s+(?P<subj>مجاهدي|ابطال|{_GROUP}){_E}"),
    re.compile(rf"{_W}[وف]?(?P<subj>{_GROUP})[^.\n:|]{{0,45}}?{_W}(?:تنشر|تبث|نشرت|بثت)\s+"
               r"(?:مشاهد|فيديو|لقطات)\w*\s+(?:من\s+)?(?:عمليه|استهداف|قصف|مهاجمه)"),
)  # fmt: skip

_EN_SUBJECT = (r"(?:islamic resistance|iraqi resistance|iri|hezbollah|hizbullah|kataib|nujaba"
               r"|houthis?|mujahideen|fighters|militants|militia|the group|the resistance|we|our"
               r"|it)")  # fmt: skip
# Past tense, and the present of headlines ("IRI targets Haifa port") right after the name.
_EN_VERB = (r"(?:targeted|targets|attacked|attacks|struck|strikes|bombed|hits?|launched|launches"
            r"|fired|fires|carried out|conducted|claimed|claims|shelled)")  # fmt: skip
# "IRI: drone attack on Eilat port": a headline that names the group, then the attack.
_EN_HEADLINE = re.compile(
    r"(?<![a-z])(?P<subj>islamic resistance in iraq|iraqi islamic resistance|iri|kataib hezbollah)"
    r"\s*[:|\-]\s*(?:[a-z\-]+\s+){0,2}?(?:attacks?|strikes?|operations?)\s+(?:on|against|targeting)\b"
)
_EN_PRESENT = re.compile(r"targets|attacks|strikes|hits|launches|fires")
_EN_NAME_REST = re.compile(
    r"\s*(?:(?:in|of)\s+iraq|hezbollah|hizbullah|al-nujaba)?\s*(?:\(\w+\))?\s*"
)
# "Drones targeted Harir base late Tuesday, the Islamic Resistance in Iraq said."
_EN_SAID = re.compile(
    r"(?<![a-z])(?P<act>targeted|attacked|struck|bombed|hit|launched|fired)(?![a-z])"
    r"[^.;\n]{0,120}?,"
    r"\s*(?:the\s+)?(?P<subj>islamic resistance in iraq|iraqi islamic resistance|kataib hezbollah"
    r"|iraqi resistance)[^.;\n]{0,20}?\s(?:said|says|claimed|announced|stated)(?![a-z])"
)
_PRONOUN = re.compile(r"it|we|our")
_EN_SUBJECT_RE = re.compile(rf"(?<![a-z']){_EN_SUBJECT}(?![a-z])")
_EN_RULE = re.compile(
    rf"(?P<subj>{_EN_SUBJECT})(?![a-z])(?P<gap>[^.;\n]{{0,90}}?)(?<![a-z]){_EN_VERB}(?![a-z])"
)
# Another actor, a modal or a passive between subject and verb: not the group acting.
_EN_BREAK = re.compile(
    r"(?<![a-z])(?:us|u\.s\.|american|israeli|israel|idf|army|military|pentagon|centcom|government"
    r"|pm|jets|warplanes|will|would|could|may|might|be|been|being|not|never|warns?|vows?)(?![a-z])"
)
# A tally of many operations, not a claim of one: more than 20 of them (see counts.py),
# "200+", "2,000", dozens or hundreds, a number of times, or since the war began. A year or
# the end of a date is no number of operations ("١٢/٤/٢٠٢٤ هدفاً حيوياً"), nor is Tower 22,
# nor a run of digits longer than any tally; but after "more than" ("أكثر من ٢٠٠٠ عملية")
# even a number that could be a year is a tally.
_MANY = (
    r"(?=\d)(?<![\d/\-.])(?<!tower )(?<!برج )(?:\d{1,3}(?:,\d{3})+"
    r"|(?!(?:19|20)\d\d(?![\d+]))(?:2[1-9]|[3-9]\d|[1-9]\d{2,3}|\d{1,4}\+))(?!\d)"
)
_MORE_THAN = (
    r"(?<!\w)(?:اكثر\s+من|ما\s+يزيد\s+(?:علي|عن)|ما\s+يربو\s+علي|قرابه|نحو|حوالي|زهاء)\s+"
    r"|(?<![a-z])(?:more\s+than|over|nearly|almost|some|about|around|at\s+least|upwards\s+of)\s+"
)
_OPERATIONS = (r"(?:attacks|operations|strikes|عمليه|عمليات|هجوم|هجوما|هجمات|ضربه|ضربات|مره"
               r"|هدف|هدفا|اهداف)(?!\w)")  # fmt: skip
_TALLY = re.compile(
    rf"{_MANY}\s+{_OPERATIONS}|(?:{_MORE_THAN})(?:2\d|[3-9]\d|\d{{3,5}})\+?\s+{_OPERATIONS}"
    r"|(?=\d)(?<!\d)\d+\+?\s+times(?![a-z])"
    r"|(?<![a-z])(?:dozens|hundreds|scores)\s+of\s+(?:times|attacks|operations|strikes)(?![a-z])"
    r"|since (?:oct|october|the start)"
    r"|(?<!\w)(?:عشرات|ميات|الاف|ميه|مايه|ميتي|مايتي)\s+(?:من\s+)?(?:ال)?"
    r"(?:عمليات|عمليه|هجمات|ضربات|مرات|اهداف|هدف)(?!\w)"
)

# "On this day last year ...": a memory, unless the post also speaks of today's attack.
_ANNIVERSARY = re.compile(
    r"(?<!\w)في\s+مثل\s+هذا\s+اليوم(?!\w)"
    r"|(?<![a-z\d])(?:on\s+this\s+day|(?:a|one|two|\d{1,2})\s+years?\s+ago(?:\s+today)?)(?![a-z])"
)
_TODAY = re.compile(
    r"(?<!\w)[وف]?(?:اليوم|امس|البارحه|الليله)(?!\w)|(?<![a-z])(?:today|yesterday|tonight)(?![a-z])"
)

_VETO = re.compile(
    r"(?<!\w)(?:[وف]?(?:تنفي|ننفي|نفت|نفي)|لا\s+علاقه|لا\s+صله|غير\s+مسوول|مزيف\w*|مفبرك\w*"
    r"|لم\s+(?:يصدر|تصدر)|ملفق\w*|حصاد|احصاييه|انفوغراف\w*|حصيله\s+عمليات)(?!\w)"
    r"|(?<![a-z])(?:den(?:y|ies|ied)|fake|fabricated|no involvement|not responsible|thread"
    r"|tally)(?![a-z])"
)
# Another actor speaking: the Israeli army, Hebrew media, the Pentagon, then ":" or "says".
_FOREIGN = re.compile(
    r"(?<!\w)(?:جيش\s+(?:الاحتلال|العدو)|الجيش\s+الاسرايلي|المتحدث\s+باسم\s+\w+(?:\s+\w+)?|ادرعي"
    r"|وسايل\s+اعلام\s+عبريه|اعلام\s+العدو|البنتاغون|البنتاجون|القياده\s+المركزيه(?:\s+الامريكيه)?)"
    r"(?:\s*:|\s+(?:ي|ت)?(?:علن|عترف|زعم|قول|دعي|فيد|ذكر)|\s+(?:اعلن|اعترف|زعم|قال|ادعي|افاد|ذكر)\w*)"
    r"|(?<![a-z])(?:idf|israeli (?:army|military)|the military|pentagon|centcom|us officials"
    r"|times of israel)(?:\s*:|\s+(?:said|says|claimed|claims|reported|announced|confirmed|stated))"
)
# A warning of what is to come ("وستبقى حيفا تحت نيران مسيّراتنا"): its places and weapons
# are not the claimed attack's.
_WARNING = re.compile(
    r"(?<!\w)[وف]?(?:س[تني](?:طال|بقي|كون|ستهدف|واصل|ستمر|ضرب|دك|قصف|هاجم)\w*|سوف|[نتي]حذر"
    r"|القادم\s+اعظم|(?:ال)?ايام\s+(?:ال)?قادمه|(?:ال)?مرحله\s+(?:ال)?قادمه)(?!\w)"
    r"|(?<![a-z])(?:will|warns?|vows?)(?![a-z])"
)


@dataclass(frozen=True)
class Claimness:
    """The verdict, where the claimant stands in the text, and the phrase that decided."""

    is_claim: bool
    subject: int | None  # where the claimant is named, or the verb when it says "we"
    phrase: str | None


def judge(text: str) -> Claimness:
    """Decide on normalised text whether it claims an attack."""
    veto = _VETO.search(text)
    match = _stated_claim(text)
    if match is None:
        return Claimness(False, None, veto.group() if veto else None)
    tally = veto or _TALLY.search(text) or _memory(text, match.start())
    if tally:
        return Claimness(False, None, tally.group())
    subject = (
        match.start("subj") if "subj" in match.re.groupindex and match["subj"] else match.start()
    )
    return Claimness(True, subject, match.group().strip())


def _stated_claim(text: str) -> re.Match[str] | None:
    """The first claim that is not asked: questions are blanked out before matching."""
    if not QUESTION_HINT.search(text):
        return _claim_match(text)
    chars = list(text)
    for start, sentence in sentences(text):
        claim = _claim_match(sentence) if QUESTION_HINT.search(sentence) else None
        if claim is not None and asked(sentence, claim.start()):
            chars[start : start + len(sentence)] = " " * len(sentence)
    return _claim_match("".join(chars))


def _memory(text: str, claim_start: int) -> re.Match[str] | None:
    """The "on this day last year" of a post that recalls an attack and claims none today:
    no "today" outside the anniversary, no weekday of the claim's own."""
    memory = _ANNIVERSARY.search(text)
    if memory is None or _TODAY.search(_ANNIVERSARY.sub(" ", text)):
        return None
    return None if dated_apart(text, memory, claim_start) else memory


def claim_context(text: str) -> str:
    """The text without what another actor (army, Pentagon) says: whole sentences, or the
    clause after the claim ("..., and the IDF said it intercepted one over the Golan"); and
    without sentences that warn of attacks to come."""
    kept = []
    for _, sentence in sentences(text):
        foreign = _FOREIGN.search(sentence)
        claim = _claim_match(sentence)
        if claim is not None and QUESTION_HINT.search(sentence) and asked(sentence, claim.start()):
            continue
        if foreign is not None and claim is not None:
            kept.append(sentence[: foreign.start()] if foreign.start() > claim.end() else sentence)
        elif foreign is None and (claim is not None or _WARNING.search(sentence) is None):
            kept.append(sentence)
    return "\n".join(kept)


def aimed_context(context: str, names_place: Callable[[str], bool]) -> str:
    """`context` (from `claim_context`) with its motives and anniversaries blanked out:
    what the attack is aimed at and struck with. `names_place` tells whether a stretch of
    text names a place, the claim's target before a motive that follows it."""
    chars = list(context)
    for start, sentence in sentences(context):
        if not MOTIVE.search(sentence):
            continue
        spans = motive_spans(sentence, _start(_claim_match(sentence)), names_place)
        for begin, end in spans:
            chars[start + begin : start + end] = " " * (end - begin)
    return "".join(chars)


def _start(match: re.Match[str] | None) -> int | None:
    return match.start() if match else None


def _claim_match(text: str) -> re.Match[str] | None:
    matches = [m for rule in _ARABIC_RULES if (m := rule.search(text))]
    matches += [m for m in [_EN_HEADLINE.search(text)] if m]
    matches += [
        m for m in _EN_SAID.finditer(text) if not _EN_BREAK.search(_sentence_before(text, m))
    ]
    for subject in _EN_SUBJECT_RE.finditer(text):
        match = _EN_RULE.match(text, subject.start())
        if match and _en_acts(match, text):
            matches.append(match)
            break
    return min(matches, key=lambda m: m.start(), default=None)


def _en_acts(match: re.Match[str], text: str) -> bool:
    """Subject and verb with nothing between them that hands the act to someone else, and
    a pronoun ("said it struck") that does not stand for the US military or the IDF."""
    gap = match.group("gap")
    if _EN_BREAK.search(gap):
        return False
    if _PRONOUN.fullmatch(match["subj"]) and _EN_BREAK.search(_sentence_before(text, match)):
        return False
    verb = match.group()[match.end("gap") - match.start() :]
    if not _EN_PRESENT.fullmatch(verb):
        return True
    # "targets" is a headline verb only right after the name, and never after another actor
    return bool(_EN_NAME_REST.fullmatch(gap)) and not _EN_BREAK.search(
        _sentence_before(text, match)
    )


def _sentence_before(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind(mark, 0, match.start()) for mark in ".;\n")
    return text[start + 1 : match.start()]
