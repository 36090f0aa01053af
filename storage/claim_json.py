"""Extractions and score factors as JSON documents, and back.

The claims and scores tables keep these structures in JSON columns; this module is the
one place that knows their shape, so records stay plain dataclasses everywhere else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from claimwatch.phrase import Field, Phrase
from storage.records import EvidenceRef, Extraction, Factor, Target, Weapon


def extraction_json(extraction: Extraction) -> dict[str, Any]:
    return {
        "is_claim": extraction.is_claim,
        "group": extraction.group,
        "targets": [
            {
                "name": t.name,
                "name_ar": t.name_ar,
                "country": t.country,
                "lat": t.lat,
                "lon": t.lon,
                "alert_areas": list(t.alert_areas),
            }
            for t in extraction.targets
        ],
        "weapons": [{"category": w.category, "system": w.system} for w in extraction.weapons],
        "claimed_date": extraction.claimed_date.isoformat() if extraction.claimed_date else None,
        "part_of_day": extraction.part_of_day,
        "operations": extraction.operations,
        "vague_target": extraction.vague_target,
        "extractor": extraction.extractor,
        "stated_weekday": extraction.stated_weekday,
        "language": extraction.language,
        "evidence": list(extraction.evidence),
    }


def extraction_record(data: dict[str, Any]) -> Extraction:
    claimed = data.get("claimed_date")
    return Extraction(
        is_claim=bool(data.get("is_claim")),
        group=data.get("group"),
        targets=tuple(
            Target(
                t["name"],
                t.get("name_ar"),
                t.get("country"),
                t.get("lat"),
                t.get("lon"),
                tuple(t.get("alert_areas") or ()),
            )
            for t in data.get("targets") or ()
        ),
        weapons=tuple(Weapon(w["category"], w.get("system")) for w in data.get("weapons") or ()),
        claimed_date=date.fromisoformat(claimed) if claimed else None,
        part_of_day=data.get("part_of_day"),
        operations=data.get("operations"),
        vague_target=bool(data.get("vague_target")),
        extractor=data.get("extractor") or "",
        stated_weekday=data.get("stated_weekday"),
        language=data.get("language"),
        evidence=tuple(data.get("evidence") or ()),
    )


def factors_json(factors: tuple[Factor, ...]) -> list[dict[str, Any]]:
    return [
        {
            "name": f.name,
            "direction": f.direction,
            "weight": f.weight,
            "explanation": phrase_json(f.explanation),
            "evidence": [
                {"kind": e.kind, "ref": e.ref, "label": phrase_json(e.label)} for e in f.evidence
            ],
        }
        for f in factors
    ]


def factors_record(data: list[dict[str, Any]]) -> tuple[Factor, ...]:
    return tuple(
        Factor(
            name=f["name"],
            direction=f["direction"],
            weight=float(f["weight"]),
            explanation=phrase_record(f["explanation"]),
            evidence=tuple(
                EvidenceRef(e["kind"], e["ref"], phrase_record(e["label"])) for e in f["evidence"]
            ),
        )
        for f in data
    )


def phrase_json(phrase: Phrase) -> list[str | dict[str, str]]:
    """Our words as strings, each field as {"field": its text}."""
    return [part if isinstance(part, str) else {"field": part.text} for part in phrase]


def phrase_record(data: str | list[str | dict[str, str]]) -> Phrase:
    """A phrase back. A plain string was stored before fields were kept apart (explanations
    before score-6, evidence labels before score-7): it comes back as one field, so it is
    still shown isolated as a whole until the claim is scored again."""
    if isinstance(data, str):
        return (Field(data),)
    return tuple(part if isinstance(part, str) else Field(part["field"]) for part in data)
