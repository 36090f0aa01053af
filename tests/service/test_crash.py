"""A service stopped (SIGTERM) or killed (SIGKILL) in the middle of a collection batch loses
nothing and stores nothing twice when it starts again; its checkpoint only ever covers
stored posts.

The fake t.me holds the video of one page until the test has stopped the service, so the
signal lands while that batch is being fetched.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func, select

from storage import Store
from storage.models import PostMediaRow, PostRow
from tests.collector.fake_tme import FakeTme
from tests.service.channel import HANDLE, ChannelPost
from tests.service.conftest import MakeConfig, open_archive
from tests.service.process import Service

SECOND_BATCH, THIRD_BATCH = "/file/v205.mp4", "/file/p208.jpg"  # posts 204-206, 207-209


def test_a_service_stopped_or_killed_mid_batch_resumes_without_loss_or_duplicates(
    service: Service,
    make_config: MakeConfig,
    posts: list[ChannelPost],
    tme: FakeTme,
    database_url: str,
    tmp_path: Path,
) -> None:
    make_config(service={"shutdown_seconds": 2})
    store = None
    try:
        # SIGTERM while the second batch waits for its video: the batch is abandoned when
        # the budget runs out, and the process still exits 0 at once.
        hold(tme, SECOND_BATCH)
        service.start()
        service.wait_for(
            "the second batch's video to be asked for", tme.arrived[SECOND_BATCH].is_set
        )
        store = open_archive(database_url, tmp_path)
        assert message_ids(store) == [201, 202, 203] and checkpoint(store) == "203"
        code, seconds = service.stop()
        assert code == 0 and seconds < 2 + 3, service.tail()
        assert (
            "jobs still running at the end of the shutdown budget are abandoned" in service.text()
        )
        release(tme, SECOND_BATCH)
        assert message_ids(store) == [201, 202, 203] and checkpoint(store) == "203"

        # SIGKILL while the third batch waits: the second is in, the third is not.
        hold(tme, THIRD_BATCH)
        service.start()
        service.wait_for("the third batch's video to be asked for", tme.arrived[THIRD_BATCH].is_set)
        assert message_ids(store) == list(range(201, 207)) and checkpoint(store) == "206"
        service.kill()
        release(tme, THIRD_BATCH)
        assert message_ids(store) == list(range(201, 207)) and checkpoint(store) == "206"

        service.start()
        service.wait_for("every post after the restart", lambda: checkpoint(store) == "209")
        assert_complete(store, posts)
        media = sum(len(p.media) for p in posts)
        service.wait_for(
            "every media file processed after the restarts",
            lambda: store.media.status_counts() == {"done": media},
        )
        assert not any((tmp_path / "data" / "staging").iterdir())  # the killed run's leftovers
    finally:
        if store is not None:
            store.close()
    assert service.stop()[0] == 0


def hold(tme: FakeTme, path: str) -> None:
    tme.arrived[path].clear()
    tme.hold[path] = threading.Event()


def release(tme: FakeTme, path: str) -> None:
    tme.hold.pop(path).set()


def assert_complete(store: Store, posts: list[ChannelPost]) -> None:
    """Every post once, every media link once, every file on disk."""
    assert message_ids(store) == [p.message_id for p in posts]
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PostRow)) == len(posts)
        links = session.scalar(select(func.count()).select_from(PostMediaRow))
    assert links == sum(len(p.media) for p in posts)
    for post in posts:
        stored = store.archive.find("telegram", HANDLE, post.message_id)
        assert stored is not None and stored.post.text == post.text
        assert all(m.path and m.path.exists() for m in stored.media)


def message_ids(store: Store) -> list[int]:
    return sorted(p.post.message_id for p in store.archive.iter_posts())


def checkpoint(store: Store) -> str | None:
    return store.archive.checkpoint("telegram-web", HANDLE)
