"""API tokens for analysts' notebooks: a signed, dated user name, no state on the server.

A token is valid for `review.api_token_days` after it was made, only while its user
exists and only until the password is changed. It is signed with the session key under
its own salt, so a session cookie is never accepted as a token, nor the other way round.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, URLSafeTimedSerializer

from storage.users import User

SALT = "claimwatch-api-token"


class Tokens:
    """Makes and checks API tokens."""

    def __init__(self, secret: str, max_age_days: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self._max_age = max_age_days * 86400

    def make(self, user: User) -> str:
        return self._serializer.dumps({"u": user.name, "p": password_mark(user)})

    def read(self, token: str) -> tuple[str, str] | None:
        """(user name, password mark) of a valid token; None for a forged or expired one."""
        try:
            data = self._serializer.loads(token, max_age=self._max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), str):
            return None
        return data["u"], str(data.get("p"))


def password_mark(user: User) -> str:
    """A short digest of the password hash: changing the password voids older log-ins."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
