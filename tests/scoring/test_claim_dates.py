"""The claimed date and weekday when a post also carries dates: the attack's own, or the
statement's date line in Gregorian and Hijri form."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scoring.extract import extract
from storage.records import Extraction

SUNDAY_MORNING = "2024-10-13T05:00:00Z"  # 08:00 in Baghdad, Sunday 13 October 2024


def claim(when: str, footer: str = "", posted: str = SUNDAY_MORNING) -> Extraction:
    text = (
        "بسم الله الرحمن الرحيم\n"
        "استمراراً في نهجنا في مقاومة قوات الاحتلال، هاجم مجاهدو المقاومة الإسلامية في "
        f"العراق، {when}، بواسطة الطيران المسيّر، هدفاً حيوياً في أراضينا المحتلة (أم الرشراش).\n"
        f"{footer}"
    )
    return extract(text, datetime.fromisoformat(posted.replace("Z", "+00:00")))


@pytest.mark.parametrize(
    "when",
    [
        "مساء أمس السبت ١٢-١٠-٢٠٢٤",
        "مساء أمس الموافق ١٢/١٠/٢٠٢٤",
        "مساء أمس (١٢ تشرين الأول ٢٠٢٤)",
        "مساء يوم أمس السبت الموافق ٢٠٢٤/١٠/١٢",
    ],
)
def test_a_date_written_next_to_yesterday_is_the_attacks_own_date(when: str) -> None:
    got = claim(when)
    assert (got.claimed_date, got.part_of_day) == (date(2024, 10, 12), "evening")


def test_the_same_in_an_english_translation() -> None:
    got = extract(
        "The mujahideen of the Islamic Resistance in Iraq attacked a vital target in Eilat "
        "with drones yesterday evening, Saturday 12 October 2024.",
        datetime.fromisoformat("2024-10-13T05:00:00+00:00"),
    )
    assert got.claimed_date == date(2024, 10, 12) and got.stated_weekday == "Saturday"


def test_yesterday_still_counts_back_from_the_statements_date_line() -> None:
    got = claim("مساء أمس", footer="١٣-١٠-٢٠٢٤", posted="2024-10-15T05:00:00Z")  # reposted late
    assert got.claimed_date == date(2024, 10, 12)


@pytest.mark.parametrize(
    "footer",
    [
        "الأحد ١٣-١٠-٢٠٢٤",
        "الأحد ١٠ ربيع الآخر ١٤٤٦هـ",
        "الأحد ١٠ ربيع الآخر ١٤٤٦ هـ الموافق ١٣ تشرين الأول ٢٠٢٤ م",
        "الأحد ١٠/٤/١٤٤٦هـ - ١٣/١٠/٢٠٢٤م",
    ],
)
def test_the_weekday_of_the_statements_date_line_is_not_the_attacks(footer: str) -> None:
    got = claim("مساء أمس", footer=footer)
    assert got.claimed_date == date(2024, 10, 12) and got.stated_weekday is None


@pytest.mark.parametrize(
    ("footer", "weekday"),
    [
        ("الأحد ١٠ ربيع الآخر ١٤٤٦هـ", "Sunday"),
        ("الأحد ١٣-١٠-٢٠٢٤", "Sunday"),
        ("الثلاثاء ١٠ ربيع الآخر ١٤٤٦هـ", "Tuesday"),  # wrong, and kept so the scorer sees it
    ],
)
def test_a_date_lines_weekday_stands_when_the_attack_is_that_day(footer: str, weekday: str) -> None:
    got = claim("فجر اليوم", footer=footer)
    assert got.claimed_date == date(2024, 10, 13) and got.stated_weekday == weekday


@pytest.mark.parametrize(
    ("when", "day", "part", "weekday"),
    [
        ("وفجر الجمعة", date(2024, 10, 11), "dawn", "Friday"),
        ("وصباح اليوم", date(2024, 10, 13), "morning", None),
        ("ومساء أمس", date(2024, 10, 12), "evening", None),
        ("وليلة السبت", date(2024, 10, 12), "night", "Saturday"),
    ],
)
def test_a_time_word_behind_and_still_dates_the_attack(
    when: str, day: date, part: str, weekday: str | None
) -> None:
    text = (
        "بسم الله الرحمن الرحيم\n"
        f"استمراراً في نهجنا في مقاومة قوات الاحتلال، {when} هاجم مجاهدو المقاومة الإسلامية في "
        "العراق، بواسطة الطيران المسيّر، هدفاً حيوياً في أم الرشراش."
    )
    got = extract(text, datetime.fromisoformat("2024-10-13T05:00:00+00:00"))
    assert (got.claimed_date, got.part_of_day, got.stated_weekday) == (day, part, weekday)


CLAIMANT = "مجاهدو المقاومة الإسلامية في العراق"


@pytest.mark.parametrize(
    ("text", "day", "part", "weekday"),
    [
        (f"رداً على مجازر العدو بحق أهلنا في غزة يوم ١٧-١٠-٢٠٢٣، استهدف {CLAIMANT} فجر اليوم "
         "هدفاً حيوياً في أم الرشراش بالطيران المسيّر.", date(2024, 10, 13), "dawn", None),
        (f"استهدف {CLAIMANT} فجر اليوم هدفاً حيوياً في أم الرشراش بالطيران المسيّر، رداً على "
         "مجزرة مستشفى المعمداني يوم ١٧ تشرين الأول ٢٠٢٣.", date(2024, 10, 13), "dawn", None),
        ("The Islamic Resistance in Iraq said it attacked a vital target in Eilat with drones at "
         "dawn today, in response to the massacre of 7 October 2024 in Jabalia.",
         date(2024, 10, 13), "dawn", None),
        # The motive's day is no date for an attack that gives none.
        ("In response to the massacre of 7 October in Jabalia, the Islamic Resistance in Iraq "
         "attacked a vital target in Eilat with drones.", None, None, None),
        (f"رداً على مجازر العدو في جباليا يوم الاثنين ٧-١٠-٢٠٢٤، استهدف {CLAIMANT} هدفاً حيوياً "
         "في أم الرشراش بالطيران المسيّر.", None, None, None),
        (f"رداً على مجازر العدو في جباليا مساء أمس، استهدف {CLAIMANT} هدفاً حيوياً في أم الرشراش "
         "بالطيران المسيّر.", None, None, None),
        (f"ثأراً لشهداء مجزرة يوم الجمعة، استهدف {CLAIMANT} هدفاً حيوياً في أم الرشراش بالطيران "
         "المسيّر.", None, None, None),
    ],
)  # fmt: skip
def test_a_day_named_in_the_motive_is_not_the_attacks(
    text: str, day: date | None, part: str | None, weekday: str | None
) -> None:
    got = extract(text, datetime.fromisoformat("2024-10-13T05:00:00+00:00"))
    assert got.is_claim
    assert (got.claimed_date, got.part_of_day, got.stated_weekday) == (day, part, weekday)


@pytest.mark.parametrize(
    "text",
    [
        f"رداً على مجازر العدو في جباليا، فجر اليوم، استهدف {CLAIMANT} هدفاً حيوياً في أم الرشراش.",
        f"استهدف {CLAIMANT} هدفاً حيوياً في أم الرشراش، رداً على مجازر العدو في جباليا، وذلك فجر "
        "اليوم.",
        "The Islamic Resistance in Iraq attacked a vital target in Eilat with drones in response "
        "to the massacres in Gaza, at dawn today.",
    ],
)
def test_a_time_clause_beside_the_motive_still_dates_the_attack(text: str) -> None:
    got = extract(text, datetime.fromisoformat("2024-10-13T05:00:00+00:00"))
    assert (got.claimed_date, got.part_of_day) == (date(2024, 10, 13), "dawn")


@pytest.mark.parametrize(
    ("when", "footer", "posted", "day"),
    [
        # A re-post a day or a week later carries the statement's own Hijri date line.
        ("فجر اليوم", "الأحد ١٠ ربيع الآخر ١٤٤٦هـ", "2024-10-14T09:00:00Z", date(2024, 10, 13)),
        ("فجر اليوم", "الأحد ١٠/٤/١٤٤٦هـ", "2024-10-20T09:00:00Z", date(2024, 10, 13)),
        ("مساء أمس", "الأحد ١٠ ربيع الآخر", "2024-10-15T09:00:00Z", date(2024, 10, 12)),
        ("مساء اليوم", "الاثنين ١ رمضان ١٤٤٥هـ", "2024-03-12T06:00:00Z", date(2024, 3, 11)),
        # No weekday to pin the sighted month's day: the post's own date, as before.
        ("فجر اليوم", "١٠ ربيع الآخر ١٤٤٦هـ", "2024-10-14T09:00:00Z", date(2024, 10, 14)),
    ],
)
def test_a_hijri_date_line_dates_a_statement_reposted_later(
    when: str, footer: str, posted: str, day: date
) -> None:
    assert claim(when, footer=footer, posted=posted).claimed_date == day
