"""How long the scoring stage takes on a realistic archive, first run and re-runs.

    python bench/scoring_bench.py [--claims 3000] [--database-url URL] [--alerts FILE]

Builds a throw-away archive of template claims (Arabic, as the groups write them) spread
over channels and months, imports the real Home Front Command alert history when it is
found, then times: the alert import, the first `score_claims` (extract + score every
claim), a re-run with nothing new (what the service does every few minutes), a re-run
after one analyst verdict (which moves the track record of one channel), and what an
analyst waits for in the review page and the digest: one decision re-scoring its claim, a
channel's page, the digest's track-record moves, and `claims counts`. Beside those,
reading every claim in full, which each of them did before and which grows with the
archive.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import config  # noqa: E402
from digest.track import track_moves  # noqa: E402
from review.channel_view import channel_view  # noqa: E402
from scoring import decisions  # noqa: E402
from scoring.alerts_import import import_csv  # noqa: E402
from scoring.counts import claims_between, counts_and_changes  # noqa: E402
from scoring.pipeline import rescore, score_claims  # noqa: E402
from storage import Store, open_store  # noqa: E402
from storage.records import Batch, Channel, Post, Verdict  # noqa: E402

T = TypeVar("T")
ALERTS = Path("/work/shared/data/oref-alerts/israel-alerts.csv")
TARGETS = ("أم الرشراش", "حيفا", "الجولان المحتل", "طبريا", "ميناء حيفا", "أراضينا المحتلة")
PARTS = ("فجر اليوم", "صباح اليوم", "ظهر اليوم", "مساء اليوم", "ليلة اليوم")
DAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
CHANNELS = ("sabreen", "nujaba", "kataib", "sayyid", "umbrella", "aggregator")


def claim_text(rng: random.Random, posted: datetime) -> str:
    weekday = DAYS[posted.weekday()] if rng.random() > 0.05 else rng.choice(DAYS)
    return (
        "بسم الله الرحمن الرحيم\nاستمراراً بنهجنا في مقاومة الاحتلال، استهدف مجاهدو "
        f"المقاومة الإسلامية في العراق، {rng.choice(PARTS)} {weekday}، هدفاً حيوياً في "
        f"{rng.choice(TARGETS)}، بواسطة الطيران المسيّر."
    )


def build(store: Store, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2023, 11, 1, tzinfo=UTC)
    per_channel: dict[str, list[Post]] = {c: [] for c in CHANNELS}
    for i in range(count):
        posted = start + timedelta(minutes=rng.randrange(0, 340 * 24 * 60))
        channel = rng.choice(CHANNELS)
        per_channel[channel].append(
            Post("telegram", channel, i + 1, posted, claim_text(rng, posted), "telegram-web")
        )
    for channel, posts in per_channel.items():
        for part in range(0, len(posts), 500):
            batch = Batch(Channel("telegram", channel, group="Islamic Resistance in Iraq"),
                          tuple(posts[part : part + 500]))  # fmt: skip
            store.archive.ingest(batch)


def timed(label: str, action: Callable[[], T]) -> T:
    started = time.monotonic()
    result = action()
    summary = getattr(result, "summary", lambda: "")()
    print(f"{label:<44} {time.monotonic() - started:8.2f} s   {summary}")
    return result


def weekly(store: Store) -> int:
    """What `claimwatch claims counts` works out: claims per week and group, and the days
    where a group's daily rate changed."""
    table, changes = counts_and_changes(claims_between(store, None), "week", "group")
    return len(table) + len(changes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=3000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--alerts", type=Path, default=ALERTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        store = open_store(url, Path(folder), 10**9)
        settings = config.Settings()
        print(f"{args.claims} claim posts in 6 channels, database {url.split(':')[0]}")
        timed("build archive", lambda: build(store, args.claims))
        if args.alerts.exists():
            report = timed("import alert history CSV", lambda: import_csv(store, args.alerts))
            print(f"{'':<44} {report.alerts} alerts by area")
        first = timed(
            "first score_claims (extract + score all)", lambda: score_claims(store, settings)
        )
        timed("re-run, nothing new", lambda: score_claims(store, settings))
        timed("re-run, every claim (--all)", lambda: score_claims(store, settings, everything=True))
        claim = store.claims.list(limit=1)[0]
        store.verdicts.add(
            Verdict("claim", claim.id, "bench", decisions.FALSE, "", claim.posted_at)
        )
        timed("re-run after one verdict", lambda: score_claims(store, settings))
        timed("review decision: re-score its claim", lambda: rescore(store, settings, [claim.id]))
        channel = store.archive.channels()[0]
        timed("review: a channel's page", lambda: channel_view(store, settings, channel))
        day = claim.posted_at - timedelta(days=1)
        timed(
            "digest: track-record moves of a day",
            lambda: track_moves(store, settings.scoring, day, claim.posted_at),
        )
        timed("claims counts: per week, and rate changes", lambda: weekly(store))
        timed("baseline: read every claim in full", lambda: store.claims.list())
        rows = store.claims.counts()["score_rows"]
        print(f"score rows stored: {rows} for {first.claims_found} claims; labels {first.labels}")
        store.close()


if __name__ == "__main__":
    main()
