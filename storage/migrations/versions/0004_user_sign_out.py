"""user sign-out: sessions made before this moment are no longer accepted

Revision ID: 0004_user_sign_out
Revises: 0003_media_retries
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_user_sign_out"
down_revision = "0003_media_retries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("signed_out_at")
