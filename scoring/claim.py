"""What the extractor reads out of a post; shared by extraction, scoring and display."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

WeaponCategory = Literal["drone", "cruise_missile", "ballistic_missile", "rocket", "unspecified"]


@dataclass(frozen=True)
class Target:
    """A place a claim names, resolved through the gazetteer."""

    name: str
    name_ar: str | None
    country: str | None
    lat: float | None
    lon: float | None
    alert_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weapon:
    category: WeaponCategory
    system: str | None = None


@dataclass(frozen=True)
class Extraction:
    """The structured claim in one post; `is_claim` is False for every other kind of post."""

    is_claim: bool
    group: str | None = None
    targets: tuple[Target, ...] = ()
    weapons: tuple[Weapon, ...] = ()
    claimed_date: date | None = None
    part_of_day: str | None = None
    operations: int | None = None
    vague_target: bool = False
    extractor: str = ""
