"""Alembic environment: runs migrations on the engine claimwatch hands over."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from storage.models import Base, HostileText, UTCDateTime


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write our own column types as the plain types they store, so migrations stand alone."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(obj, HostileText):
        return "sa.Text()"
    return False


engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
    )
    context.run_migrations()
