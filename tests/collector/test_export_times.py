"""A post's time from an export is archived as the export gives it, fraction and all, or
refused when the archive could only round it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from claimwatch.errors import ExportError
from claimwatch.importing import import_tg_export
from storage import Store
from tests.exports import BASE_TIME, message, write_export

AT = datetime.fromtimestamp(BASE_TIME, UTC)


def test_a_fraction_of_a_second_is_kept_and_a_second_import_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    write_export(
        tmp_path / "export",
        [
            message(1, "a", date_unixtime=BASE_TIME + 0.25),  # a JSON number
            message(2, "b", date_unixtime=f"{BASE_TIME}.123456", edited_unixtime=f"{BASE_TIME}.5"),
            message(3, "c", date_unixtime=f"{BASE_TIME}.000000"),
        ],
    )
    import_tg_export(store, tmp_path / "export")
    again = import_tg_export(store, tmp_path / "export")

    found = [store.archive.find("telegram", "1234567890", n) for n in (1, 2, 3)]
    assert [f.post.posted_at for f in found if f] == [
        AT + timedelta(microseconds=250_000),
        AT + timedelta(microseconds=123_456),
        AT,
    ]
    assert found[1] is not None
    assert found[1].post.edited_at == AT + timedelta(microseconds=500_000)
    assert (again.result.new_posts, again.result.new_revisions, again.result.unchanged) == (0, 0, 3)


@pytest.mark.parametrize("value", [f"{BASE_TIME}.1234567", BASE_TIME + 0.1234567])
def test_a_time_finer_than_a_microsecond_is_refused_not_rounded(
    store: Store, tmp_path: Path, value: object
) -> None:
    write_export(tmp_path / "export", [message(1, "a"), message(2, "b", date_unixtime=value)])
    with pytest.raises(ExportError) as refused:
        import_tg_export(store, tmp_path / "export")
    assert str(refused.value).endswith(
        f"message #2 (id 2): 'date_unixtime' is {BASE_TIME}.1234567, finer than the "
        "microsecond the archive keeps a time to; refused rather than rounded"
    )
    assert store.archive.counts()["posts"] == 0


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e400", "", "soon"])
def test_a_time_that_is_no_number_of_seconds_is_refused(
    store: Store, tmp_path: Path, value: str
) -> None:
    write_export(tmp_path / "export", [message(1, "a", date_unixtime=value)])
    with pytest.raises(ExportError, match="'date_unixtime' is missing or not a Unix time"):
        import_tg_export(store, tmp_path / "export")
    assert store.archive.counts()["posts"] == 0
