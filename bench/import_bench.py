"""Time and memory of importing a large Telegram Desktop export, against reading it whole.

    python bench/import_bench.py [--messages 40000] [--keep DIR]

Writes a deterministic export of N messages (texts of a few hundred characters in Arabic
and English, some with entities, some with photos or videos the export left out, some
service messages) into a temporary folder, then runs each way of reading it in a fresh
process, so each peak is its own:

* `json.load, whole`: the file read whole with `json.load` and every post built and
  sorted, as imports did before (no storing);
* `streamed, read`: the two streamed readings (checking, then the posts in batches), no
  storing;
* `streamed, import`: `claimwatch --data-dir D import tg-export PATH` into a fresh SQLite
  archive.

Each is run twice: once for its time and the process's peak resident memory (and how far
above the process's size before it began), once under tracemalloc for the peak of Python
allocations alone (slower, so its time is not shown).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collector.tg_export import read_export  # noqa: E402
from collector.tg_messages import message_post  # noqa: E402

BASE_TIME = 1_700_000_000
ARABIC_TEXT = (
    "استهدف مجاهدو المقاومة الإسلامية في العراق فجر اليوم هدفاً حيوياً في أم الرشراش "
    "بواسطة الطيران المسيّر وذلك رداً على المجازر التي يرتكبها الكيان بحق المدنيين "
    "وتؤكد المقاومة استمرارها في دك معاقل الأعداء بوتيرة متصاعدة"
)
ENGLISH_TEXT = (
    "The Islamic Resistance in Iraq said its fighters struck a vital target in Eilat at "
    "dawn today with drones in response to the massacres and vowed to keep up operations "
    "against enemy strongholds at an increasing pace"
)
PHASES = ("json.load, whole", "streamed, read", "streamed, import")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=40_000)
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--export", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(measure(args.phase, args.export, args.tracemalloc)))
        return
    with tempfile.TemporaryDirectory(prefix="import-bench-") as scratch:
        folder = args.keep or Path(scratch) / "export"
        size = write_export(folder, args.messages)
        print(f"{args.messages:,} messages, result.json {size / 2**20:.1f} MB\n")
        print("| reading | seconds | peak RSS MB | RSS MB above start | tracemalloc peak MB |")
        print("|---|---|---|---|---|")
        for phase in PHASES:
            timed, traced = run(phase, folder, False), run(phase, folder, True)
            print(
                f"| {phase} | {timed['seconds']:.1f} | {timed['maxrss'] / 2**20:.0f} | "
                f"{(timed['maxrss'] - timed['start_rss']) / 2**20:.0f} | "
                f"{traced['traced'] / 2**20:.1f} |"
            )


def run(phase: str, folder: Path, traced: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--phase", phase, "--export", str(folder)]
    done = subprocess.run(
        [*command, *(["--tracemalloc"] if traced else [])],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(phase: str, folder: Path, traced: bool) -> dict[str, float]:
    from claimwatch.cli.main import cli  # what the command loads, loaded before the start

    work: dict[str, Callable[[Path], Any]] = {
        "json.load, whole": read_whole,
        "streamed, read": read_streamed,
        "streamed, import": lambda path: import_with_cli(cli, path),
    }
    start_rss = maxrss()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    work[phase](folder)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    return {"seconds": seconds, "maxrss": maxrss(), "start_rss": start_rss, "traced": peak}


def read_whole(folder: Path) -> int:
    """json.load of the whole file and every post built, as imports did before."""
    path = folder / "result.json"
    with path.open("rb") as handle:
        document = json.load(handle)
    posts = [
        post
        for index, message in enumerate(document["messages"])
        if (post := message_post(message, index, "1234567890", folder, path)) is not None
    ]
    posts.sort(key=lambda post: post.message_id)
    return len(posts)


def read_streamed(folder: Path) -> int:
    (chat,) = read_export(folder)
    return sum(len(batch.posts) for batch in chat.batches())


def import_with_cli(cli: Any, folder: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="import-bench-archive-") as data:
        args = ["--data-dir", data, "import", "tg-export", str(folder)]
        cli.main(args, standalone_mode=False)


def maxrss() -> int:
    """The process's peak resident memory so far, in bytes (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib if sys.platform == "darwin" else kib * 1024


def write_export(folder: Path, count: int) -> int:
    """A channel's export as Telegram Desktop writes it, one message at a time."""
    rng = random.Random(20241027)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "result.json"
    header = {"name": "المقاومة الإسلامية في العراق", "type": "public_channel", "id": 1234567890}
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "messages": [')
        for number in range(1, count + 1):
            entry = json.dumps(exported_message(rng, number), ensure_ascii=False, indent=1)
            out.write(("\n" if number == 1 else ",\n") + entry.replace("\n", "\n  "))
        out.write("\n ]\n}\n")
    return path.stat().st_size


def exported_message(rng: random.Random, number: int) -> dict[str, Any]:
    when = BASE_TIME + number * 600
    if rng.random() < 0.02:
        return {"id": number, "type": "service", "date_unixtime": str(when), "action": "pin"}
    words = (ARABIC_TEXT if rng.random() < 0.7 else ENGLISH_TEXT).split()
    text = " ".join(rng.choices(words, k=rng.randint(15, 45)))
    message: dict[str, Any] = {
        "id": number,
        "type": "message",
        "date": "2023-11-14T22:13:20",
        "date_unixtime": str(when),
        "from": "المقاومة الإسلامية في العراق",
        "from_id": "channel1234567890",
        "text": text,
        "text_entities": [{"type": "plain", "text": text}],
    }
    if rng.random() < 0.2:
        message["text"] = [text, {"type": "hashtag", "text": "#المقاومة_الإسلامية"}]
    roll = rng.random()
    if roll < 0.15:
        message.update(photo=f"photos/photo_{number}@14-11-2023_22-13-20.jpg", width=1280)
    elif roll < 0.25:
        message.update(
            file=f"video_files/{number}.mp4",
            media_type="video_file",
            mime_type="video/mp4",
            duration_seconds=rng.randint(5, 90),
        )
    elif roll < 0.3:
        message["photo"] = "(File not included. Change data exporting settings to download.)"
    return message


if __name__ == "__main__":
    main()
