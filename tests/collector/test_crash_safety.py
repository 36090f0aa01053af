"""A collect killed in the middle of a batch loses nothing and duplicates nothing.

`claimwatch collect --once` runs as a real process against the fake t.me; the fake holds
the video of the third batch, the test kills the process (SIGKILL) while it waits, then
runs it again. On PostgreSQL too when CLAIMWATCH_TEST_POSTGRES_URL is set. (That a third
run fetches nothing new is shown in test_telegram_web and test_collect_cli.)
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, select

from storage import Store, open_store
from storage.models import PostRow
from tests.collector.conftest import channel, settings_toml
from tests.collector.fake_tme import FakeTme

CLAIMWATCH = Path(sys.executable).parent / "claimwatch"
HELD = "/file/7c1e02.mp4?token=xyz"  # the video of post 108, in the third batch


def start(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(CLAIMWATCH), "--config", str(config), "collect", "--once", "--json"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_a_killed_collect_resumes_without_loss_or_duplicates(
    tme: FakeTme, database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    config = tmp_path / "claimwatch.toml"
    config.write_text(
        settings_toml(
            data_dir, tme.url, [channel("testchan")], storage={"database_url": database_url}
        )
    )
    log = tmp_path / "collect.log"
    tme.hold[HELD] = threading.Event()

    process = start(config, log)
    assert tme.arrived[HELD].wait(60), log.read_text()
    store = open_store(database_url, data_dir, 50 * 1024 * 1024)
    try:
        assert store.archive.checkpoint("telegram-web", "testchan") == "107"
        assert ids(store) == list(range(101, 108))
        process.send_signal(signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
        assert any((data_dir / "staging").iterdir())  # the killed run's files are left over
        del tme.hold[HELD]

        rerun = start(config, log)
        assert rerun.wait(120) == 0, log.read_text()
        assert ids(store) == list(range(101, 114))
        assert store.archive.checkpoint("telegram-web", "testchan") == "114"
        with store.sessions() as session:
            assert session.scalar(select(func.count()).select_from(PostRow)) == 13
        video = store.archive.find("telegram", "testchan", 108)
        assert video is not None and video.media[0].path.exists()
        assert not any((data_dir / "staging").iterdir())

    finally:
        store.close()


def ids(store: Store) -> list[int]:
    return sorted(p.post.message_id for p in store.archive.iter_posts())
