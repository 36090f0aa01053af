"""A claim scored for real whose explanations name things that reorder a line unless each
is isolated: a channel handle holding a right-to-left override, Arabic place names listed
one after another or followed by a distance, and an analyst with an Arabic name followed by
a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import config
from scoring import decisions
from scoring.pipeline import rescore
from storage import Store
from storage.records import Batch, Channel, Extraction, Post, Target, Verdict, Weapon

HANDLE = "over\u202eride"
PLACE, OTHER_PLACE = "إيلات", "حيفا"
REVIEWER = "زينب"
NOTE = "seen\u202e from a rooftop"


@dataclass(frozen=True)
class Explained:
    claim_id: int
    # The words each factor's explanation shows, in reading order.
    words: dict[str, list[str]]


def explained_claim(store: Store, settings: config.Settings, posted_at: datetime) -> Explained:
    """A drone claim on two Arabic-named targets, corroborated by an analyst, scored: its
    strongest reasons are the analyst's evidence and the named targets."""
    post = Post("telegram", HANDLE, 1, posted_at, "بيان", "tg-export")
    store.archive.ingest(Batch(Channel("telegram", HANDLE), (post,)))
    stored = store.archive.find("telegram", HANDLE, 1)
    assert stored is not None
    targets = (
        Target(PLACE, None, "Israel", 29.55, 34.95),
        Target(OTHER_PLACE, None, "Israel", 32.79, 34.99),
    )
    extraction = Extraction(True, None, targets, (Weapon("drone"),), extractor="test")
    claim_id = store.claims.save(stored.id, extraction)
    at = posted_at + timedelta(hours=1)
    store.verdicts.add(Verdict("claim", claim_id, REVIEWER, decisions.CORROBORATED, NOTE, at))
    rescore(store, settings, [claim_id])
    day = f"{at:%Y-%m-%d}"
    return Explained(
        claim_id,
        {
            "target_named": ["Names the target with a known location:", PLACE, OTHER_PLACE],
            "range_ok": [PLACE, "km from", "al-Rutba", "within a drone's typical", "1200 km"],
            "analyst_corroborated": [REVIEWER, "recorded corroborating evidence on", day],
            "track_record": ["over", "has no reviewed", "or corroborated claims yet"],
        },
    )
