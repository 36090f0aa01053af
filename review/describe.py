"""An extracted claim told in one line of English, for analysts who do not read Arabic.

The line is built from fields the extractor read from a post or took from the gazetteer:
the group, weapon systems, places, their countries. Each comes as a `Field`, so whoever
shows the line can isolate it (<bdi> on the review page, FSI ... PDI in plain text): a
right-to-left name or a bidi override in one field then cannot reorder the rest.
"""

from __future__ import annotations

from claimwatch.phrase import Field, Part, Phrase, joined
from scoring.present import part_of_day_words
from storage.records import Extraction

WEAPON_WORDS = {
    "drone": "drone",
    "cruise_missile": "cruise missile",
    "ballistic_missile": "ballistic missile",
    "rocket": "rocket",
    "unspecified": "unspecified weapon",
}


Summary = Phrase


def describe(extraction: Extraction) -> Summary:
    """One line, e.g. "Kataib Hezbollah claims a drone attack on Eilat (Israel), 2024-05-01"."""
    if not extraction.is_claim:
        return ("Not an attack claim.",)
    who: Part = Field(extraction.group) if extraction.group else "An unnamed group"
    parts: list[Part] = [who, " claims ", *_attack(extraction)]
    if extraction.claimed_date:
        parts += [", ", extraction.claimed_date.isoformat()]
    if extraction.part_of_day:
        parts += [", ", Field(part_of_day_words(extraction.part_of_day))]
    if extraction.operations and extraction.operations > 1:
        parts.append(f", {extraction.operations} operations")
    return tuple(parts)


def _attack(extraction: Extraction) -> list[Part]:
    weapons = [
        Field(w.system) if w.system else WEAPON_WORDS.get(w.category, w.category)
        for w in extraction.weapons
    ]
    what: list[Part] = ["an attack"]
    if weapons:
        what = [_article(weapons[0]) + " ", *joined([[w] for w in weapons]), " attack"]
    if not extraction.targets:
        return [*what, " on an unnamed target"]
    places = joined(
        [Field(t.name), " (", Field(t.country), ")"] if t.country else [Field(t.name)]
        for t in extraction.targets
    )
    vague = [" (vague)"] if extraction.vague_target else []
    return [*what, " on ", *places, *vague]


def _article(word: Part) -> str:
    text = word if isinstance(word, str) else word.text
    return "an" if text[:1].lower() in "aeiou" else "a"
