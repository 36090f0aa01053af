"""Analysts' accounts as the CLI manages them: create, re-password, remove, API tokens."""

from __future__ import annotations

from claimwatch.errors import InputError
from config.settings import Settings
from review.passwords import hash_password
from review.secret import secret_key
from review.tokens import Tokens
from storage import Store
from storage.users import User, check_name


def add_user(store: Store, name: str, password: str) -> User:
    """A new account; the name is checked before the (slow) hashing."""
    return store.users.add(check_name(name), hash_password(password))


def change_password(store: Store, name: str, password: str) -> None:
    """Sets a new password; the user's sessions and API tokens stop working."""
    store.users.set_password(name, hash_password(password))


def api_token(store: Store, settings: Settings, name: str) -> str:
    """A token for `Authorization: Bearer ...`, valid review.api_token_days days."""
    user = store.users.get(name)
    if user is None:
        raise InputError(f"no user named {name!r}: create it with `claimwatch users add {name}`")
    key = secret_key(settings.review, store.data_dir)
    return Tokens(key, settings.review.api_token_days).make(user)
