"""wait accounts: which account a platform's wait was asked of

A Telegram FLOOD_WAIT or an X rate limit holds every channel read with the same account.
The account (an opaque label of the session or token, never the token itself) is kept
with the wait, so channels read with another account are not held. Waits saved before
have none (NULL) and hold every account, as they did.

Revision ID: 0010_wait_accounts
Revises: 0009_source_waits
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_wait_accounts"
down_revision = "0009_source_waits"
branch_labels = None
depends_on = None


def upgrade() -> None:  # a nullable column: added in place, no row is rewritten
    op.add_column("source_status", sa.Column("wait_account", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("source_status") as batch:
        batch.drop_column("wait_account")
