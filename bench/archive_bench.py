"""What one new post costs the service: fingerprint, match and same-scene search.

    python bench/archive_bench.py                 # 30 earlier files, 4 new posts
    python bench/archive_bench.py --nearby 10 --new 3

The archive (SQLite in a temporary folder) first holds `--nearby` clips of the
recycled-footage corpus (the launches that compilations are cut from, the compilations,
other launches, second camera angles, then sources), posted within a day and a half, so
each is within `media.scene_days` of what comes next, and processed once. Then `--new`
more clips (sources, whose second angle is archived already) are posted one at a time,
each followed by `media process`, as the service does. Each new post is processed twice
from the same archive state: with the local features the earlier runs kept on disk (as
shipped), and with that store emptied first, as every run worked before features were
kept: it decodes every neighbour again. CPU is this process and its workers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import config  # noqa: E402
from bench.corpus import FULL, build  # noqa: E402
from bench.parallel import cpu_seconds  # noqa: E402
from media.process import process_pending  # noqa: E402
from storage import Store, open_store  # noqa: E402
from storage.records import Batch, Channel, MediaRef, Post  # noqa: E402

START = datetime(2024, 10, 1, 12, tzinfo=UTC)
ROLES = ("filler", "compilation", "negative", "second_angle", "source")


def post(number: int, path: Path, hours: float) -> Batch:
    return Batch(
        Channel("telegram", "media_wing"),
        (
            Post(
                "telegram",
                "media_wing",
                number,
                START + timedelta(hours=hours),
                "عملية",
                "telegram-web",
                media=(MediaRef("video", path=path, mime="video/mp4", file_name=path.name),),
            ),
        ),
    )


def timed(store: Store, settings: config.Settings) -> tuple[float, str]:
    started = cpu_seconds()
    report = process_pending(store, settings, workers=1)
    return cpu_seconds() - started, report.summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nearby", type=int, default=30, help="files already in the archive")
    parser.add_argument("--new", type=int, default=4, help="posts added one at a time")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "results" / "corpus")
    args = parser.parse_args()
    root = args.cache / "full"
    items = build(root, FULL)
    clips = [i.path(root) for role in ROLES for i in items if i.role == role]
    if args.nearby + args.new > len(clips):
        parser.error(f"the corpus has {len(clips)} distinct clips; ask for fewer")
    settings = config.Settings()
    with tempfile.TemporaryDirectory(prefix="claimwatch-archive-bench-") as folder:
        data = Path(folder)
        store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 500 * 2**20)
        spacing = 36.0 / max(args.nearby, 1)
        for n, path in enumerate(clips[: args.nearby]):
            store.archive.ingest(post(n + 1, path, n * spacing))
        cpu, summary = timed(store, settings)
        print(f"{args.nearby} earlier files processed in {cpu:.1f} s of CPU: {summary}")
        kept, again = [], []
        for k, path in enumerate(clips[args.nearby : args.nearby + args.new]):
            store.archive.ingest(post(1000 + k, path, 12.0 + k))
            snapshot = data.parent / f"{data.name}-snapshot"
            shutil.copytree(data, snapshot)
            shutil.rmtree(snapshot / "features", ignore_errors=True)
            cold = open_store(f"sqlite:///{snapshot / 'claimwatch.db'}", snapshot, 500 * 2**20)
            again.append(timed(cold, settings)[0])
            cold.close()
            shutil.rmtree(snapshot)
            cpu, summary = timed(store, settings)
            kept.append(cpu)
            print(f"  {path.name}: {cpu:.1f} s kept, {again[-1]:.1f} s decoding again ({summary})")
        store.close()
    print()
    print(f"| one new post, {args.nearby} files within scene_days | CPU s per post (median) |")
    print("|---|---|")
    print(f"| local features kept between runs (shipped) | {statistics.median(kept):.1f} |")
    print(f"| every neighbour decoded again each run | {statistics.median(again):.1f} |")


if __name__ == "__main__":
    main()
