"""An extracted claim told in one line of English, for analysts who do not read Arabic."""

from __future__ import annotations

from storage.records import Extraction

WEAPON_WORDS = {
    "drone": "drone",
    "cruise_missile": "cruise missile",
    "ballistic_missile": "ballistic missile",
    "rocket": "rocket",
    "unspecified": "unspecified weapon",
}


def describe(extraction: Extraction) -> str:
    """One line, e.g. "Kataib Hezbollah claims a drone attack on Eilat (Israel), 2024-05-01"."""
    if not extraction.is_claim:
        return "Not an attack claim."
    who = extraction.group or "An unnamed group"
    parts = [f"{who} claims {_attack(extraction)}"]
    if extraction.claimed_date:
        parts.append(extraction.claimed_date.isoformat())
    if extraction.part_of_day:
        parts.append(extraction.part_of_day)
    if extraction.operations and extraction.operations > 1:
        parts.append(f"{extraction.operations} operations")
    return ", ".join(parts)


def _attack(extraction: Extraction) -> str:
    weapons = [w.system or WEAPON_WORDS.get(w.category, w.category) for w in extraction.weapons]
    what = f"{_article(weapons[0])} {' and '.join(weapons)} attack" if weapons else "an attack"
    if not extraction.targets:
        return f"{what} on an unnamed target"
    places = " and ".join(
        f"{t.name} ({t.country})" if t.country else t.name for t in extraction.targets
    )
    vague = " (vague)" if extraction.vague_target else ""
    return f"{what} on {places}{vague}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
