"""The benchmark corpus: launch clips of one channel, their re-uploads and hard negatives.

Everything is drawn by media.synthetic from fixed seeds (no downloads) and cached: a
second run reuses the files. Every item knows which launch ("event") it shows, so the
truth for any pair of files is known:

* source        an original launch clip (channel intro, corner logo)
* copy          a source re-uploaded under one edit family
* compilation   ~6 s of a source inside ~30 s of unrelated footage
* negative      another launch with the same branding (other place, night, or the
                same site as a source): must never be called a copy
* second_angle  the same launch as a source, filmed by another camera: a same_scene lead,
                never a copy
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from media.synthetic import FAMILIES, ClipSpec, compilation, render_clip, second_angle, transform

VERSION = 1  # bump when the corpus recipe changes, so stale caches are rebuilt


@dataclass(frozen=True)
class Item:
    name: str
    role: str  # source | copy | compilation | negative | second_angle | filler
    event: str  # which launch it shows; pairs of different events are negatives
    family: str = ""  # the edit family of a copy ("compilation" for a compilation)
    source: str = ""  # the source item a copy, compilation or second angle derives from
    night: bool = False
    note: str = ""

    def path(self, root: Path) -> Path:
        return root / f"{self.name}.mp4"


@dataclass(frozen=True)
class Recipe:
    """How big the corpus is: `quick` is the smoke-test size."""

    sources: int
    night_sources: int
    negatives: int
    night_negatives: int
    same_site: int
    compilations: int
    sizes: tuple[tuple[int, int], ...]
    durations: tuple[float, float]
    fps: int = 25


FULL = Recipe(10, 2, 4, 3, 2, 3, ((960, 540), (960, 540), (1280, 720)), (8.0, 16.0))
QUICK = Recipe(3, 1, 2, 1, 1, 1, ((640, 360),), (8.0, 9.0))


@dataclass(frozen=True)
class Job:
    kind: str  # render | transform | compilation
    out: str
    spec: ClipSpec | None = None
    src: str = ""
    family: str = ""
    seed: int = 0
    fillers: tuple[str, ...] = ()


def _spec(recipe: Recipe, seed: int, **changes: object) -> ClipSpec:
    width, height = recipe.sizes[seed % len(recipe.sizes)]
    lo, hi = recipe.durations
    duration = lo + (hi - lo) * ((seed * 7919) % 100) / 100.0
    spec = ClipSpec(seed, duration_s=round(duration, 2), width=width, height=height, fps=recipe.fps)
    return replace(spec, **changes)  # type: ignore[arg-type]


Plan = tuple[list[Item], list[Job], list[Job]]  # items, renders, edits of renders


def plan(recipe: Recipe) -> Plan:
    """Items and the jobs that draw them: first stage renders, second stage edits."""
    out: Plan = ([], [], [])
    for k in range(recipe.sources):
        _source(out, recipe, k, night=k >= recipe.sources - recipe.night_sources)
    for k in range(recipe.negatives + recipe.night_negatives):
        night = k >= recipe.negatives
        note = "night launch, same branding" if night else "other launch, same branding"
        _render(
            out,
            Item(f"negative-{k:02d}", "negative", f"other-{k}", night=night, note=note),
            _spec(recipe, 2000 + k, night=night),
        )
    for k in range(recipe.same_site):
        site = _spec(recipe, 1000 + k).site_seed
        item = Item(
            f"same-site-{k:02d}", "negative", f"site-{k}", note=f"same site as source-{k:02d}"
        )
        _render(out, item, _spec(recipe, 3000 + k, site=site))
    for k in range(recipe.compilations):
        _compilation(out, recipe, k)
    return out


def _compilation(out: Plan, recipe: Recipe, k: int) -> None:
    """Source k inside other footage; each compilation has fillers of its own, so two
    compilations share no footage and are a true negative pair."""
    fillers = []
    for j in range(2):
        seed = 4000 + 10 * k + j
        item = Item(f"filler-{k:02d}-{j}", "filler", f"filler-{k}-{j}", note="compilation filler")
        _render(out, item, _spec(recipe, seed, intro=False, logo=j == 0, channel=9))
        fillers.append(item.name)
    embedded = f"source-{k:02d}"
    comp = Item(f"compilation-{k:02d}", "compilation", f"launch-{k}", "compilation", embedded)
    out[0].append(comp)
    out[2].append(Job("compilation", comp.name, src=embedded, seed=k, fillers=tuple(fillers)))


def _render(out: Plan, item: Item, spec: ClipSpec) -> None:
    out[0].append(item)
    out[1].append(Job("render", item.name, spec))


def _source(out: Plan, recipe: Recipe, k: int, night: bool) -> None:
    """A source launch, its re-upload under every family, and its second camera angle."""
    spec = _spec(recipe, 1000 + k, night=night)
    src = Item(f"source-{k:02d}", "source", f"launch-{k}", night=night)
    _render(out, src, spec)
    for family in FAMILIES:
        copy = Item(f"copy-{k:02d}-{family}", "copy", src.event, family, src.name, night)
        out[0].append(copy)
        out[2].append(Job("transform", copy.name, src=src.name, family=family, seed=k))
    angle = Item(f"angle-{k:02d}", "second_angle", src.event, "", src.name, night)
    _render(out, angle, second_angle(spec))


def _run(job: Job, root: Path) -> str:
    tmp = root / f"{job.out}.partial.mp4"
    if job.kind == "render" and job.spec is not None:
        render_clip(tmp, job.spec)
    elif job.kind == "transform":
        transform(root / f"{job.src}.mp4", tmp, job.family, job.seed)
    else:
        paths = [root / f"{job.src}.mp4", *(root / f"{f}.mp4" for f in job.fillers)]
        compilation(paths, tmp, seed=job.seed)
    tmp.replace(root / f"{job.out}.mp4")
    return job.out


def job_keys(renders: list[Job], edits: list[Job]) -> dict[str, str]:
    """What each file was drawn from; an edit's key includes the keys of its inputs."""
    keys = {j.out: f"v{VERSION} {j!r}" for j in renders}
    for j in edits:
        inputs = " ".join(keys[n] for n in (j.src, *j.fillers))
        keys[j.out] = f"v{VERSION} {j!r} <- {inputs}"
    return keys


def build(root: Path, recipe: Recipe, workers: int = 2, log: bool = True) -> list[Item]:
    """Draw every missing or outdated file of the corpus into `root`; return the items."""
    root.mkdir(parents=True, exist_ok=True)
    manifest = root / "corpus.json"
    drawn = json.loads(manifest.read_text()).get("jobs", {}) if manifest.exists() else {}
    items, renders, edits = plan(recipe)
    keys = job_keys(renders, edits)
    for stage in (renders, edits):
        todo = [
            j
            for j in stage
            if drawn.get(j.out) != keys[j.out] or not (root / f"{j.out}.mp4").exists()
        ]
        if log and todo:
            print(f"  drawing {len(todo)} corpus files into {root} ...", flush=True)
        with ProcessPoolExecutor(workers) as pool:
            for name in pool.map(_run, todo, [root] * len(todo)):
                drawn[name] = keys[name]
                manifest.write_text(json.dumps({"jobs": drawn}, indent=1))
    manifest.write_text(json.dumps({"jobs": drawn, "items": [asdict(i) for i in items]}, indent=1))
    return items
