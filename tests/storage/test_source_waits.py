"""The end of a wait a platform asked for, kept on a channel's status row: recorded with the
failure, read under any case of the handle, cleared by a success, migrated in from 0008;
the latest of a source's waits is the one its account waits for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from storage import Store, open_store
from storage.database import alembic_config, create, upgrade
from tests.conftest import MAX_MEDIA

UNTIL = datetime(2024, 10, 29, 4, 15, 30, 250_000, tzinfo=UTC)
ASKED = "Telegram asks to wait 3600 s (FLOOD_WAIT) before resolving testchan"


def test_a_wait_is_kept_with_its_failure_and_cleared_by_a_success(store: Store) -> None:
    store.status.failure("telegram", "TestChan", ASKED, UNTIL)
    assert store.status.not_before("telegram", "testchan") == UNTIL
    assert store.status.not_before("x", "testchan") is None
    (health,) = store.status.all()
    assert (health.last_error, health.not_before) == (ASKED, UNTIL)

    store.status.failure("telegram", "TestChan", "the network is down")  # no wait asked
    assert store.status.not_before("telegram", "TestChan") is None
    store.status.failure("telegram", "TestChan", ASKED, UNTIL + timedelta(hours=1))
    store.status.success("telegram", "TestChan", "3 new posts")
    assert store.status.not_before("telegram", "TestChan") is None
    assert store.status.all()[0].failures == 0


def test_the_latest_wait_of_a_source_is_found_whichever_channel_it_is_on(store: Store) -> None:
    assert store.status.latest_wait("telegram") is None
    store.status.failure("telegram", "first", ASKED, UNTIL + timedelta(hours=1))
    store.status.failure("telegram", "second", ASKED, UNTIL)
    store.status.failure("telegram", "third", "the network is down")
    store.status.failure("x", "warcube", ASKED, UNTIL + timedelta(hours=2))
    latest = store.status.latest_wait("telegram")
    assert latest is not None
    assert (latest.channel, latest.not_before) == ("first", UNTIL + timedelta(hours=1))
    store.status.success("telegram", "first")
    latest = store.status.latest_wait("telegram")
    assert latest is not None and (latest.channel, latest.not_before) == ("second", UNTIL)


def test_upgrade_from_0008_keeps_status_rows_with_nothing_to_wait_for(
    empty_url: str, tmp_path: Path
) -> None:
    engine = create(empty_url)
    command.upgrade(alembic_config(engine), "0008_post_attachments")
    with engine.begin() as connection:  # what 0008's code wrote: no not_before column
        connection.execute(
            sa.text(
                "INSERT INTO source_status (source, channel, last_error_at, last_error, failures)"
                " VALUES ('telegram', 'testchan', :at, :error, 2)"
            ),
            {"at": UNTIL, "error": ASKED},
        )
    upgrade(engine)
    command.downgrade(alembic_config(engine), "0008_post_attachments")
    upgrade(engine)
    engine.dispose()
    store = open_store(empty_url, tmp_path / "data", MAX_MEDIA)
    try:
        (health,) = store.status.all()
        assert (health.channel, health.failures, health.last_error) == ("testchan", 2, ASKED)
        assert health.not_before is None
        store.status.failure("telegram", "testchan", ASKED, UNTIL)
        assert store.status.not_before("telegram", "testchan") == UNTIL
    finally:
        store.close()


def test_another_accounts_success_or_failure_leaves_the_first_accounts_wait(
    store: Store,
) -> None:
    store.status.failure("telegram", "testchan", ASKED, UNTIL, account="first")
    store.status.failure("telegram", "testchan", "the network is down", account="relief")
    store.status.success("telegram", "testchan", "3 new posts", account="relief")
    assert store.status.not_before("telegram", "testchan") == UNTIL
    assert store.status.latest_wait("telegram", "relief") is None

    store.status.failure("telegram", "testchan", "the network is down", account="first")
    assert store.status.not_before("telegram", "testchan") is None
