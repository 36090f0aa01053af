"""Hand a message to the configured SMTP server with the standard library's smtplib.

Errors come back as DeliveryDeferredError when trying again later may work (the server
is unreachable, or answered 4xx) and as DeliveryError when it will not (wrong password,
recipients refused with 5xx), so the caller retries only what a retry can fix. Recipients
refused while others were accepted come back as Refusals, each saying which kind it is.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from email.message import EmailMessage

from claimwatch.errors import DeliveryDeferredError, DeliveryError
from config.settings import SmtpSettings


@dataclass(frozen=True)
class Refusal:
    """The server's answer to a recipient it would not take."""

    code: int
    text: str

    @property
    def temporary(self) -> bool:
        """A 4xx answer (greylisting, a full mailbox): the same recipient may work later."""
        return 400 <= self.code < 500

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


def send(
    message: EmailMessage, smtp: SmtpSettings, recipients: Sequence[str] | None = None
) -> dict[str, Refusal]:
    """Deliver `message` to `recipients` (by default everyone in its To header); returns
    the recipients the server refused while it took the message for the others."""
    where = f"SMTP server {smtp.host}:{smtp.port}"
    try:
        client = _connect(smtp)
        try:
            if smtp.security == "starttls":
                client.starttls(context=tls_context(smtp))
            if smtp.username:
                password = smtp.password.reveal() if smtp.password else ""
                client.login(smtp.username, password)
            refused = client.send_message(message, to_addrs=recipients)
        finally:
            _close(client)
    except smtplib.SMTPResponseException as exc:
        error = DeliveryDeferredError if 400 <= exc.smtp_code < 500 else DeliveryError
        raise error(f"{where} answered {_reply(exc.smtp_code, exc.smtp_error)}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        codes = {code for code, _ in exc.recipients.values()}
        error = DeliveryDeferredError if all(400 <= c < 500 for c in codes) else DeliveryError
        refusals = _refusals(exc.recipients)
        raise error(f"{where} refused every recipient: {refusals}") from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"{where}: {exc}; check smtp.security") from exc
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(
            f"{where}: certificate verify failed: {exc.verify_message}; "
            "trust its CA with smtp.ca_file"
        ) from exc
    except ssl.SSLError as exc:
        raise DeliveryError(f"{where}: TLS failed: {exc.reason or exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryDeferredError(f"{where}: {exc or type(exc).__name__}") from exc
    return {address: Refusal(code, _text(text)) for address, (code, text) in refused.items()}


def _close(client: smtplib.SMTP) -> None:
    """Say goodbye. The server has taken or refused the message by now, so a bad answer to
    QUIT, or none, must not turn a delivered message into a failure (and a second copy)."""
    with suppress(smtplib.SMTPException, OSError):
        client.quit()
    client.close()


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.security == "tls":
        return smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=tls_context(smtp)
        )
    return smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)


def tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """Verify the server against the system CAs, or `ca_file`, unless `verify` is off."""
    context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
    if not smtp.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _refusals(recipients: dict[str, tuple[int, bytes]]) -> str:
    parts = (f"{address} ({_reply(code, text)})" for address, (code, text) in recipients.items())
    return "; ".join(parts)


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {_text(text)}"


def _text(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text
