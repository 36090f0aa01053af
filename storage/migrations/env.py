"""Alembic environment: runs migrations on the connection or engine claimwatch hands over."""

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


def run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
    )
    context.run_migrations()


# storage.database.upgrade hands over a connection holding the schema lock, in the
# transaction it commits; other callers (tests of old revisions) only the engine.
given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    with context.config.attributes["engine"].begin() as connection:
        run(connection)
