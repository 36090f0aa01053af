"""Media downloads that failed for a passing reason are tried again by later runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from storage import Store
from storage.models import PostMediaRow
from storage.timeutil import utcnow
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_tme import FakeTme, Reply, media_bytes
from tests.collector.test_telegram_web import run

PHOTO = "/file/photo102.jpg"
FAILED = Reply(502, b"bad gateway")  # the test settings make 3 attempts per download


def photo_of_102(store: Store) -> tuple[str | None, str | None]:
    found = store.archive.find("telegram", "testchan", 102)
    assert found is not None
    (photo,) = found.post.media
    return (str(photo.path) if photo.path else None), photo.missing


def link_of_102(store: Store) -> PostMediaRow:
    with store.sessions() as session:
        links = session.scalars(select(PostMediaRow).where(PostMediaRow.url.endswith(PHOTO)))
        return links.one()


def pause_is_over(store: Store) -> None:
    with store.sessions.begin() as session:
        session.execute(update(PostMediaRow).values(retry_after=utcnow() - timedelta(seconds=1)))


def test_a_file_the_server_failed_to_send_arrives_on_a_later_run(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route(PHOTO, FAILED, FAILED, FAILED, Reply(body=media_bytes("photo102.jpg")))
    settings = make_settings(channel("testchan"))
    first = run(store, settings, clock)
    path, missing = photo_of_102(store)
    assert path is None and (missing or "").startswith("download failed:")
    assert "HTTP 502" in (missing or "")
    assert first.channels[0].media_recovered == 0

    second = run(store, settings, clock)

    assert second.channels[0].media_recovered == 1
    path, missing = photo_of_102(store)
    assert missing is None and path is not None
    stored = store.files.find(link_of_102(store).media_sha256 or "")
    assert stored is not None and stored.read_bytes() == (media_bytes("photo102.jpg"))
    (health,) = store.status.all()
    assert "1 recovered" in (health.detail or "")
    found = store.archive.find("telegram", "testchan", 102)
    assert found is not None and found.post.text  # the post itself is as it was


def test_a_file_that_keeps_failing_is_tried_after_growing_pauses_then_left(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    tme.route(PHOTO, FAILED)
    settings = make_settings(
        channel("testchan"), collect={"media_retries": 2, "backoff_minutes": 10}
    )
    run(store, settings, clock)
    run(store, settings, clock)  # the first retry, at once
    link = link_of_102(store)
    assert link.retries == 1 and link.retry_after is not None
    assert timedelta(minutes=9) < link.retry_after - utcnow() <= timedelta(minutes=10)

    asked = tme.requests.count(PHOTO)
    run(store, settings, clock)  # still pausing: not asked again
    assert tme.requests.count(PHOTO) == asked

    pause_is_over(store)
    run(store, settings, clock)
    assert tme.requests.count(PHOTO) == asked + 3  # one more try (3 attempts)
    assert link_of_102(store).retries == 2

    pause_is_over(store)
    run(store, settings, clock)  # media_retries = 2: left alone from now on
    assert tme.requests.count(PHOTO) == asked + 3
    path, missing = photo_of_102(store)
    assert path is None and "HTTP 502" in (missing or "")


def test_refused_files_are_not_tried_again(
    store: Store, make_settings: MakeSettings, clock: FakeClock, tme: FakeTme
) -> None:
    settings = make_settings(channel("testchan"))
    run(store, settings, clock)
    asked = len(tme.requests)
    run(store, settings, clock)
    # the second run reads the newest page and nothing else: the oversized poster, the
    # off-host tracker and the "Media is too big" video are refused, not failed
    assert tme.requests[asked:] == ["/s/testchan"]
