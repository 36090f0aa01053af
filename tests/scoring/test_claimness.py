"""Which posts are attack claims: counts of operations in a claim against tallies of many."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scoring.extract import extract

POSTED = datetime.fromisoformat("2024-10-13T05:00:00+00:00")


@pytest.mark.parametrize(
    ("text", "operations", "targets"),
    [
        ("The Islamic Resistance in Iraq said it carried out 2 operations against Eilat and "
         "Haifa with drones at dawn today.", 2, ["Eilat", "Haifa"]),
        ("Islamic Resistance in Iraq claims 3 attacks on US occupation bases at al-Tanf, "
         "Rmelan and al-Shaddadi overnight", 3, ["al-Tanf", "Rmelan (Kharab al-Jir)",
                                                  "al-Shaddadi"]),
        ("نفذ مجاهدو المقاومة الإسلامية في العراق فجر اليوم ٣ عمليات بالطيران المسيّر على "
         "أهداف في الجولان المحتل وطبريا.", 3, ["Golan Heights", "Tiberias"]),
        ("أطلق مجاهدو المقاومة الإسلامية في العراق عشرات الصواريخ على قاعدة عين الأسد.", 1,
         ["Ain al-Asad Air Base"]),
    ],
)  # fmt: skip
def test_a_claim_stating_how_many_operations_is_a_claim(
    text: str, operations: int, targets: list[str]
) -> None:
    got = extract(text, POSTED)
    assert got.is_claim and got.operations == operations
    assert [t.name for t in got.targets] == targets


@pytest.mark.parametrize(
    "text",
    [
        "نفذ مجاهدو المقاومة الإسلامية في العراق أكثر من ٢٠٠ عملية منذ بدء معركة طوفان "
        "الأقصى، استهدفت أم الرشراش وحيفا والجولان المحتل.",
        "منذ السابع من أكتوبر، هاجم مجاهدو المقاومة الإسلامية في العراق قواعد الاحتلال "
        "الأمريكي في عين الأسد وحرير والتنف عشرات المرات.",
        "استهدف مجاهدو المقاومة الإسلامية في العراق خلال عام كامل مئات الأهداف في أراضينا المحتلة.",
        "بيان: تعلن المقاومة الإسلامية في العراق تعليق عملياتها ضد الكيان الصهيوني، بعد أن "
        "استهدف مجاهدونا على مدى عام أكثر من ٣٠٠ هدف في عمق الكيان، ومنها إيلات وحيفا.",
        "In a year of support for Gaza, the Islamic Resistance in Iraq carried out 250 "
        "operations against Eilat, Haifa and the Golan.",
        "The Islamic Resistance in Iraq attacked US bases in Syria dozens of times this year.",
    ],
)
def test_a_tally_of_past_operations_is_not_a_claim(text: str) -> None:
    got = extract(text, POSTED)
    assert not got.is_claim and got.targets == ()


@pytest.mark.parametrize(
    "text",
    [
        "في مثل هذا اليوم من العام الماضي، استهدف مجاهدو المقاومة الإسلامية في العراق قاعدة "
        "عين الأسد بالصواريخ، رداً على جرائم الاحتلال الأمريكي.",
        "A year ago today, the Islamic Resistance in Iraq targeted Eilat with drones for the "
        "first time.",
    ],
)
def test_a_memory_of_last_years_attack_is_not_a_claim(text: str) -> None:
    got = extract(text, POSTED)
    assert not got.is_claim and got.claimed_date is None


def test_a_claim_made_on_an_anniversary_is_a_claim() -> None:
    got = extract(
        "في مثل هذا اليوم ارتكب العدو الأمريكي جريمة المطار، واليوم هاجم مجاهدو المقاومة "
        "الإسلامية في العراق، فجر اليوم، قاعدة عين الأسد بالطيران المسيّر.",
        POSTED,
    )
    assert got.is_claim and [t.name for t in got.targets] == ["Ain al-Asad Air Base"]


@pytest.mark.parametrize(
    "text",
    [
        "هل استهدف مجاهدو المقاومة الإسلامية قاعدة عين الأسد؟",
        "عاجل | هل هاجمت المقاومة الإسلامية في العراق فجر اليوم قاعدة حرير في أربيل؟",
        "ما حقيقة استهداف المقاومة الإسلامية في العراق قاعدة حرير بالطيران المسيّر؟",
        "مجاهدو المقاومة الإسلامية استهدفوا ميناء حيفا الليلة؟",
        "Did the Islamic Resistance target Ain al-Asad base?",
        "Did the Islamic Resistance in Iraq's drones hit Ain al-Asad base last night?",
        "Has the Islamic Resistance in Iraq attacked the US base at Harir in Erbil?",
        "Why did the Islamic Resistance in Iraq's fighters hit Eilat port this morning, and not "
        "Haifa?",
    ],
)
def test_a_question_about_an_attack_is_not_a_claim(text: str) -> None:
    got = extract(text, POSTED)
    assert not got.is_claim and got.targets == () and got.group is None


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("هل ظنّ العدو أن جرائمه في غزة ستمر دون رد؟ استهدف مجاهدو المقاومة الإسلامية في "
         "العراق، فجر اليوم، قاعدة عين الأسد بالصواريخ.", ["Ain al-Asad Air Base"]),
        ("استهدف مجاهدو المقاومة الإسلامية في العراق، فجر اليوم، ميناء حيفا بالطيران المسيّر، "
         "فهل وصلت الرسالة؟", ["Port of Haifa"]),
        ("The Islamic Resistance in Iraq said it struck Eilat port with drones at dawn today - "
         "who will protect the occupiers now?", ["Port of Eilat"]),
        ("When the Islamic Resistance in Iraq struck Eilat with drones at dawn today, sirens "
         "sounded across the city.", ["Eilat"]),
    ],
)  # fmt: skip
def test_a_claim_beside_a_question_is_still_a_claim(text: str, targets: list[str]) -> None:
    got = extract(text, POSTED)
    assert got.is_claim and [t.name for t in got.targets] == targets


@pytest.mark.parametrize(
    "text",
    [
        "نفذ مجاهدو المقاومة الإسلامية في العراق أكثر من ٢٠٠٠ عملية منذ بدء معركة طوفان الأقصى، "
        "استهدفت أم الرشراش وحيفا والجولان المحتل.",
        "استهدف مجاهدو المقاومة الإسلامية في العراق ما يزيد على ١٩٠٠ هدف في عمق الكيان، ومنها "
        "ميناء حيفا.",
        "The Islamic Resistance in Iraq has carried out more than 2,000 operations against Eilat, "
        "Haifa and the Golan.",
        "The Islamic Resistance in Iraq launched over 2000 attacks on US bases at Ain al-Asad "
        "and Harir.",
        "هاجم مجاهدو المقاومة الإسلامية في العراق قاعدة عين الأسد وقاعدة حرير ١٬٥٠٠ مرة.",
    ],
)
def test_a_tally_in_the_thousands_is_not_a_claim(text: str) -> None:
    got = extract(text, POSTED)
    assert not got.is_claim and got.targets == ()


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # A date in 2024 is no tally, even before "هدفاً".
        ("استهدف مجاهدو المقاومة الإسلامية في العراق فجر يوم ١٢-١٠-٢٠٢٤ هدفاً حيوياً في أم "
         "الرشراش.", "2024-10-12"),
        ("أطلق مجاهدو المقاومة الإسلامية في العراق صاروخ كروز على إيلات في أكتوبر 2024 "
         "هجوماً هو الأول من نوعه.", None),
    ],
)  # fmt: skip
def test_a_year_beside_an_operations_word_is_not_a_tally(text: str, day: str | None) -> None:
    got = extract(text, POSTED)
    assert got.is_claim and [t.name for t in got.targets] == ["Eilat"]
    assert str(got.claimed_date) == str(day)


WEDNESDAY = datetime.fromisoformat("2024-10-16T09:00:00+00:00")  # 12:00 in Baghdad


@pytest.mark.parametrize(
    ("text", "targets", "part"),
    [
        ("في مثل هذا اليوم ارتكب العدو الأمريكي جريمة اغتيال قادة النصر في مطار بغداد، وفجر "
         "الأحد هاجم مجاهدو المقاومة الإسلامية في العراق قاعدة عين الأسد بالطيران المسيّر.",
         ["Ain al-Asad Air Base"], "dawn"),
        ("#في_مثل_هذا_اليوم اغتالت أمريكا قادة النصر في مطار بغداد.\nوثأراً لدمائهم، استهدف "
         "مجاهدو المقاومة الإسلامية في العراق مساء يوم الأحد قاعدة حرير بصاروخين.",
         ["Harir Air Base"], "evening"),
        ("On this day in 2020 the US assassinated the commanders of victory at Baghdad airport. "
         "Early Sunday, the Islamic Resistance in Iraq attacked Ain al-Asad air base with drones.",
         ["Ain al-Asad Air Base"], "dawn"),
    ],
)  # fmt: skip
def test_a_claim_dated_by_its_weekday_after_an_anniversary_is_a_claim(
    text: str, targets: list[str], part: str
) -> None:
    got = extract(text, WEDNESDAY)
    assert got.is_claim and [t.name for t in got.targets] == targets
    assert (got.claimed_date, got.stated_weekday, got.part_of_day) == (
        date(2024, 10, 13),
        "Sunday",
        part,
    )


@pytest.mark.parametrize(
    "text",
    [
        "في مثل هذا اليوم من العام الماضي، فجر يوم الأحد، استهدف مجاهدو المقاومة الإسلامية في "
        "العراق قاعدة عين الأسد بالصواريخ.",
        "في مثل هذا اليوم من العام الماضي، استهدف مجاهدو المقاومة الإسلامية في العراق، فجر يوم "
        "الأحد، ميناء أم الرشراش بالطيران المسيّر.",
        "#في_مثل_هذا_اليوم\nهاجم مجاهدو المقاومة الإسلامية في العراق مساء الأحد قاعدة حرير.",
        "On this day last year, early on Sunday, the Islamic Resistance in Iraq targeted Eilat "
        "with drones for the first time.",
    ],
)
def test_a_memory_dated_by_a_weekday_is_still_a_memory(text: str) -> None:
    got = extract(text, WEDNESDAY)
    assert not got.is_claim and got.claimed_date is None
