"""Assemble the digest email: plain text and HTML alternatives, images inline by Content-ID.

The structure mail clients expect is

    multipart/alternative
    ├── text/plain
    └── multipart/related
        ├── text/html          (refers to images as cid:...)
        └── image/png|jpeg ... (Content-Disposition: inline)
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML shows; `cid` is its Content-ID without angle brackets."""

    cid: str
    data: bytes
    subtype: str  # "png" or "jpeg"
    filename: str

    @property
    def mime(self) -> str:
        return f"image/{self.subtype}"


@dataclass(frozen=True)
class Envelope:
    subject: str
    sender: str
    recipients: Sequence[str]
    date: datetime


def content_id(name: str) -> str:
    """A fresh Content-ID for an image named `name`, without angle brackets.

    Short enough that the header is never folded, which some clients handle badly.
    """
    return f"{name}.{uuid.uuid4().hex[:16]}@claimwatch"


def build(envelope: Envelope, text: str, html: str, images: Sequence[InlineImage]) -> EmailMessage:
    """The complete message, ready for smtplib."""
    message = EmailMessage()
    message["Subject"] = envelope.subject
    message["From"] = envelope.sender
    message["To"] = ", ".join(envelope.recipients)
    message["Date"] = format_datetime(envelope.date)
    message["Message-ID"] = make_msgid(domain=_domain(envelope.sender))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    html_part = list(message.iter_parts())[1]
    assert isinstance(html_part, EmailMessage)
    for image in images:
        html_part.add_related(
            image.data,
            "image",
            image.subtype,
            cid=f"<{image.cid}>",
            disposition="inline",
            filename=image.filename,
        )
    return message


def _domain(address: str) -> str | None:
    _, _, domain = address.rpartition("@")
    return domain.strip(" >") or None
