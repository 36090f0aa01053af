"""Turn a gathered Digest into the email (and the preview page), within the size budget.

Mail servers commonly refuse or clip messages of a few megabytes, and mobile clients
fetch them slowly, so the whole message stays under MAX_MESSAGE_BYTES: when it would not,
keyframes are left out from the last match backwards (each still links to its review).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from claimwatch.errors import DeliveryError
from config.settings import Settings
from digest import message, render
from digest.chart import weekly_chart
from digest.content import Digest, FootageLine
from digest.images import data_uris, named_images

MAX_MESSAGE_BYTES = 2_000_000
LEFT_OUT = "left out to keep the email under 2 MB"


@dataclass(frozen=True)
class Composed:
    """The digest as sent: the (possibly trimmed) content, its images and the message."""

    digest: Digest
    images: dict[str, tuple[bytes, str]]
    message: EmailMessage
    size: int

    def preview_html(self) -> str:
        """The HTML part with images as data: URIs, a page that stands alone."""
        return render.render_html(self.digest, data_uris(self.images))


def compose(digest: Digest, settings: Settings, now: datetime) -> Composed:
    """The email for `digest`, trimmed of keyframes until it fits MAX_MESSAGE_BYTES."""
    chart = weekly_chart(
        digest.weekly.weeks,
        digest.weekly.counts,
        f"Claims per week by group, last {len(digest.weekly.weeks)} weeks",
    )
    while True:
        images = named_images(digest, chart)
        email = _email(digest, images, settings, now)
        size = len(email.as_bytes())
        if size <= MAX_MESSAGE_BYTES:
            return Composed(digest, images, email, size)
        trimmed = _without_last_keyframes(digest, size - MAX_MESSAGE_BYTES)
        if trimmed is None:
            raise DeliveryError(
                f"the digest of {digest.day} is {size} bytes even without keyframes; "
                f"the limit is {MAX_MESSAGE_BYTES}"
            )
        digest = trimmed


def _email(
    digest: Digest, images: dict[str, tuple[bytes, str]], settings: Settings, now: datetime
) -> EmailMessage:
    inline = [
        message.InlineImage(message.content_id(name), data, subtype, f"{name}.{_ext(subtype)}")
        for name, (data, subtype) in images.items()
    ]
    sources = {name: f"cid:{image.cid}" for name, image in zip(images, inline, strict=True)}
    envelope = message.Envelope(
        subject=render.subject(digest, settings.digest.subject_prefix),
        sender=settings.digest.sender or "claimwatch@localhost",
        recipients=settings.digest.recipients,
        date=now,
    )
    return message.build(
        envelope, render.render_text(digest), render.render_html(digest, sources), inline
    )


def _without_last_keyframes(digest: Digest, excess: int) -> Digest | None:
    """The digest without the last keyframes whose encoded size makes up `excess` bytes
    (one rebuild then usually fits), or None when no keyframe is left to drop."""
    footage, dropped = list(digest.footage), 0
    for index in reversed(range(len(footage))):
        for side in ("later", "earlier"):
            thumbnail = getattr(footage[index], side).thumbnail
            if thumbnail is not None and dropped < excess:
                footage[index] = _drop(footage[index], side)
                dropped += len(thumbnail) * 4 // 3  # base64 in the message
    if dropped == 0:
        return None
    return dataclasses.replace(digest, footage=tuple(footage))


def _drop(line: FootageLine, side: str) -> FootageLine:
    bare = dataclasses.replace(getattr(line, side), thumbnail=None, missing=LEFT_OUT)
    return dataclasses.replace(line, **{side: bare})


def _ext(subtype: str) -> str:
    return "jpg" if subtype == "jpeg" else subtype
