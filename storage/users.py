"""Analysts who may log in to the review page.

Only the password hash is stored (argon2, computed by review/passwords.py); the name is
what verdicts record as their reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from claimwatch.errors import InputError
from storage.models import UserRow
from storage.timeutil import utcnow

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str
    created_at: datetime
    signed_out_at: datetime | None = None  # review sessions begun before it are void


def check_name(name: str) -> str:
    """The name itself, or an InputError saying which characters a user name may have."""
    if not _NAME.fullmatch(name):
        raise InputError(
            f"user name {name!r} is not allowed: use 1-64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    return name


class Users:
    """The analysts' accounts."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, name: str, password_hash: str) -> User:
        """Create an account; refuses a name that is taken or malformed."""
        row = UserRow(name=check_name(name), password_hash=password_hash, created_at=utcnow())
        try:
            with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            raise InputError(f"user {name!r} already exists") from None
        return _record(row)

    def get(self, name: str) -> User | None:
        with self._sessions() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            return None if row is None else _record(row)

    def set_password(self, name: str, password_hash: str) -> None:
        with self._sessions.begin() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                raise InputError(f"no user named {name!r}")
            row.password_hash = password_hash

    def sign_out(self, name: str) -> None:
        """End every review-page session of `name` begun until now (API tokens stay)."""
        with self._sessions.begin() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                raise InputError(f"no user named {name!r}")
            row.signed_out_at = utcnow()

    def remove(self, name: str) -> None:
        """Delete an account; the verdicts it gave keep its name."""
        with self._sessions.begin() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                raise InputError(f"no user named {name!r}")
            session.delete(row)

    def all(self) -> list[User]:
        with self._sessions() as session:
            return [_record(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def _record(row: UserRow) -> User:
    return User(
        name=row.name,
        password_hash=row.password_hash,
        created_at=row.created_at,
        signed_out_at=row.signed_out_at,
    )
