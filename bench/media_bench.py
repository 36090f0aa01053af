"""Recycled-footage benchmark: claimwatch's matcher against what analysts use otherwise.

    python bench/media_bench.py            # full corpus (540p-720p), ~15 minutes on 2 cores
    python bench/media_bench.py --quick    # small smoke corpus, ~2 minutes

Draws (or reuses) a synthetic corpus of one channel's launch clips, their re-uploads
under every edit family, compilations, hard negatives and second camera angles; runs
claimwatch and the baselines on the same files; prints a Markdown table (recall per
family at zero false matches, false matches, CPU per minute of video, same-scene leads)
and an index micro-benchmark, and writes everything as JSON to bench/results/.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.baselines import BASELINES, Method  # noqa: E402
from bench.claimwatch_side import claimwatch_index, run_claimwatch  # noqa: E402
from bench.corpus import FULL, QUICK, build  # noqa: E402
from bench.decode_floor import decode_floor, decode_markdown  # noqa: E402
from bench.index_bench import ARCHIVED, RADIUS, brute_force, make_archive  # noqa: E402
from bench.report import Row, from_scores, index_markdown, markdown  # noqa: E402
from bench.truth import Truth, judge  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def minutes_of(paths: dict[str, Path]) -> float:
    total = 0.0
    for path in paths.values():
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            if stream.duration is not None and stream.time_base is not None:
                total += float(stream.duration * stream.time_base)
    return total / 60.0


def index_figures(archived: int) -> dict[str, dict[str, float]]:
    """claimwatch's index and the numpy scan on the same archive and query."""
    archive = make_archive(archived)
    figures = claimwatch_index(archive)
    radius = int(next(iter(figures.values()))["radius"]) if figures else RADIUS
    figures["numpy brute force (XOR + popcount)"] = brute_force(archive, radius)
    return figures


PARTS = ("claimwatch", *BASELINES, "index", "decode")


def baseline_row(method: Method, truth: Truth, minutes: float) -> Row:
    """A baseline's row at its best zero-false-match threshold."""
    ok = not method.error
    row = Row(
        method.name,
        method.label,
        error=method.error,
        cpu_ms_per_min=method.cpu_s * 1000 / minutes if ok else None,
        match_cpu_ms_per_min=method.match_cpu_s * 1000 / minutes if ok else None,
    )
    return from_scores(row, method.settings, truth) if method.settings else row


def measure(
    paths: dict[str, Path], truth: Truth, parts: list[str]
) -> tuple[list[Row], dict, dict[str, float]]:
    """Every requested method's row, the index figures and the decoding floor."""
    minutes = minutes_of(paths)
    log(f"  {len(paths)} files, {minutes:.1f} minutes of video, {len(truth.pairs)} judged pairs")
    rows = []
    if "claimwatch" in parts:
        log("claimwatch (media.scan.scan_paths) ...")
        rows.append(run_claimwatch(paths, truth, minutes))
    for name, run in BASELINES.items():
        if name in parts:
            log(f"baseline {name} ...")
            rows.append(baseline_row(run(paths, truth.pairs), truth, minutes))
    index = {}
    if "index" in parts:
        log("index micro-benchmark ...")
        index = index_figures(ARCHIVED)
    floor = {}
    if "decode" in parts:
        log("decoding alone ...")
        floor = decode_floor(paths, minutes)
    return rows, index, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small smoke corpus")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "results" / "corpus")
    parser.add_argument("--workers", type=int, default=2, help="processes drawing the corpus")
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts to run: {','.join(PARTS)}")
    args = parser.parse_args()
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    if unknown := [p for p in parts if p not in PARTS]:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    mode = "quick" if args.quick else "full"
    started = time.time()
    log(f"media benchmark ({mode}): corpus")
    root = args.cache / mode
    items = build(root, QUICK if args.quick else FULL, args.workers)
    truth = judge(items)
    paths = {i.name: i.path(root) for i in items if i.role != "filler"}
    rows, index, floor = measure(paths, truth, parts)
    minutes = minutes_of(paths)
    parts_text = [markdown(rows, truth), index_markdown(index), decode_markdown(floor)]
    text = "\n\n".join(t for t in parts_text if t)
    print(
        f"\n## Recycled-footage benchmark ({mode} corpus: {len(paths)} files, "
        f"{minutes:.1f} min of video)\n\n{text}\n"
    )
    result = {
        "mode": mode,
        "parts": parts,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": platform.platform(),
        "files": len(paths),
        "video_minutes": minutes,
        "seconds": time.time() - started,
        "rows": [asdict(r) for r in rows],
        "index": index,
        "decode_floor": floor,
        "markdown": text,
    }
    suffix = "" if len(parts) == len(PARTS) else "-" + "-".join(parts)
    target = ROOT / "bench" / "results" / f"media-{mode}{suffix}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=1))
    log(f"written {target} in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
