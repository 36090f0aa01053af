"""hostile text escaped on SQLite too: text holding half an emoji can be archived

Text columns from channels now write NUL, unpaired surrogates and the escape character
itself escaped on every database (storage/hostile_text.py). PostgreSQL archives already
escaped the escape character; SQLite archives stored it raw, so here it is doubled in
every SQLite row that holds it, and such rows read back unchanged.

Revision ID: 0006_hostile_text_escaped
Revises: 0005_post_search
Create Date: 2026-11-22
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0006_hostile_text_escaped"
down_revision = "0005_post_search"
branch_labels = None
depends_on = None

ESCAPE = "\ue000"
# Every column of channel text, as of this revision.
COLUMNS = (
    ("channels", "title"),
    ("posts", "text"),
    ("posts", "url"),
    ("posts", "forwarded_from"),
    ("posts", "author"),
    ("post_revisions", "text"),
    ("post_media", "url"),
    ("post_media", "file_name"),
    ("post_media", "missing"),
)
_NUL_OR_ESCAPE = re.compile(ESCAPE + "([0" + ESCAPE + "])")


def upgrade() -> None:
    _rewrite(lambda value: value.replace(ESCAPE, ESCAPE + ESCAPE))


def downgrade() -> None:
    # Half an emoji stays escaped: the earlier version cannot store it.
    _rewrite(lambda value: _NUL_OR_ESCAPE.sub(_restored, value))


def _restored(found: re.Match[str]) -> str:
    return "\x00" if found[1] == "0" else ESCAPE


def _rewrite(change: Callable[[str], str]) -> None:
    """Apply `change` to every SQLite value holding ESCAPE (on PostgreSQL nothing changes)."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for table, column in COLUMNS:
        found = connection.execute(
            sa.text(f"SELECT rowid, {column} FROM {table} WHERE instr({column}, :escape) > 0"),
            {"escape": ESCAPE},
        ).all()
        if found:
            connection.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE rowid = :row"),
                [{"row": row, "value": change(value)} for row, value in found],
            )
