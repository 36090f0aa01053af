"""Which posts are attack claims: counts of operations in a claim against tallies of many."""

from __future__ import annotations

from datetime import datetime

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
