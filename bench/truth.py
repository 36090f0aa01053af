"""Which pairs of corpus files are judged, and what the right answer is for each.

* positive      a source and one of its re-uploads or compilations: must be a copy
* negative      two files showing different launches (the same branding throughout):
                must never be a copy; a same-site pair is a negative too
* second_angle  a source and the other camera's clip of its launch: a same_scene lead,
                never a copy
* other_site    a negative pair filmed at different sites: a same_scene lead there is
                false (a launch at a source's site shares the scene with the source, its
                copies and its second angle, so those leads are right)
Two re-uploads of the same source are not judged: any answer is defensible.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from bench.corpus import Item

Pair = tuple[str, str]


@dataclass(frozen=True)
class Truth:
    positives: dict[Pair, str]  # pair -> edit family
    negatives: list[Pair]
    second_angles: list[Pair]
    same_site: list[Pair]
    other_site: list[Pair]

    @property
    def pairs(self) -> list[Pair]:
        return [*self.positives, *self.negatives, *self.second_angles]

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys(self.positives.values()))


def judge(items: list[Item]) -> Truth:
    judged = [i for i in items if i.role != "filler"]
    positives = {(i.source, i.name): i.family for i in judged if i.role in ("copy", "compilation")}
    angles = [(i.source, i.name) for i in judged if i.role == "second_angle"]
    negatives = [(a.name, b.name) for a, b in combinations(judged, 2) if a.event != b.event]
    sources = {i.name for i in judged if i.role == "source"}
    site = [
        (f"source-{i.note.rsplit('-', 1)[1]}", i.name)
        for i in judged
        if i.note.startswith("same site as") and f"source-{i.note.rsplit('-', 1)[1]}" in sources
    ]
    place = {i.name: i.event for i in judged}
    place.update({b: place[a] for a, b in site})
    other = [(a, b) for a, b in negatives if place[a] != place[b]]
    return Truth(positives, negatives, angles, site, other)
