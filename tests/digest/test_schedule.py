"""The scheduling rule: which 24 hours a day's digest covers, which days are due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import config
from claimwatch.errors import ConfigError
from digest import schedule

BAGHDAD = ZoneInfo("Asia/Baghdad")
SEVEN = time(7, 0)


def test_a_day_covers_the_24_hours_to_its_local_send_time() -> None:
    start, end = schedule.window(date(2026, 11, 20), SEVEN, BAGHDAD)
    assert end == datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=24)


def test_the_due_day_turns_over_at_the_local_send_time() -> None:
    before = datetime(2026, 11, 20, 3, 59, tzinfo=UTC)  # 06:59 in Baghdad
    at = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
    assert schedule.due_day(before, SEVEN, BAGHDAD) == date(2026, 11, 19)
    assert schedule.due_day(at, SEVEN, BAGHDAD) == date(2026, 11, 20)


def test_late_evening_utc_is_already_tomorrow_in_baghdad() -> None:
    late = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)  # 01:30 on the 21st in Baghdad
    assert schedule.due_day(late, SEVEN, BAGHDAD) == date(2026, 11, 20)


def test_catch_up_is_bounded_and_starts_after_the_last_sent_day() -> None:
    now = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)
    due = date(2026, 11, 20)
    assert schedule.days_to_send(now, SEVEN, BAGHDAD, None) == [due]
    assert schedule.days_to_send(now, SEVEN, BAGHDAD, due) == [due]
    assert schedule.days_to_send(now, SEVEN, BAGHDAD, due - timedelta(days=2)) == [
        due - timedelta(days=1),
        due,
    ]
    long_ago = schedule.days_to_send(now, SEVEN, BAGHDAD, due - timedelta(days=30))
    assert len(long_ago) == schedule.CATCH_UP_DAYS and long_ago[-1] == due


def test_retries_back_off_up_to_a_ceiling() -> None:
    delays = [schedule.retry_delay(n) for n in range(1, 8)]
    assert delays[0] == schedule.FIRST_RETRY
    assert delays == sorted(delays) and delays[-1] == schedule.LONGEST_RETRY
    assert schedule.retry_delay(10_000) == schedule.LONGEST_RETRY


def test_recipient_order_and_case_do_not_make_a_new_list() -> None:
    assert schedule.recipients_key(["B@x.org", " a@x.org"]) == schedule.recipients_key(
        ["a@x.org", "b@x.org"]
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('send_at = "7am"', r"digest.send_at is '7am'"),
        ('send_at = "25:00"', r"digest.send_at is '25:00'"),
        ('timezone = "Mars/Olympus"', r"digest.timezone is 'Mars/Olympus'"),
        ("enabled = true", r"set digest.recipients and digest.sender"),
    ],
)
def test_bad_digest_settings_name_the_key(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "claimwatch.toml"
    path.write_text(f"[digest]\n{line}\n")
    with pytest.raises(ConfigError, match=message):
        config.load(path, {})


def test_the_busiest_day_is_the_one_whose_digest_covers_most_moments() -> None:
    one = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # covered by the digest of the 19th
    burst = [datetime(2026, 11, 20, 3, m, tzinfo=UTC) for m in (1, 2)]  # 06:0x in Baghdad
    assert schedule.busiest_day([one, *burst], SEVEN, BAGHDAD) == date(2026, 11, 20)
    assert schedule.busiest_day([], SEVEN, BAGHDAD) is None
