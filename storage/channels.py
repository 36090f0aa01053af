"""Which channel a handle names, and moving an archived channel to another handle.

Posts are filed by handle (a username), but a username can pass to another channel: the
old channel is banned and the name registered again, or an X handle is reclaimed. The new
channel's posts must never be filed as the old one's (as new posts, as revisions of old
posts, or as deletions), so every batch is checked against the channel id archived for
its handle and refused whole when it differs. The analyst then moves the archived channel
aside with `claimwatch channels rename`, and the handle is collected afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from claimwatch.errors import ChannelIdMismatchError, InputError
from storage.models import ChannelRow, CheckpointRow, PostRow, SourceStatusRow
from storage.records import NAME_CHARS, Channel, Platform, canonical_channel_id, mention

# The sources whose checkpoints and status rows are keyed by a channel of each platform.
SOURCES: dict[str, tuple[str, ...]] = {
    "telegram": ("telegram-web", "telegram", "tg-export"),
    "x": ("x",),
}


@dataclass(frozen=True)
class Renamed:
    """What a rename moved to the new handle."""

    posts: int
    checkpoints: int
    statuses: int


class Channels:
    """The archived channels as named by their handles."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def rename(self, platform: Platform, old: str, new: str) -> Renamed:
        """File the archived channel `old` and everything keyed by its handle under `new`.

        One transaction: posts, revisions and media links follow the channel row; the
        checkpoints and source status rows of the platform's sources are re-keyed. So
        the old channel's posts stay intact under `new`, and collecting `old` starts
        afresh. Raises InputError when `old` is not archived or `new` is taken.
        """
        _check_name(new)
        with self._sessions.begin() as session:
            row = archived_channel(session, platform, old, lock=True)
            if row is None:
                raise InputError(f"no {platform} channel {old} in the archive; nothing was renamed")
            if _taken(session, platform, new):
                raise InputError(
                    f"{platform} channel {new} is taken: the archive already holds a channel "
                    "or collection records under that name; choose another"
                )
            row.handle = new
            posts = session.scalar(select(func.count()).where(PostRow.channel_id == row.id))
            return Renamed(
                posts or 0,
                _rekey(session, CheckpointRow, platform, old, new),
                _rekey(session, SourceStatusRow, platform, old, new),
            )


def archived_channel(
    session: Session, platform: str, handle: str, *, lock: bool = False
) -> ChannelRow | None:
    """The channel archived under `handle`; `lock` holds its row until the transaction ends,
    so a rename and an ingest of the same handle run one after the other."""
    query = select(ChannelRow).where(ChannelRow.platform == platform, ChannelRow.handle == handle)
    return session.scalar(query.with_for_update() if lock else query)


def ensure_same_channel(session: Session, row: ChannelRow | None, channel: Channel) -> None:
    """Refuse `channel` when the channel archived under its handle has another id, or when
    its id is archived under another handle.

    A channel archived without an id takes the first id it is offered, unless another
    handle holds that id; a batch without an id (a page that gave none) is taken as the
    archived channel's.
    """
    archived = canonical_channel_id(row.external_id) if row is not None else None
    offered = canonical_channel_id(channel.external_id)
    if offered is not None and archived is None:
        _ensure_not_archived_elsewhere(session, row, channel, offered)
    if archived is None or offered is None or archived == offered:
        return
    handle = channel.handle
    raise ChannelIdMismatchError(
        f"{channel.platform} {mention(handle)} is archived as channel id {archived}, but "
        f"these posts come from channel id {offered}; nothing was stored. If the name passed "
        f"to another channel, move the archived one aside with `claimwatch channels rename "
        f"{channel.platform} {handle} NEW_NAME` (then {handle} is collected afresh), or "
        "disable the channel"
    )


def _ensure_not_archived_elsewhere(
    session: Session, row: ChannelRow | None, channel: Channel, offered: str
) -> None:
    """A channel that changed its username must not start a second archive under the new
    one (its posts stored twice, its footage on twice as many claims)."""
    others = session.scalars(
        select(ChannelRow).where(
            ChannelRow.platform == channel.platform, ChannelRow.external_id.is_not(None)
        )
    )
    for other in others:
        if other is not row and canonical_channel_id(other.external_id) == offered:
            raise ChannelIdMismatchError(
                f"{channel.platform} channel id {offered} is archived as {mention(other.handle)}, "
                f"but these posts come under {mention(channel.handle)}; nothing was stored. If "
                "the channel changed its username, file its archive under the new one with "
                f"`claimwatch channels rename {channel.platform} {other.handle} "
                f"{channel.handle}`; if both names are in the settings, keep one"
            )


def _check_name(handle: str) -> None:
    if not handle.strip() or len(handle) > NAME_CHARS:
        raise InputError(f"a channel name must be 1 to {NAME_CHARS} characters, not {handle!r}")


def _taken(session: Session, platform: str, handle: str) -> bool:
    if archived_channel(session, platform, handle) is not None:
        return True
    return any(
        session.scalar(
            select(func.count())
            .select_from(table)
            .where(table.channel == handle, table.source.in_(SOURCES[platform]))
        )
        for table in (CheckpointRow, SourceStatusRow)
    )


def _rekey(
    session: Session,
    table: type[CheckpointRow] | type[SourceStatusRow],
    platform: str,
    old: str,
    new: str,
) -> int:
    """Move the platform's rows of `table` from `old` to `new`; how many moved."""
    keyed = (table.channel == old, table.source.in_(SOURCES[platform]))
    moved = session.scalar(select(func.count()).select_from(table).where(*keyed)) or 0
    session.execute(update(table).where(*keyed).values(channel=new))
    return moved
