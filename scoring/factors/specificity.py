"""Specificity factors: a named target with coordinates, and whether the weapon reaches it.

Ranges are typical maxima per weapon category (config), measured from the nearest
launch origin (western Iraq by default). Targets in Iraq itself are not range-checked:
such attacks are launched from nearby.
"""

from __future__ import annotations

import math

from claimwatch.phrase import Field, fields
from config.settings import ScoringSettings
from scoring.case import ClaimCase, Signal
from storage.records import Target

IRAQ = frozenset({"iraq", "iq", "irq", "العراق"})
EARTH_RADIUS_KM = 6371.0


def signals(case: ClaimCase, settings: ScoringSettings) -> list[Signal]:
    extraction = case.claim.extraction
    placed = [t for t in extraction.targets if t.lat is not None and t.lon is not None]
    if extraction.vague_target or not placed:
        names = fields(t.name for t in extraction.targets)
        why = ("The target is vague (", *names, ").") if names else ("The claim names no place.",)
        return [Signal("target_vague", 1.0, why)]
    names = fields(t.name for t in placed)
    found = [Signal("target_named", 1.0, ("Names the target with a known location: ", *names, "."))]
    found.extend(_range(case, placed, settings))
    return found


def _range(case: ClaimCase, targets: list[Target], settings: ScoringSettings) -> list[Signal]:
    ranges: dict[str, float] = {}
    for weapon in case.claim.extraction.weapons:
        km = _range_km(weapon.category, settings)
        if km is not None:
            ranges[weapon.category] = km
    far = [t for t in targets if (t.country or "").strip().lower() not in IRAQ]
    if not ranges or not far:
        return []
    target = max(far, key=lambda t: _nearest(t, settings)[1])
    origin, distance = _nearest(target, settings)
    category, reach = max(ranges.items(), key=lambda item: item[1])
    shown = category.replace("_", " ")
    where = (Field(target.name), f" is {distance:.0f} km from ", Field(origin))
    if distance <= reach:
        text = (*where, f", within a {shown}'s typical {reach:.0f} km.")
        return [Signal("range_ok", 1.0, text)]
    excess = min((distance - reach) / reach, 2.0)
    text = (*where, f", beyond a {shown}'s typical {reach:.0f} km.")
    return [Signal("range_excess", round(excess, 2), text)]


def _range_km(category: str, settings: ScoringSettings) -> float | None:
    return {
        "drone": settings.drone_range_km,
        "cruise_missile": settings.cruise_missile_range_km,
        "ballistic_missile": settings.ballistic_missile_range_km,
        "rocket": settings.rocket_range_km,
    }.get(category)


def _nearest(target: Target, settings: ScoringSettings) -> tuple[str, float]:
    """The launch origin nearest to the target and its distance in km."""
    lat, lon = target.lat or 0.0, target.lon or 0.0  # only placed targets come here
    return min(
        ((o.name, distance_km(o.lat, o.lon, lat, lon)) for o in settings.origins),
        key=lambda pair: pair[1],
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
