"""SQLAlchemy table models. They never leave storage/: modules here convert them to records.

The schema is changed only through Alembic migrations in storage/migrations.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.hostile_text import HostileText
from storage.records import NAME_CHARS
from storage.timeutil import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always hands back aware UTC datetimes.

    SQLite keeps no offset, so without this a round trip would silently drop the zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the archive; attach a zone")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class ChannelRow(Base):
    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("platform", "handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(NAME_CHARS))
    external_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(HostileText)
    group_name: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    created_at: Mapped[datetime]


class PostRow(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("channel_id", "message_id"),
        Index("ix_posts_posted_at", "posted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    message_id: Mapped[int] = mapped_column(BigInteger)
    posted_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(HostileText)
    source: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(HostileText)
    views: Mapped[int | None] = mapped_column(BigInteger)
    forwards: Mapped[int | None] = mapped_column(BigInteger)
    forwarded_from: Mapped[str | None] = mapped_column(HostileText)
    forwarded_from_id: Mapped[str | None] = mapped_column(String(64))
    reply_to: Mapped[int | None] = mapped_column(BigInteger)
    grouped_id: Mapped[int | None] = mapped_column(BigInteger)
    edited_at: Mapped[datetime | None]
    author: Mapped[str | None] = mapped_column(HostileText)
    attachment: Mapped[str | None] = mapped_column(HostileText)  # storage/attachments.py
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]


class RevisionRow(Base):
    """A later text (and attachment) of a post; posts keeps the one first seen."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    text: Mapped[str] = mapped_column(HostileText)
    attachment: Mapped[str | None] = mapped_column(HostileText)
    edited_at: Mapped[datetime | None]
    seen_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(16))


class PostSearchRow(Base):
    """A post's text as search reads it (storage/post_search.py): derived, never evidence.

    `text` is the first text and the latest revision (`revision_id`, 0 for none) after the
    normaliser of `version`; a row whose revision or version is out of date is recomputed.
    """

    __tablename__ = "post_search"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    revision_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class MediaRow(Base):
    __tablename__ = "media_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    mime: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str] = mapped_column(Text)
    duration: Mapped[float | None] = mapped_column(Float)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class PostMediaRow(Base):
    """A post's media item; media_sha256 is empty when the file is missing (and why)."""

    __tablename__ = "post_media"
    __table_args__ = (UniqueConstraint("post_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    media_sha256: Mapped[str | None] = mapped_column(ForeignKey("media_files.sha256"), index=True)
    url: Mapped[str | None] = mapped_column(HostileText)
    file_name: Mapped[str | None] = mapped_column(HostileText)
    missing: Mapped[str | None] = mapped_column(HostileText)
    # downloads tried again after a failure that may pass, and when the next may start
    retries: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    retry_after: Mapped[datetime | None]


class CheckpointRow(Base):
    __tablename__ = "checkpoints"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(NAME_CHARS), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class SourceStatusRow(Base):
    """Health of one source on one channel (or one job, with source='job')."""

    __tablename__ = "source_status"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(NAME_CHARS), primary_key=True)
    last_success_at: Mapped[datetime | None]
    last_error_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str | None] = mapped_column(Text)
    # the end of a wait the platform asked for: the channel is not asked before then
    not_before: Mapped[datetime | None]
    # the account the wait was asked of (collector.waits.account_label); NULL: any account
    wait_account: Mapped[str | None] = mapped_column(String(64))


class FingerprintRow(Base):
    __tablename__ = "fingerprints"

    media_sha256: Mapped[str] = mapped_column(ForeignKey("media_files.sha256"), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(32))
    frame_count: Mapped[int] = mapped_column(Integer)
    duration: Mapped[float] = mapped_column(Float)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class MatchRow(Base):
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("a_sha256", "b_sha256", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    a_sha256: Mapped[str] = mapped_column(ForeignKey("media_files.sha256"), index=True)
    b_sha256: Mapped[str] = mapped_column(ForeignKey("media_files.sha256"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    similarity: Mapped[float] = mapped_column(Float)
    segments: Mapped[list[Any]]
    algorithm: Mapped[str] = mapped_column(String(32))
    first_posted: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), unique=True)
    extractor: Mapped[str] = mapped_column(String(32))
    is_claim: Mapped[bool] = mapped_column(Boolean)
    group_name: Mapped[str | None] = mapped_column(String(NAME_CHARS))
    claimed_date: Mapped[date | None] = mapped_column(Date)
    part_of_day: Mapped[str | None] = mapped_column(String(32))
    operations: Mapped[int | None] = mapped_column(Integer)
    vague_target: Mapped[bool] = mapped_column(Boolean, default=False)
    extraction: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class ScoreRow(Base):
    """A score as computed at one time; rows are appended, so history is kept."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(32))
    factors: Mapped[list[Any]]
    inputs: Mapped[dict[str, Any]]
    model_version: Mapped[str] = mapped_column(String(32))
    computed_at: Mapped[datetime]


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_time", "time"),)

    rid: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    area: Mapped[str] = mapped_column(String(NAME_CHARS), primary_key=True)
    time: Mapped[datetime]
    category: Mapped[int] = mapped_column(Integer)
    category_desc: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))


class AlertPeriodRow(Base):
    """A period an alert import covered in full: no alert then is missing from the archive."""

    __tablename__ = "alert_periods"
    __table_args__ = (UniqueConstraint("source", "start", "end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    start: Mapped[datetime]
    end: Mapped[datetime]


class VerdictRow(Base):
    __tablename__ = "verdicts"
    __table_args__ = (Index("ix_verdicts_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reviewer: Mapped[str] = mapped_column(String(NAME_CHARS))
    decision: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_CHARS), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    signed_out_at: Mapped[datetime | None]  # sessions made before it are void


class DigestRow(Base):
    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("day", "recipients"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    recipients: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # When the last attempt started: a 'sending' lease and the backoff count from it.
    attempted_at: Mapped[datetime | None]
    message_id: Mapped[str | None] = mapped_column(Text)
