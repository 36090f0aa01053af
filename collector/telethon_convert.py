"""Telethon messages turned into posts; nothing Telethon-shaped leaves collector/.

Only the fields the archive keeps are read: text as sent (`message.message`, verbatim),
counts, the edit date, the forward origin as ids, the album's grouped_id, the reply, and
a poll, place, contact or dice as an attachment (without a poll's vote counts).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from telethon import utils
from telethon.tl import types

from storage.attachments import attachment
from storage.records import MediaRef, Post

FILE_MEDIA = (types.MessageMediaPhoto, types.MessageMediaDocument)


def is_post(message: Any) -> bool:
    """Service messages (pins, title changes) and empty slots are not posts."""
    return isinstance(message, types.Message)


def media_kind(message: Any) -> str | None:
    """The archive's kind for the message's file; None when it has no file."""
    if not isinstance(message.media, FILE_MEDIA):
        return None
    for kind, present in (
        ("photo", message.photo),
        ("video_message", message.video_note),
        ("animation", message.gif),
        ("video", message.video),
        ("voice", message.voice),
        ("audio", message.audio),
        ("sticker", message.sticker),
        ("document", message.document),
    ):
        if present is not None:
            return kind
    return None


def media_meta(message: Any, kind: str) -> MediaRef:
    """What Telegram declares about the file, before it is downloaded."""
    file = message.file
    return MediaRef(
        kind=kind,
        file_name=file.name or f"{message.id}{file.ext or ''}",
        mime=file.mime_type,
        size=file.size,
        duration=_number(file.duration),
        width=file.width,
        height=file.height,
    )


def message_post(handle: str, message: Any, media: tuple[MediaRef, ...]) -> Post:
    forwarded_from, forwarded_from_id = forward_origin(message)
    edited = message.edit_date if message.edit_date and not message.edit_hide else None
    reply = message.reply_to
    return Post(
        platform="telegram",
        channel=handle,
        message_id=message.id,
        posted_at=message.date.astimezone(UTC),
        text=message.message or "",
        source="telegram",
        url=f"https://t.me/{handle}/{message.id}",
        views=message.views,
        forwards=message.forwards,
        forwarded_from=forwarded_from,
        forwarded_from_id=forwarded_from_id,
        reply_to=reply.reply_to_msg_id
        if isinstance(reply, types.MessageReplyHeader) and reply.reply_to_peer_id is None
        else None,
        grouped_id=message.grouped_id,
        edited_at=edited.astimezone(UTC) if edited else None,
        author=message.post_author,
        media=media,
        attachment=message_attachment(message.media),
    )


def message_attachment(media: Any) -> str | None:
    """The attachment JSON of a poll, place, contact or dice; None for any other media."""
    if isinstance(media, types.MessageMediaPoll):
        poll = media.poll
        return attachment(
            "poll",
            question=_text(poll.question),
            options=[_text(answer.text) for answer in poll.answers],
            closed=bool(poll.closed),
            quiz=bool(poll.quiz),
            multiple_choice=bool(poll.multiple_choice),
            public_voters=bool(poll.public_voters),
        )
    if isinstance(media, types.MessageMediaVenue):
        return attachment("venue", **_point(media.geo), title=media.title, address=media.address)
    if isinstance(media, types.MessageMediaGeo | types.MessageMediaGeoLive):
        live = isinstance(media, types.MessageMediaGeoLive)
        return attachment("location", **_point(media.geo), live=live)
    if isinstance(media, types.MessageMediaContact):
        return attachment(
            "contact",
            first_name=media.first_name,
            last_name=media.last_name,
            phone=media.phone_number,
        )
    if isinstance(media, types.MessageMediaDice):
        return attachment("dice", emoji=media.emoticon, value=media.value)
    return None


def _text(value: Any) -> str:
    """Poll texts: a plain string in older layers, TextWithEntities in newer ones."""
    return value if isinstance(value, str) else str(value.text)


def _point(geo: Any) -> dict[str, float | None]:
    if isinstance(geo, types.GeoPoint):
        return {"latitude": geo.lat, "longitude": geo.long}
    return {"latitude": None, "longitude": None}  # an empty point: the place was withheld


def forward_origin(message: Any) -> tuple[str | None, str | None]:
    """(name, "<peer id>/<post id>") of a forward's origin; the name when Telegram gave one."""
    header = message.fwd_from
    if header is None:
        return None, None
    chat = getattr(message.forward, "chat", None) if message.forward else None
    name = getattr(chat, "title", None) or header.from_name or header.post_author
    if header.from_id is None:
        return name, None
    peer = str(utils.get_peer_id(header.from_id))
    return name, f"{peer}/{header.channel_post}" if header.channel_post else peer


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None
