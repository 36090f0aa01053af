"""Every error claimwatch raises on purpose, in one hierarchy.

    ClaimwatchError                 base: the message is meant for the operator, as is
    ├── ConfigError                 a missing or wrong setting (names the key and the file)
    ├── InputError                  input we refuse: it names what was wrong and where
    │   ├── ExportError             a Telegram Desktop export that cannot be read
    │   ├── UnsafePathError         a path that escapes the folder it must stay in
    │   ├── MediaTooLargeError      a media file over the configured size limit
    │   ├── MediaDecodeError        a media file that is corrupt or not a video/image
    │   └── ChannelIdMismatchError  posts of another channel than the one archived under
    │                               their handle (the username passed to another channel)
    ├── StorageError                the database or the media store refused an operation
    ├── SourceError                 a collection source failed (network, platform, auth)
    │   ├── NoPreviewError          a Telegram channel has no public web preview
    │   └── RateLimitedError        the platform asked us to wait (carries retry_after)
    ├── DeliveryError               an email could not be delivered
    │   └── DeliveryDeferredError   the mail server may accept it later (retry)
    └── ServiceError                `claimwatch run` cannot start (another one runs, the
                                    review page's port is taken)

Code that catches an error records it where an operator sees it (`claimwatch status`)
and goes on; it never swallows it and returns None.
"""

from __future__ import annotations


class ClaimwatchError(Exception):
    """Base class: the message is shown to the operator as is."""


class ConfigError(ClaimwatchError):
    """A setting is missing or wrong."""


class InputError(ClaimwatchError):
    """Input that claimwatch refuses; the message names what was wrong."""


class ExportError(InputError):
    """A Telegram Desktop export that cannot be read."""


class UnsafePathError(InputError):
    """A path that would escape the folder it must stay in."""


class MediaTooLargeError(InputError):
    """A media file over the configured size limit."""


class MediaDecodeError(InputError):
    """A media file that is corrupt, truncated or of an unknown kind."""


class ChannelIdMismatchError(InputError):
    """Posts whose channel id differs from the id of the channel archived under their handle.

    Storing them would file one channel's posts as another's (a username re-registered
    after a ban, or an export of the wrong channel), so they are refused whole.
    """


class StorageError(ClaimwatchError):
    """The database or the media store refused an operation."""


class SourceError(ClaimwatchError):
    """A collection source failed."""


class NoPreviewError(SourceError):
    """A Telegram channel without a public web preview."""


class RateLimitedError(SourceError):
    """The platform asked us to wait before the next request."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeliveryError(ClaimwatchError):
    """An email could not be delivered."""


class DeliveryDeferredError(DeliveryError):
    """The mail server was unreachable or answered 4xx: the same message may go later."""


class ServiceError(ClaimwatchError):
    """The background service cannot start or keep running."""
