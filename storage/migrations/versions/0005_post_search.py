"""post search: each post's normalised text, so a search filters in SQL

Revision ID: 0005_post_search
Revises: 0004_user_sign_out
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_post_search"
down_revision = "0004_user_sign_out"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "post_search",
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("post_search")
