"""Claims and scores as plain JSON-ready dicts, the same for the CLI, the API and the digest.

A factor's explanation, and each of its evidence labels, is one string there, each name in
it from a channel or an analyst isolated: JSON readers get a sentence, not parts, that
still cannot be reordered.
"""

from __future__ import annotations

from typing import Any

from claimwatch.display import isolated
from claimwatch.phrase import Phrase, told
from scoring.model import top_reasons
from storage.claim_json import extraction_json
from storage.records import Extraction, Factor, Score, StoredClaim


def claim_dict(claim: StoredClaim, with_text: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": claim.id,
        "post_id": claim.post_id,
        "platform": claim.platform,
        "channel": claim.channel,
        "group": claim.group,
        "posted_at": claim.posted_at.isoformat(),
        "extraction": extraction_json(claim.extraction),
        "score": score_dict(claim.score) if claim.score else None,
    }
    if with_text:
        data["text"] = claim.text
    return data


def score_dict(score: Score, with_inputs: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "value": score.value,
        "label": score.label,
        "model_version": score.model_version,
        "computed_at": score.computed_at.isoformat() if score.computed_at else None,
        "factors": [factor_dict(f) for f in score.factors],
        "top_reasons": [sentence(f.explanation) for f in top_reasons(score)],
    }
    if with_inputs:
        data["inputs"] = score.inputs
    return data


def factor_dict(factor: Factor) -> dict[str, Any]:
    return {
        "name": factor.name,
        "direction": factor.direction,
        "weight": factor.weight,
        "explanation": sentence(factor.explanation),
        "evidence": [
            {"kind": e.kind, "ref": e.ref, "label": sentence(e.label)} for e in factor.evidence
        ],
    }


def sentence(phrase: Phrase) -> str:
    """A factor's explanation or evidence label as one string, each field isolated (FSI ...
    PDI) and contained, so a JSON reader that shows it cannot have the words after a name
    reordered."""
    return told(phrase, isolated)


def target_names(extraction: Extraction) -> str:
    return ", ".join(t.name for t in extraction.targets) or "(no target named)"


def part_of_day_words(part: str) -> str:
    """A part of day as analysts read it: "early_hours" is "early hours"."""
    return part.replace("_", " ")
