"""Which armed group a post speaks for, under the canonical English names analysts use.

Most claims are signed by the umbrella "Islamic Resistance in Iraq"; member groups (Kataib
Hezbollah, Harakat al-Nujaba, ...) relay them on their own channels and sometimes claim in
their own name, and joint operations name a partner. The claimant is the group standing next
to the claim's verb ("استهدف مجاهدو المقاومة الإسلامية في العراق"), not the first group named.
A bare "المقاومة الإسلامية" is left unresolved: Lebanese Hezbollah signs the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.spans import longest_first

IRI = "Islamic Resistance in Iraq"

# Canonical name -> normalised spellings; longer spellings win over the ones they contain.
GROUPS: dict[str, tuple[str, ...]] = {
    IRI: (
        "المقاومه الاسلاميه في العراق", "المقاومه الاسلاميه العراقيه", "مقاومه العراق الاسلاميه",
        "المقاومه العراقيه", "islamic resistance in iraq", "islamic resistance of iraq",
        "iraqi islamic resistance", "iraq's islamic resistance", "iraqi resistance", "iri",
    ),
    "Kataib Hezbollah": (
        "كتايب حزب الله", "kataib hezbollah", "kata'ib hezbollah", "kataib hizballah",
        "kataib hizbullah", "kata'ib hizballah",
    ),
    "Harakat al-Nujaba": (
        "حركه حزب الله النجباء", "حركه النجباء", "المقاومه الاسلاميه النجباء",
        "harakat hezbollah al-nujaba", "harakat al-nujaba", "nujaba movement", "al-nujaba",
        "nujaba",
    ),
    "Kataib Sayyid al-Shuhada": (
        "كتايب سيد الشهداء", "kataib sayyid al-shuhada", "kata'ib sayyid al-shuhada",
    ),
    "Asaib Ahl al-Haq": ("عصايب اهل الحق", "asaib ahl al-haq", "asa'ib ahl al-haq"),
    "Badr Organization": ("منظمه بدر", "badr organization", "badr organisation"),
    "Hezbollah": (
        "المقاومه الاسلاميه في لبنان", "حزب الله", "hezbollah", "hizbullah", "hizballah",
    ),
    "Houthis": (
        "القوات المسلحه اليمنيه", "انصار الله", "الحوثيين", "yemeni armed forces", "houthis",
        "houthi", "ansar allah", "ansarallah",
    ),
}  # fmt: skip

# "مجاهدو الحركة" / "مجاهدو الكتائب": a member group's own fighters.
_OWN_FIGHTERS = re.compile(r"مجاهد\w*\s+(الحركه|الكتايب)(?!\w)")
# A partner in a joint operation stands after "with"; it is not the claimant.
_PARTNER = re.compile(r"(?:بالاشتراك مع|بالتعاون مع|مع|together with|jointly with|with)\s*$")


# "مجاهدو المقاومة الإسلامية في العراق": the group follows the subject word closely.
_SUBJECT_REACH = 30


@dataclass(frozen=True)
class GroupHit:
    name: str
    start: int
    end: int


def _pattern(spelling: str) -> re.Pattern[str]:
    body = r"[\s\-]+".join(re.escape(word).replace("'", "'?") for word in spelling.split())
    if spelling.isascii():
        return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")
    return re.compile(rf"(?<!\w)[وفل]?{body}(?!\w)")


def _key(spelling: str) -> str:
    """The longest piece of the spelling every match of its pattern holds as written."""
    return max(re.split(r"[\s']", spelling), key=len)


_PATTERNS = [
    (name, _pattern(spelling), _key(spelling))
    for name, spellings in GROUPS.items()
    for spelling in spellings
]


def find_groups(text: str) -> list[GroupHit]:
    """Group mentions in normalised text, longest spelling first, in text order."""
    candidates = [
        GroupHit(name, match.start(), match.end())
        for name, pattern, key in _PATTERNS
        if key in text
        for match in pattern.finditer(text)
    ]
    return longest_first(candidates)


def claimant(text: str, hits: list[GroupHit], subject: int | None) -> GroupHit | None:
    """The group named where the claim's subject stands ("مجاهدو <group>"), else the one
    nearest it; a partner in a joint operation ranks last."""
    if not hits:
        return None
    if subject is None:
        return hits[0]
    at_subject = [
        hit for hit in hits if hit.end > subject and hit.start - subject <= _SUBJECT_REACH
    ]
    own = _OWN_FIGHTERS.match(text, subject)
    if own:  # "مجاهدو الحركة": the member group in the header, not the umbrella after it
        kind = "Harakat" if own.group(1) == "الحركه" else "Kataib"
        at_subject = [hit for hit in hits if hit.name.startswith(kind)] or at_subject
    if at_subject:
        return at_subject[0]

    def rank(hit: GroupHit) -> tuple[bool, int]:
        partner = bool(_PARTNER.search(text[max(0, hit.start - 20) : hit.start]))
        distance = hit.start - subject if hit.start >= subject else subject - hit.end
        return partner, distance

    return min(hits, key=rank)
