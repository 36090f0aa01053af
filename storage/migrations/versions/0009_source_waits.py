"""source waits: when a platform allows a channel to be asked again

A long Telegram FLOOD_WAIT or X rate limit was kept in the process's memory only, so a
`collect --once` started again by cron asked during the wait. The time it ends is kept on
the channel's status row; rows from before have none (NULL): nothing to wait for.

Revision ID: 0009_source_waits
Revises: 0008_post_attachments
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_source_waits"
down_revision = "0008_post_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:  # a nullable column: added in place, no row is rewritten
    op.add_column("source_status", sa.Column("not_before", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("source_status") as batch:
        batch.drop_column("not_before")
