"""post attachments: a post's poll, place, contact or dice, kept as JSON text

Posts archived before this have none recorded (NULL): a later capture that sees one adds
it as a revision, so the first-seen row stays as it was.

Revision ID: 0008_post_attachments
Revises: 0007_alert_periods
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_post_attachments"
down_revision = "0007_alert_periods"
branch_labels = None
depends_on = None

TABLES = ("posts", "post_revisions")


def upgrade() -> None:
    for table in TABLES:  # a nullable column: added in place, no row is rewritten
        op.add_column(table, sa.Column("attachment", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("attachment")
