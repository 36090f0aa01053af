"""The weapons a claim says were used: a category, and the named system when one is given.

Claims name systems the groups brand themselves (the "Arqab" cruise missile, the "al-Arfad"
drone) and generic means ("بالطيران المسيّر", "برشقة صاروخية", "بالأسلحة المناسبة").
Arabic uses one word, صاروخ, for rockets and missiles: unqualified it is counted a rocket,
which is what the groups fired at US bases; a qualifier (كروز, بالستي, a system name)
makes it a missile. Named systems are matched first and their words masked, so
"صواريخ الأرقب" is one cruise missile system, not also a rocket.
"""

from __future__ import annotations

import re

from storage.records import Weapon, WeaponCategory

_PREFIX = r"(?:[وف]?[بلك]?(?:ال)?)"
_MISSILE_WORD = rf"(?:{_PREFIX}(?:صاروخ|صواريخ|صاروخين)\s+(?:من\s+نوع\s+)?\(?)"


def _ar(pattern: str) -> str:
    return rf"(?<!\w)(?:{pattern})(?!\w)"


def _en(pattern: str) -> str:
    return rf"(?<![a-z])(?:{pattern})(?![a-z])"


# (pattern, category, system), tried in order; each match masks its text for later patterns.
_RULES: tuple[tuple[str, WeaponCategory, str | None], ...] = (
    (_ar(rf"{_MISSILE_WORD}?(?:ال)?(?:ارقب|عرقب)") + "|"
     + _en(r"(?:al[\s\-])?arqab(?:\s*\(?cruise\)?)?(?:\s+missiles?)?"), "cruise_missile", "Arqab"),
    (_ar(r"(?:ال)?ارفد") + "|" + _en(r"(?:al[\s\-])?arfad(?:[\s\-]class)?(?:\s+drones?)?"),
     "drone", "al-Arfad"),
    (_ar(r"شاهد[\s\-]?(?:101|107|131|136|238)|(?:طاير\w*|مسير\w*)\s+(?:من\s+نوع\s+)?\(?شاهد")
     + "|" + _en(r"shahed(?:[\s\-]?\d+)?(?:\s+drones?)?"), "drone", "Shahed"),
    (_ar(rf"{_MISSILE_WORD}(?:ال)?قدس")
     + "|" + _en(r"quds[\s\-]?\d(?:\s+cruise)?(?:\s+missiles?)?"), "cruise_missile", "Quds"),
    (_ar(r"(?:صواريخ\s+)?كاتيوشا") + "|" + _en(r"katyusha(?:\s+rockets?)?"), "rocket", "Katyusha"),
    (_ar(r"(?:صواريخ\s+)?غراد") + "|" + _en(r"grad(?:\s+rockets?)?"), "rocket", "Grad"),
    (_ar(rf"{_MISSILE_WORD}?فاتح[\s\-]?110") + "|" + _en(r"fateh[\s\-]?110"),
     "ballistic_missile", "Fateh-110"),
    (_ar(rf"{_MISSILE_WORD}?(?:ال)?كروز|{_MISSILE_WORD}(?:ال)?مجنح\w*")
     + "|" + _en(r"\(?cruise\)?\s+missiles?|cruise"), "cruise_missile", None),
    (_ar(rf"{_MISSILE_WORD}?(?:ال)?بالي?ستي\w*") + "|" + _en(r"ballistic(?:\s+missiles?)?"),
     "ballistic_missile", None),
    (_ar(rf"{_PREFIX}طيران\s+(?:ال)?مسير|{_PREFIX}طاير\w*\s+(?:ال)?مسير\w*"
         rf"|{_PREFIX}مسير(?:ه|ات|تين|تان)|{_PREFIX}طاير\w*\s+(?:بدون|بلا|من\s+دون)\s+طيار"
         rf"|{_PREFIX}طاير\w*\s+ذات\s+قدرات|{_PREFIX}درون")
     + "|" + _en(r"drones?|uavs?|unmanned\s+aerial\s+vehicles?|one-way\s+attack|kamikaze"),
     "drone", None),
    (_ar(rf"{_PREFIX}(?:صاروخ|صواريخ|صاروخين|صاروخيه)|{_PREFIX}رشق\w*")
     + "|" + _en(r"rockets?|missiles?"), "rocket", None),
    (_ar(r"(?:بال|ب|ال)?اسلحه\s+(?:ال)?مناسبه") + "|" + _en(r"(?:appropriate|suitable)\s+weapons?"),
     "unspecified", None),
)  # fmt: skip

_COMPILED = [(re.compile(pattern), category, system) for pattern, category, system in _RULES]


def find_weapons(text: str) -> tuple[list[Weapon], list[str]]:
    """Weapons named in normalised text, in order of appearance, and the phrases that named them."""
    found: list[tuple[int, Weapon, str]] = []
    for pattern, category, system in _COMPILED:
        matches = list(pattern.finditer(text))
        for match in matches:
            found.append((match.start(), Weapon(category, system), match.group()))
        if matches:
            text = _masked(text, matches)
    found.sort(key=lambda item: item[0])
    weapons = _merge([weapon for _, weapon, _ in found])
    return weapons, [phrase.strip() for _, _, phrase in found]


def _masked(text: str, matches: list[re.Match[str]]) -> str:
    """`text` with each match blanked out, its length kept so later positions stay true."""
    pieces, end = [], 0
    for match in matches:
        pieces += [text[end : match.start()], " " * (match.end() - match.start())]
        end = match.end()
    return "".join(pieces) + text[end:]


def _merge(weapons: list[Weapon]) -> list[Weapon]:
    """One entry per weapon; a named system absorbs its bare category; 'unspecified' only alone."""
    named = {weapon.category for weapon in weapons if weapon.system}
    kept = [w for w in weapons if w.system or w.category not in named]
    if any(w.category != "unspecified" for w in kept):
        kept = [w for w in kept if w.category != "unspecified"]
    return list(dict.fromkeys(kept))
