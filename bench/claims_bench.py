"""Field-level accuracy of claim extraction on the labelled set, next to a keyword baseline.

    python bench/claims_bench.py [--data tests/data/claims_eval.jsonl] [--misses]

The baseline is what a quick filter does: a post is a claim when it contains
"استهداف"/"استهدف"/"targeted", places are gazetteer spellings found verbatim, the weapon is
read from a keyword, the date is the post's own date in Iraq. Columns per split: `dev` was
labelled while the rules were written, `holdout` after they were frozen.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.dates import iraq_date  # noqa: E402
from scoring.evaluation import FIELDS, LabelledPost, Scores, evaluate, load  # noqa: E402
from scoring.extract import EXTRACTOR_VERSION, extract  # noqa: E402
from scoring.gazetteer import default_gazetteer  # noqa: E402
from storage.records import Extraction, Weapon, WeaponCategory  # noqa: E402

TARGETS = {"claim": 0.95, "target": 0.9, "weapon": 0.9, "date": 0.9}
_CLAIM_WORDS = ("استهداف", "استهدف", "targeted")
_GROUP_WORDS = {
    "المقاومة الإسلامية في العراق": "Islamic Resistance in Iraq",
    "Islamic Resistance in Iraq": "Islamic Resistance in Iraq",
    "كتائب حزب الله": "Kataib Hezbollah",
    "Kataib Hezbollah": "Kataib Hezbollah",
    "النجباء": "Harakat al-Nujaba",
    "كتائب سيد الشهداء": "Kataib Sayyid al-Shuhada",
    "Hezbollah": "Hezbollah",
}
_WEAPON_WORDS: tuple[tuple[tuple[str, ...], WeaponCategory], ...] = (
    (("مسير", "drone"), "drone"),
    (("كروز", "cruise"), "cruise_missile"),
    (("صاروخ", "صواريخ", "rocket", "missile"), "rocket"),
)


def keyword_baseline(text: str, posted_at: datetime) -> Extraction:
    lower = text.lower()
    if not any(word in lower for word in _CLAIM_WORDS):
        return Extraction(is_claim=False)
    group = next((name for word, name in _GROUP_WORDS.items() if word.lower() in lower), None)
    places = [
        place
        for place in default_gazetteer().places
        if any(alias.lower() in lower for alias in place.aliases_ar + place.aliases_en)
    ]
    weapons = [Weapon(cat) for words, cat in _WEAPON_WORDS if any(w in lower for w in words)]
    return Extraction(
        is_claim=True,
        group=group,
        targets=tuple(place.to_target() for place in places),
        weapons=tuple(weapons[:1]) or (Weapon("unspecified"),),
        claimed_date=iraq_date(posted_at),
        operations=1,
        vague_target=not places,
    )


def run(posts: list[LabelledPost], extractor: Callable[[str, datetime], Extraction]) -> Scores:
    return evaluate(posts, extractor)


def table(posts: list[LabelledPost]) -> tuple[str, dict[str, Scores]]:
    splits = sorted({post.split for post in posts})
    results = {"all": run(posts, extract), "baseline": run(posts, keyword_baseline)}
    for split in splits:
        results[split] = run([p for p in posts if p.split == split], extract)
    header = ["field", "extractor", *splits, "keyword baseline", "target", "met"]
    rows = [header]
    for name in FIELDS:
        score = results["all"].accuracy(name)
        target = TARGETS.get(name)
        met = "" if target is None or score is None else ("yes" if score >= target else "NO")
        rows.append(
            [
                name,
                _pct(score),
                *(_pct(results[s].accuracy(name)) for s in splits),
                _pct(results["baseline"].accuracy(name)),
                f">={target:.2f}" if target else "",
                met,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(lines), results


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _ms_per_post(posts: list[LabelledPost], passes: int = 5) -> float:
    """Median time of `passes` runs over every post, after one run that loads the patterns."""
    for post in posts:
        extract(post.text, post.posted_at)
    runs = []
    for _ in range(passes):
        started = time.perf_counter()
        for post in posts:
            extract(post.text, post.posted_at)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) / max(1, len(posts)) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "claims_eval.jsonl")
    parser.add_argument("--misses", action="store_true", help="list the ids each field got wrong")
    args = parser.parse_args()
    posts = load(args.data)
    claims = sum(bool(post.gold["is_claim"]) for post in posts)
    per_post_ms = _ms_per_post(posts)
    text, results = table(posts)
    print(f"claim extraction {EXTRACTOR_VERSION}: {len(posts)} posts ({claims} claims, "
          f"{len(posts) - claims} other), {per_post_ms:.1f} ms per post")  # fmt: skip
    print("fields other than `claim` are scored on the gold claims only\n")
    print(text)
    if args.misses:
        for name in FIELDS:
            if results["all"].misses[name]:
                print(f"{name}: {', '.join(results['all'].misses[name])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
