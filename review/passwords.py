"""Password hashing for analysts' accounts (argon2id), and the rules a password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from claimwatch.errors import InputError, StorageError

MIN_LENGTH = 10
MAX_LENGTH = 1024
_hasher = PasswordHasher()
# Checked against when the user name is unknown, so a wrong name costs as long as a
# wrong password and response times do not reveal which names exist.
_DUMMY_HASH = _hasher.hash("claimwatch: no such user")


def check_new_password(password: str) -> str:
    """The password itself, or an InputError saying what is wrong with it."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"the password is too short: use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(f"the password is too long: use at most {MAX_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_new_password(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; always spends the time of one argon2 check."""
    if password_hash is None or len(password) > MAX_LENGTH:
        _verify(_DUMMY_HASH, password[:MAX_LENGTH])
        return False
    return _verify(password_hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except VerifyMismatchError:
        return False
    except (InvalidHashError, VerificationError) as exc:
        raise StorageError(f"a stored password hash is unreadable: {exc}") from None
