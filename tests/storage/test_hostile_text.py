"""Text from channels comes back from the archive exactly as it came, old archives included."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from hypothesis import given
from hypothesis import strategies as st

from storage import open_store
from storage.database import alembic_config, create, upgrade
from storage.hostile_text import ESCAPE, escaped, unescaped
from tests.conftest import MAX_MEDIA

WHEN = datetime(2024, 10, 29, 3, 15, tzinfo=UTC)
# Text that an archive made before half emojis could be archived may hold.
OLD_TEXTS = (
    "plain",
    "\x00",
    ESCAPE,
    ESCAPE + "0",
    ESCAPE + ESCAPE,
    ESCAPE + "ud83d",
    "a\x00b" + ESCAPE + "0\x00" + ESCAPE,
)
TRICKY = st.sampled_from(["\x00", ESCAPE, "0", "u", "d", "8", "f", "\ud83d", "\udd25", "\udfff"])


@given(st.text(st.one_of(TRICKY, st.characters(exclude_categories=()))))
def test_every_string_is_written_as_utf8_without_nul_and_read_back_exactly(text: str) -> None:
    stored = escaped(text)
    stored.encode("utf-8")  # raises on a surrogate
    assert "\x00" not in stored
    assert unescaped(stored) == text


def test_an_archive_made_before_the_upgrade_reads_back_identically(
    empty_url: str, tmp_path: Path
) -> None:
    engine = create(empty_url)
    command.upgrade(alembic_config(engine), "0005_post_search")
    with engine.begin() as connection:
        _write_as_before(connection, OLD_TEXTS)
    upgrade(engine)
    engine.dispose()

    store = open_store(empty_url, tmp_path / "data", MAX_MEDIA)
    try:
        assert [c.title for c in store.archive.channels()] == [OLD_TEXTS[-1]]
        for number, text in enumerate(OLD_TEXTS, start=1):
            found = store.archive.find("telegram", "oldchannel", number)
            assert found is not None
            post = found.post
            assert (post.text, post.url, post.forwarded_from, post.author) == (text,) * 4
            assert found.revisions[-1].text == text
            (media,) = post.media
            assert (media.url, media.file_name, media.missing) == (text,) * 3
    finally:
        store.close()


def _write_as_before(connection: sa.Connection, texts: tuple[str, ...]) -> None:
    """Rows as the earlier version wrote them: escaped on PostgreSQL, raw on SQLite."""
    if connection.dialect.name == "postgresql":
        texts = tuple(t.replace(ESCAPE, ESCAPE * 2).replace("\x00", ESCAPE + "0") for t in texts)
    _insert(connection, "channels", id=1, platform="telegram", handle="oldchannel",
            title=texts[-1], created_at=WHEN)  # fmt: skip
    for number, text in enumerate(texts, start=1):
        _insert(connection, "posts", id=number, channel_id=1, message_id=number, posted_at=WHEN,
                text=text, source="tg-export", url=text, forwarded_from=text, author=text,
                first_seen_at=WHEN, last_seen_at=WHEN)  # fmt: skip
        _insert(connection, "post_revisions", post_id=number, text=text, seen_at=WHEN,
                source="tg-export")  # fmt: skip
        _insert(connection, "post_media", post_id=number, position=0, kind="photo", url=text,
                file_name=text, missing=text)  # fmt: skip


def _insert(connection: sa.Connection, table: str, **values: Any) -> None:
    columns = [
        sa.column(name, sa.DateTime(timezone=True) if isinstance(value, datetime) else None)
        for name, value in values.items()
    ]
    connection.execute(sa.table(table, *columns).insert().values(**values))
