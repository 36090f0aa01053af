"""Turn one archived post into a structured attack claim: `extract(text, posted_at)`.

The pipeline: normalise the Arabic (`scoring.arabic`), rejoin words split to dodge filters,
decide whether the post claims an attack at all (`scoring.claimness`), then read the
claimant, targets, weapons, date and number of operations from the sentences that speak
about the attack (targets, weapons and the date leaving out the motive: "رداً على مجازر
العدو يوم ..."). Rules, not a trained model: every field carries the phrase it came from in
`Extraction.evidence`, so an analyst can see why, and a wrong rule can be fixed by anyone
who reads Arabic. The extractor never raises on text: hostile or garbage input yields a
non-claim.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from scoring.arabic import CORE_VOCABULARY, WordJoiner, arabic_ratio, normalize
from scoring.claimness import aimed_context, claim_context, judge
from scoring.dates import claimed_time
from scoring.gazetteer import Gazetteer, default_gazetteer
from scoring.groups import GROUPS, claimant, find_groups
from scoring.operations import count_operations
from scoring.weapons import find_weapons
from storage.records import Extraction, Target, Weapon

# Bump when a rule or the gazetteer changes what is extracted: stored claims are redone.
EXTRACTOR_VERSION = "rules-2024.11-10"
MAX_TEXT = 20_000  # a claim is a paragraph; longer posts are cut before matching


def extract(text: str, posted_at: datetime, gazetteer: Gazetteer | None = None) -> Extraction:
    """The claim in `text` posted at `posted_at` (aware, or naive UTC); never raises on text."""
    gazetteer = gazetteer or default_gazetteer()
    norm = prepare(text, gazetteer)
    language = "ar" if arabic_ratio(text[:MAX_TEXT]) >= 0.5 else "en"
    verdict = judge(norm)
    if not verdict.is_claim:
        return Extraction(is_claim=False, extractor=EXTRACTOR_VERSION, language=language)
    context = claim_context(norm)
    group = claimant(norm, find_groups(norm), verdict.subject)
    aimed = aimed_context(context, lambda text: bool(gazetteer.find(text)))
    places = gazetteer.resolve(gazetteer.find(aimed))
    weapons, weapon_phrases = find_weapons(aimed)
    when = claimed_time(aimed, posted_at)
    operations, operations_phrase = count_operations(context)
    evidence = (verdict.phrase, *weapon_phrases, *when.evidence, operations_phrase)
    return Extraction(
        is_claim=True,
        group=group.name if group else None,
        targets=tuple(place.to_target() for place in places),
        weapons=tuple(weapons) or (Weapon("unspecified"),),
        claimed_date=when.date,
        part_of_day=when.part_of_day,
        operations=operations,
        vague_target=all(place.vague for place in places),
        extractor=EXTRACTOR_VERSION,
        stated_weekday=when.stated_weekday,
        language=language,
        evidence=tuple(dict.fromkeys(phrase for phrase in evidence if phrase)),
    )


def prepare(text: str, gazetteer: Gazetteer) -> str:
    """Normalised text with split words rejoined: what every rule matches against."""
    return _joiner(gazetteer).join(normalize(text[:MAX_TEXT]))


def target_names(targets: tuple[Target, ...]) -> list[str]:
    return [target.name for target in targets]


@cache
def _joiner(gazetteer: Gazetteer) -> WordJoiner:
    group_words = {word for names in GROUPS.values() for name in names for word in name.split()}
    return WordJoiner(CORE_VOCABULARY | gazetteer.vocabulary() | group_words)
