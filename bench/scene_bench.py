"""Same-scene search at scale: every pair of footage groups, or only the most alike.

    python bench/scene_bench.py                  # the corpus, then up to 2,000 other launches
    python bench/scene_bench.py --others 500

First, on the recycled-footage corpus (as `media scan` groups it), the same-scene search
runs twice: checking every pair of footage groups (what a folder under
`media.scene_max_pairs` gets), and checking each group only against the
`media.scene_candidates` groups whose visual words are most alike (what a larger folder
gets). Both print the second angles found, the false leads between footage of two
different sites, the pairs checked and the CPU.

Then the corpus's second angles are hidden among more and more other launches (same
branding, a fifth at night, drawn in memory at 5 frames/s: only their features are
needed) and the bench counts how many angles still have their launch among the groups
they are checked against, what choosing costs, and how many pairs are left to check.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import FULL, Item, build  # noqa: E402
from bench.parallel import cpu_seconds  # noqa: E402
from bench.truth import judge  # noqa: E402
from config.settings import MediaSettings  # noqa: E402
from media.camera import CameraCheck  # noqa: E402
from media.camera_groups import split_cameras  # noqa: E402
from media.fingerprint import VideoFingerprint, fingerprint_files  # noqa: E402
from media.frames import WIDTH  # noqa: E402
from media.leads import SceneSearch  # noqa: E402
from media.matcher import Matcher  # noqa: E402
from media.scene import PICKS, describe, features, pick_times  # noqa: E402
from media.scene_words import Descriptors, alike_pairs  # noqa: E402
from media.synthetic import INTRO_S, ClipSpec, frames  # noqa: E402

OTHERS_SEED = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--others", type=int, default=2000, help="other launches at most")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "results" / "corpus")
    args = parser.parse_args()
    settings = MediaSettings()
    items = build(args.cache / "full", FULL, log=False)
    paths = {i.name: i.path(args.cache / "full") for i in items}
    print(f"## Same-scene search ({len(items)} corpus files)\n", flush=True)
    prints = corpus_search(items, paths, settings)
    scale(items, paths, prints, settings, args.others)


def corpus_search(
    items: list[Item], paths: dict[str, Path], settings: MediaSettings
) -> dict[str, VideoFingerprint]:
    outcomes = fingerprint_files(list(paths.values()), settings, 2)
    prints = {n: f for n, f in zip(paths, outcomes, strict=True) if isinstance(f, VideoFingerprint)}
    matcher = Matcher(settings)
    matcher.add_many(list(prints.items()))
    copies = split_cameras(matcher.all_pairs(workers=2), CameraCheck(paths.__getitem__), 2)
    truth = judge(items)
    angles = {frozenset(p) for p in truth.second_angles}
    other_site = {frozenset(p) for p in truth.other_site}
    print("| search | second angles found | false leads (two sites) | pairs checked | CPU s |")
    print("|---|---|---|---|---|")
    for label, limit in (("every pair", settings.scene_max_pairs), ("most alike only", 0)):
        search = SceneSearch(matcher, paths.__getitem__, replace(settings, scene_max_pairs=limit))
        started = cpu_seconds()
        found = [*copies, *search.leads(copies, list(prints))]  # with cameras split off copies
        leads = {frozenset((m.a, m.b)) for m in found if m.kind == "same_scene"}
        cpu = cpu_seconds() - started
        checked = f"{search.checked:,} of {search.checked + search.skipped:,}"
        print(
            f"| {label} | {len(leads & angles)} / {len(angles)} | "
            f"{len(leads & other_site)} / {len(other_site):,} | {checked} | {cpu:.1f} |",
            flush=True,
        )
    return prints


def scale(
    items: list[Item],
    paths: dict[str, Path],
    prints: dict[str, VideoFingerprint],
    settings: MediaSettings,
    most: int,
) -> None:
    """Rank the angles' launches among ever more other launches."""

    def described(name: str) -> list[Descriptors]:
        return list(features(paths[name], pick_times(prints[name])).descriptors)

    groups: list[list[Descriptors]] = []
    source_at: dict[str, int] = {}
    angles: list[tuple[int, str]] = []
    for item in items:
        if item.role == "source":  # a launch and one re-upload: the group's first probes
            source_at[item.event] = len(groups)
            groups.append(described(item.name) + described(f"copy-{item.name[7:]}-reencode_low"))
        elif item.role in ("negative", "filler"):
            groups.append(described(item.name))
        elif item.role == "second_angle":
            angles.append((len(groups), item.event))
            groups.append(described(item.name))
    sizes = sorted({n for n in (0, 250, 1000, most) if n <= most})
    with ProcessPoolExecutor(2) as pool:
        others = list(pool.map(other_launch, range(OTHERS_SEED, OTHERS_SEED + most), chunksize=8))
    k = settings.scene_candidates
    print(f"\nSecond angles among other launches ({k} most alike groups checked per group)\n")
    print("| groups | angles with their launch among those checked | choosing, CPU s |", end="")
    print(" pairs to check |")
    print("|---|---|---|---|")
    for size in sizes:
        pool_groups = groups + others[:size]
        started = cpu_seconds()
        chosen = alike_pairs(pool_groups, k)
        cpu = cpu_seconds() - started
        found = sum((min(a, source_at[e]), max(a, source_at[e])) in chosen for a, e in angles)
        total = len(pool_groups) * (len(pool_groups) - 1) // 2
        print(
            f"| {len(pool_groups):,} | {found} / {len(angles)} | {cpu:.1f} | "
            f"{len(chosen):,} of {total:,} ({100 * len(chosen) / total:.1f}%) |",
            flush=True,
        )


def other_launch(seed: int) -> list[Descriptors]:
    """Features of another launch of the same channel, drawn at 5 frames/s."""
    spec = ClipSpec(seed, duration_s=6.0, width=640, height=360, fps=5, night=seed % 5 == 0)
    shown = INTRO_S + (spec.duration_s - INTRO_S) * np.asarray(PICKS)
    wanted = {round(float(t) * spec.fps) for t in shown}
    picked = []
    for number, frame in enumerate(frames(spec)):
        if number in wanted:
            grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            height = round(grey.shape[0] * WIDTH / grey.shape[1])
            small = cv2.resize(grey, (WIDTH, height), interpolation=cv2.INTER_AREA)
            picked.append((number / spec.fps, np.asarray(small, np.uint8)))
    return list(describe(picked).descriptors)


if __name__ == "__main__":
    main()
