"""media retries: how often a failed download was tried again, and when it may be next

Revision ID: 0003_media_retries
Revises: 0002_digest_attempts
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_media_retries"
down_revision = "0002_digest_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retries", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(sa.Column("retry_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("post_media", schema=None) as batch_op:
        batch_op.drop_column("retry_after")
        batch_op.drop_column("retries")
