"""Which channel a handle names, and moving an archived channel to another handle.

Posts are filed by handle (a username), but a username can pass to another channel: the
old channel is banned and the name registered again, or an X handle is reclaimed. The new
channel's posts must never be filed as the old one's (as new posts, as revisions of old
posts, or as deletions), so every batch is checked against the channel id archived for
its handle and refused whole when it differs. The analyst then moves the archived channel
aside with `claimwatch channels rename`, and the handle is collected afresh.

Handles ignore case (storage.records.same_handle): whatever case a handle comes in, it
names the channel archived under any case of it, which keeps the spelling it was first
archived under. Every lookup by handle goes through `archived_channel` or `named_ids`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from claimwatch.errors import ChannelIdMismatchError, InputError
from storage.models import ChannelRow, CheckpointRow, PostRow, SourceStatusRow
from storage.records import (
    NAME_CHARS,
    Channel,
    Platform,
    canonical_channel_id,
    closest,
    mention,
    same_handle,
)

# The sources whose checkpoints and status rows are keyed by a channel of each platform.
SOURCES: dict[str, tuple[str, ...]] = {
    "telegram": ("telegram-web", "telegram", "tg-export"),
    "x": ("x",),
}


@dataclass(frozen=True)
class Renamed:
    """What a rename moved from the archived spelling `old` to the handle `new`."""

    old: str
    new: str
    posts: int
    checkpoints: int
    statuses: int

    @property
    def case_only(self) -> bool:
        """Only the case changed: the same channel, shown under the new spelling."""
        return same_handle(self.old, self.new)


@dataclass(frozen=True)
class Spelling:
    """How the archive spells a handle: `handle` is the spelling of the channel archived
    under it in any case (the handle itself when none is), `others` the spellings of
    further channels archived under it apart, before case was ignored."""

    platform: str
    handle: str
    others: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        """What the analyst can do about a channel archived twice, if it is."""
        if not self.others:
            return None
        other = self.others[0]
        return (
            f"{self.platform} channel {self.handle} is also archived as "
            f"{' and '.join(self.others)}, apart (earlier versions took names that differ "
            f"only by case for different channels); its posts go to {self.handle}, and "
            "earlier ones may be archived under both. To have every page and filter name one of "
            f"them, file the other under a name of its own, e.g. `claimwatch channels rename "
            f"{self.platform} {other} {other}_old` (nothing is deleted)"
        )


class Channels:
    """The archived channels as named by their handles."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def spelling(self, platform: Platform, handle: str) -> Spelling:
        """The spelling the archive files `handle` under, and the channels it holds apart
        under other cases of it."""
        with self._sessions() as session:
            rows = _spelled(session, platform, handle)
        row = closest(rows, handle, _handle)
        others = tuple(r.handle for r in rows if r is not row)
        return Spelling(platform, handle if row is None else row.handle, others)

    def rename(self, platform: Platform, old: str, new: str) -> Renamed:
        """File the archived channel `old` and everything keyed by its handle under `new`.

        One transaction: posts, revisions and media links follow the channel row; the
        checkpoints and source status rows of the platform's sources are re-keyed. So
        the old channel's posts stay intact under `new`, and collecting `old` starts
        afresh; when only the case changes, the channel is simply shown as `new`.
        Raises InputError when `old` is not archived (or names two channels archived
        apart and neither exactly) or `new` is taken in any case.
        """
        _check_name(new)
        with self._sessions.begin() as session:
            row = _to_rename(session, platform, old)
            holder = _holder(session, platform, new, row)
            if holder is not None:
                raise InputError(
                    f"{platform} channel {new} is taken: the archive already holds a channel "
                    "or collection records under that name"
                    + (f" (as {holder})" if holder != new else "")
                    + "; choose another"
                )
            spelled, row.handle = row.handle, new
            posts = session.scalar(select(func.count()).where(PostRow.channel_id == row.id))
            return Renamed(
                spelled,
                new,
                posts or 0,
                _rekey(session, CheckpointRow, platform, spelled, new),
                _rekey(session, SourceStatusRow, platform, spelled, new),
            )


def archived_channel(
    session: Session, platform: str, handle: str, *, lock: bool = False
) -> ChannelRow | None:
    """The channel archived under `handle` in any case: the one spelled exactly so, else the
    first archived. `lock` holds its row until the transaction ends, so a rename and an
    ingest of the same handle run one after the other."""
    rows = _spelled(session, platform, handle)
    if lock and rows:
        locked = select(ChannelRow).where(ChannelRow.id.in_([r.id for r in rows]))
        held = session.scalars(
            locked.order_by(ChannelRow.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        rows = [r for r in held if same_handle(r.handle, handle)]  # renamed meanwhile
    return closest(rows, handle, _handle)


def named_ids(session: Session, handle: str, platform: str | None = None) -> list[int]:
    """The row ids of the channels `handle` names in any case (see `archived_channel`), one
    per platform, or of `platform` only: what a filter by channel selects."""
    query = select(ChannelRow).order_by(ChannelRow.id)
    if platform is not None:
        query = query.where(ChannelRow.platform == platform)
    rows = session.scalars(query).all()
    found = (
        closest((r for r in rows if r.platform == each), handle, _handle)
        for each in dict.fromkeys(r.platform for r in rows)
    )
    return [row.id for row in found if row is not None]


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
                f"but these posts come under {mention(channel.handle)}; nothing was stored. "
                + _advice(channel, other.handle)
            )


def _advice(channel: Channel, archived: str) -> str:
    platform, handle = channel.platform, channel.handle
    if same_handle(archived, handle):  # archived twice, apart, before case was ignored
        return (
            f"The archive holds the channel under both spellings: name it {archived} in the "
            f"settings, or file {handle} under a name of its own with `claimwatch channels "
            f"rename {platform} {handle} {handle}_old` (nothing is deleted)"
        )
    return (
        "If the channel changed its username, file its archive under the new one with "
        f"`claimwatch channels rename {platform} {archived} {handle}`; if both names are in "
        "the settings, keep one"
    )


def _handle(row: ChannelRow) -> str:
    return row.handle


def _spelled(session: Session, platform: str, handle: str) -> list[ChannelRow]:
    """The platform's channels archived under any case of `handle`, first archived first."""
    rows = session.scalars(
        select(ChannelRow).where(ChannelRow.platform == platform).order_by(ChannelRow.id)
    )
    return [row for row in rows if same_handle(row.handle, handle)]


def _to_rename(session: Session, platform: str, old: str) -> ChannelRow:
    spelled = [row.handle for row in _spelled(session, platform, old)]
    if len(spelled) > 1 and old not in spelled:
        raise InputError(
            f"{platform} {old} names {len(spelled)} channels archived apart, "
            f"{' and '.join(spelled)}; give the one to rename exactly as it is spelled"
        )
    row = archived_channel(session, platform, old, lock=True)
    if row is None:
        raise InputError(f"no {platform} channel {old} in the archive; nothing was renamed")
    return row


def _check_name(handle: str) -> None:
    if not handle.strip() or len(handle) > NAME_CHARS:
        raise InputError(f"a channel name must be 1 to {NAME_CHARS} characters, not {handle!r}")


def _holder(session: Session, platform: str, new: str, row: ChannelRow) -> str | None:
    """The spelling under which the archive holds `new` for another channel than `row`: an
    archived channel, or collection records (checkpoints, status) of the platform's sources.
    On a change of case only, the records under `new` are the channel's own."""
    other = next((o for o in _spelled(session, platform, new) if o is not row), None)
    if other is not None:
        return other.handle
    if same_handle(new, row.handle):
        return None
    for table in (CheckpointRow, SourceStatusRow):
        keys = session.scalars(select(table.channel).where(table.source.in_(SOURCES[platform])))
        found = next((key for key in keys if same_handle(key, new)), None)
        if found is not None:
            return found
    return None


def _rekey(
    session: Session,
    table: type[CheckpointRow] | type[SourceStatusRow],
    platform: str,
    old: str,
    new: str,
) -> int:
    """Move the platform's rows of `table` from `old` to `new`; how many moved.

    Rows under other cases of `new` (left only on a change of case: other names are
    refused as taken) are older records of the same channel, and give way.
    """
    sources = table.source.in_(SOURCES[platform])
    keys = session.scalars(select(table.channel).where(sources)).all()
    stale = [key for key in keys if key != old and same_handle(key, new)]
    if stale:
        session.execute(delete(table).where(sources, table.channel.in_(stale)))
    keyed = (table.channel == old, sources)
    moved = session.scalar(select(func.count()).select_from(table).where(*keyed)) or 0
    session.execute(update(table).where(*keyed).values(channel=new))
    return moved
