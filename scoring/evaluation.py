"""Field-level accuracy of a claim extractor against hand-labelled posts.

The labelled set is JSON lines: `text`, `posted_at` (ISO 8601), `lang`, and `gold` with the
fields of an extraction (targets as canonical names, weapons as [category, system] pairs).
`is_claim` is scored on every post; the other fields on the posts that are claims in the
gold labels, so a missed claim also costs its fields. An analyst can label their own
channel's posts the same way and measure the extractor on them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from claimwatch.errors import InputError
from storage.records import Extraction

FIELDS = ("claim", "group", "target", "weapon", "date", "part_of_day", "operations", "vague")
Extractor = Callable[[str, datetime], Extraction]


@dataclass(frozen=True)
class LabelledPost:
    id: str
    text: str
    posted_at: datetime
    lang: str
    gold: dict[str, Any]
    split: str = "dev"


@dataclass
class Scores:
    """Per field: how many posts were scored and how many were right; the misses by id."""

    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in FIELDS})

    def accuracy(self, name: str) -> float | None:
        return self.right[name] / self.total[name] if self.total[name] else None


def load(path: Path) -> list[LabelledPost]:
    """Read a labelled set; a malformed line is an error naming the file and the line."""
    posts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            posted_at = datetime.fromisoformat(row["posted_at"].replace("Z", "+00:00"))
            ident = row.get("id", f"line-{number}")
            split = row.get("split", "dev")
            posts.append(
                LabelledPost(ident, row["text"], posted_at, row.get("lang", ""), row["gold"], split)
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{number}: not a labelled post: {exc}") from exc
    return posts


def evaluate(posts: Iterable[LabelledPost], extractor: Extractor) -> Scores:
    scores = Scores()
    for post in posts:
        for name, ok in compare(post.gold, extractor(post.text, post.posted_at)).items():
            scores.total[name] += 1
            scores.right[name] += ok
            if not ok:
                scores.misses[name].append(post.id)
    return scores


def compare(gold: dict[str, Any], got: Extraction) -> dict[str, bool]:
    """Which fields of `got` agree with `gold` (only `claim` when gold is not a claim)."""
    result = {"claim": got.is_claim == bool(gold["is_claim"])}
    if not gold["is_claim"]:
        return result
    claimed = date.fromisoformat(gold["claimed_date"]) if gold.get("claimed_date") else None
    return result | {
        "group": got.group == gold.get("group"),
        "target": sorted(t.name for t in got.targets) == sorted(gold.get("targets") or []),
        "weapon": _weapon_set(got) == {(w[0], w[1]) for w in gold.get("weapons") or []},
        "date": got.claimed_date == claimed,
        "part_of_day": got.part_of_day == gold.get("part_of_day"),
        "operations": got.operations == gold.get("operations"),
        "vague": got.vague_target == bool(gold.get("vague_target")),
    }


def _weapon_set(got: Extraction) -> set[tuple[str, str | None]]:
    return {(weapon.category, weapon.system) for weapon in got.weapons}
