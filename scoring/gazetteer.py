"""The places attack claims name, and how each spelling in a post resolves to one of them.

The groups use their own names ("أم الرشراش" for Eilat, "يافا" for Tel Aviv, "الخالصة" for
Kiryat Shmona), news channels use English ones, and analysts need one canonical English name
with coordinates and, inside Israel, the Home Front Command alert areas that would sound if
the attack happened. The list ships as `scoring/data/gazetteer.json`; alert area names are
copied exactly from the alert history's `data` column so they join with stored alerts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from claimwatch.errors import ConfigError
from scoring.arabic import normalize
from scoring.spans import longest_first
from storage.records import Target

PlaceKind = Literal["city", "site", "region", "vague"]
DEFAULT_PATH = Path(__file__).parent / "data" / "gazetteer.json"

# "central and northern Israel" names two areas: spelled out so each alias can match.
_DIRECTION_PAIRS = (
    (re.compile(r"(?<!\w)(وسط|شمال|جنوب)\s+و(وسط|شمال|جنوب)\s+"
                r"(اراضينا المحتله|الاراضي المحتله|فلسطين المحتله)"),
     r"\1 \3 و\2 \3"),
    (re.compile(r"(?<![a-z])(northern|southern|central)\s+and\s+(northern|southern|central)\s+israel"),
     r"\1 israel and \2 israel"),
)  # fmt: skip

# A place named only to locate another one ("near Erbil airport") is not a target.
_LOCATOR = re.compile(r"(?:بالقرب من|قرب|قريبا من|بمحاذاه|near|close to|outside)\s*$")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry; `kind == "vague"` marks a direction or a whole territory."""

    name: str
    name_ar: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision_km: float | None
    kind: PlaceKind
    aliases_ar: tuple[str, ...]
    aliases_en: tuple[str, ...]
    alert_areas: tuple[str, ...] = ()
    located_in: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    note: str | None = None

    @property
    def vague(self) -> bool:
        return self.kind == "vague"

    def to_target(self) -> Target:
        return Target(self.name, self.name_ar, self.country, self.lat, self.lon, self.alert_areas)


@dataclass(frozen=True)
class PlaceHit:
    """Where a place is named in normalised text."""

    place: Place
    start: int
    end: int
    text: str
    locator: bool = False


class Gazetteer:
    """Finds the places a normalised post names and resolves them to claim targets."""

    def __init__(self, places: list[Place], version: str = "") -> None:
        self.places = tuple(places)
        self.version = version
        self._by_name = {place.name: place for place in places}
        self._spellings = [spelling for place in places for spelling in _spellings(place)]

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Gazetteer:
        """Read a gazetteer file; a broken file is an error naming the file and the entry."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"gazetteer {path}: cannot be read: {exc}") from exc
        entries = data.get("places") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise ConfigError(f"gazetteer {path}: no 'places' list")
        places = [_place(entry, path, index) for index, entry in enumerate(entries)]
        return cls(places, str(data.get("version", "")))

    def get(self, name: str) -> Place | None:
        return self._by_name.get(name)

    def vocabulary(self) -> set[str]:
        """Normalised Arabic alias words, so words split to dodge filters can be rejoined."""
        return {
            word
            for place in self.places
            for alias in place.aliases_ar
            for word in normalize(alias).split()
        }

    def find(self, text: str) -> list[PlaceHit]:
        """Every place named in `text` (normalised), longest spelling first, in text order."""
        for pattern, replacement in _DIRECTION_PAIRS:
            text = pattern.sub(replacement, text)
        candidates: list[PlaceHit] = []
        folded = _RUNS.sub(r"\1", text)
        for spelling in self._spellings:
            haystack = folded if spelling.folded else text
            if spelling.key not in haystack or not spelling.may_match(text, folded):
                continue
            place = spelling.place
            for match in spelling.pattern.finditer(text):
                if _excluded(text, match.start(), place):
                    continue
                locator = bool(_LOCATOR.search(text[max(0, match.start() - 20) : match.start()]))
                candidates.append(
                    PlaceHit(place, match.start(), match.end(), match.group(), locator)
                )
        return longest_first(candidates)

    def resolve(self, hits: list[PlaceHit]) -> list[Place]:
        """The targets among `hits`: no locators, no city whose site is named, vague last."""
        named = [hit for hit in hits if not hit.locator] or hits
        places = list(dict.fromkeys(hit.place for hit in named))
        specific = [place for place in places if not place.vague]
        if not specific:
            return places
        parents = {parent for place in specific for parent in place.located_in}
        return [place for place in specific if place.name not in parents]


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()


@dataclass(frozen=True)
class _Spelling:
    """One alias of a place as a pattern, with text every match of it contains: `needs`
    in the text itself, `folded_needs` once each run of a Latin letter is written once
    (transliterations double letters at will). A text lacking any of them is not searched,
    which spares running every pattern over every post."""

    pattern: re.Pattern[str]
    place: Place
    needs: tuple[str, ...] = ()
    folded_needs: tuple[str, ...] = ()

    @cached_property
    def folded(self) -> bool:
        return bool(self.folded_needs)

    @cached_property
    def key(self) -> str:
        """The longest need, looked for first."""
        return max(self.needs or self.folded_needs or ("",), key=len)

    def may_match(self, text: str, folded: str) -> bool:
        return all(need in text for need in self.needs) and all(
            need in folded for need in self.folded_needs
        )


_RUNS = re.compile(r"([a-z])\1+")


def _spellings(place: Place) -> list[_Spelling]:
    arabic = [
        _Spelling(re.compile(_arabic_pattern(alias)), place, needs=_arabic_needs(alias))
        for alias in map(normalize, place.aliases_ar)
    ]
    english = [
        _Spelling(re.compile(_english_pattern(alias)), place, folded_needs=_english_needs(alias))
        for alias in (alias.lower() for alias in place.aliases_en)
    ]
    return arabic + english


def _arabic_needs(alias: str) -> tuple[str, ...]:
    """The alias's words, which `_arabic_pattern` matches letter for letter (the first
    without its article, which a clitic "ل" may swallow)."""
    words = alias.split()
    if alias.startswith("ال"):
        words[0] = words[0][2:]
    return tuple(word for word in words if word)


def _english_needs(alias: str) -> tuple[str, ...]:
    """Runs of Latin letters of the alias as `_english_pattern` matches them (each letter
    once or twice), folded: what any match contains once runs of a letter are folded."""
    if alias.startswith("al-") and len(alias) > 4:
        alias = alias[3:]
    letters = re.sub(r"([a-z])\1", r"\1", alias)
    parts = re.findall(r"[a-z]+", letters)
    return tuple(part for part in parts if len(part) > 1 and not _RUNS.search(part))


_BETWEEN = r"[\s\-\"'()]+"  # words of a name may be quoted apart: مطار "رامون"


def _arabic_pattern(alias: str) -> str:
    """An Arabic alias behind any clitics (و، ف، ب، ل، ك), "ال" + "ل" becoming "لل"."""
    body = _BETWEEN.join(re.escape(word) for word in alias.split())
    if alias.startswith("ال"):
        rest = _BETWEEN.join(re.escape(word) for word in alias[2:].split())
        return rf"(?<!\w)(?:(?:[وف]?[بك]?{body})|(?:[وف]?لل{rest}))(?!\w)"
    return rf"(?<!\w)[وف]?[بلك]?{body}(?!\w)"


# English names the site after the place, so the place may carry a gloss in brackets
# before the site's word: "Um al-Rashrash (Eilat) port", "Ramon (Eilat) airport".
_SITE_WORDS = frozenset(
    {"port", "airport", "air", "airbase", "base", "field", "terminal", "refinery", "facility"}
)
_GLOSS = r"(?:[\s\-\"']*\([^()\n]{1,30}\))?"


def _english_pattern(alias: str) -> str:
    """Transliterations vary: letters doubled or not ("Shadadi"), the article assimilated
    or missing ("ash-Shaddadi", "Tanf"); words may be quoted or bracketed apart ("(Eilat)
    port"), and a site's word may follow a bracketed gloss."""
    article = ""
    if alias.startswith("al-") and len(alias) > 4:
        alias, article = alias[3:], r"(?:(?:al|el|a[a-z]{1,2})[\s\-]+)?"
    first, *rest = re.split(r"[\s\-]+", alias)
    body = _english_word(first) + "".join(
        (_GLOSS if word in _SITE_WORDS else "") + _BETWEEN + _english_word(word) for word in rest
    )
    return r"(?<![a-z0-9])" + article + body + r"(?![a-z0-9])"


def _english_word(word: str) -> str:
    """Every letter may be written once or twice ("Asad"/"Assad", "Shaddadi"/"Shadadi")."""
    letters = re.sub(r"([a-z])\1", r"\1", word)
    return "".join(
        f"{c}{{1,2}}" if c.isalpha() else re.escape(c).replace("'", "'?") for c in letters
    )


def _excluded(text: str, start: int, place: Place) -> bool:
    before = text[max(0, start - 25) : start].rstrip(" -")
    return any(before.endswith(normalize(word)) for word in place.not_after)


def _place(entry: Any, path: Path, index: int) -> Place:
    if not isinstance(entry, dict) or not entry.get("name"):
        raise ConfigError(f"gazetteer {path}: entry {index} has no name")
    try:
        return Place(
            name=str(entry["name"]),
            name_ar=entry.get("name_ar"),
            country=entry.get("country"),
            lat=_coordinate(entry.get("lat"), -90, 90),
            lon=_coordinate(entry.get("lon"), -180, 180),
            precision_km=entry.get("precision_km"),
            kind=_kind(entry.get("kind", "site")),
            aliases_ar=tuple(entry.get("aliases_ar", ())),
            aliases_en=tuple(entry.get("aliases_en", ())),
            alert_areas=tuple(entry.get("alert_areas", ())),
            located_in=tuple(entry.get("located_in", ())),
            not_after=tuple(entry.get("not_after", ())),
            note=entry.get("note"),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"gazetteer {path}: entry {entry['name']!r}: {exc}") from exc


def _kind(value: Any) -> PlaceKind:
    if value not in ("city", "site", "region", "vague"):
        raise ValueError(f"kind {value!r} is not one of city, site, region, vague")
    return value


def _coordinate(value: Any, low: float, high: float) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not low <= number <= high:
        raise ValueError(f"coordinate {number} outside [{low}, {high}]")
    return number
