"""The accounts and decision history the review page keeps, on every database backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from claimwatch.errors import InputError
from storage import Store
from storage.records import Verdict

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_users_are_added_listed_and_refused_twice(store: Store) -> None:
    store.users.add("zainab", "$argon2id$hash-1")
    store.users.add("adam.k", "$argon2id$hash-2")
    assert [u.name for u in store.users.all()] == ["adam.k", "zainab"]
    assert store.users.get("zainab").password_hash == "$argon2id$hash-1"  # type: ignore[union-attr]
    with pytest.raises(InputError, match="already exists"):
        store.users.add("zainab", "$argon2id$other")
    assert store.users.get("nobody") is None


def test_malformed_user_names_are_refused(store: Store) -> None:
    for name in ["", "a b", "<script>", "x" * 65, "-dash", "\u202eevil", "zainab\n"]:
        with pytest.raises(InputError, match="not allowed"):
            store.users.add(name, "$argon2id$hash")
    assert store.users.all() == []


def test_password_change_and_removal(store: Store) -> None:
    store.users.add("zainab", "old")
    store.users.set_password("zainab", "new")
    assert store.users.get("zainab").password_hash == "new"  # type: ignore[union-attr]
    store.users.remove("zainab")
    assert store.users.get("zainab") is None
    with pytest.raises(InputError, match="no user"):
        store.users.remove("zainab")


def test_verdict_history_is_kept_in_order_per_target(store: Store) -> None:
    first = Verdict("match", 7, "zainab", "recycled", "same drone, 2023 footage", T0)
    second = Verdict("match", 7, "adam", "legitimate", "second angle", T0 + timedelta(minutes=5))
    other = Verdict("claim", 7, "zainab", "doubtful", "", T0)
    for verdict in (second, other, first):
        store.verdicts.add(verdict)
    assert store.verdicts.for_target("match", 7) == [first, second]
    assert store.verdicts.for_target("claim", 7) == [other]
    assert store.verdicts.for_target("match", 8) == []
    # Equal times fall back to the order they were recorded in.
    assert store.verdicts.recent(limit=2) == [second, first]
    assert store.verdicts.recent(reviewer="adam") == [second]


def test_verdicts_keep_hostile_notes_verbatim(store: Store) -> None:
    note = "<script>alert(1)</script> \u202e تم التحقق"
    store.verdicts.add(Verdict("match", 1, "zainab", "not_same", note, T0))
    assert store.verdicts.for_target("match", 1)[0].note == note


def test_verdicts_refuse_unknown_targets_and_naive_times(store: Store) -> None:
    with pytest.raises(InputError, match="target"):
        store.verdicts.add(Verdict("post", 1, "z", "x", "", T0))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="zone"):
        store.verdicts.add(Verdict("match", 1, "z", "x", "", T0.replace(tzinfo=None)))
