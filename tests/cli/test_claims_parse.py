"""`claimwatch claims parse` as an analyst uses it: one post on stdin, the claim out."""

from __future__ import annotations

import json

from click.testing import CliRunner

from claimwatch.cli.main import cli

CLAIM = (
    "استمراراً بنهجنا في مقاومة الاحتلال، استهدف مجاهدو المقاومة الإسلامية في العراق، "
    "فجر اليوم، هدفاً حيوياً في أم الرشراش المحتلة، بواسطة الطيران المسيّر."
)


def parse(text: str | bytes, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["claims", "parse", *args], input=text)
    return result.exit_code, result.output


def test_json_output_has_every_field() -> None:
    code, out = parse(CLAIM, "--json", "--posted-at", "2024-10-13T02:00:00Z")
    assert code == 0
    data = json.loads(out)
    assert data["is_claim"] is True and data["group"] == "Islamic Resistance in Iraq"
    assert data["targets"] == [
        {"name": "Eilat", "name_ar": "أم الرشراش (إيلات)", "country": "Israel",
         "lat": 29.5577, "lon": 34.9519, "alert_areas": ["אילת"]},
    ]  # fmt: skip
    assert data["weapons"] == [{"category": "drone", "system": None}]
    assert (data["claimed_date"], data["part_of_day"]) == ("2024-10-13", "dawn")
    assert data["operations"] == 1 and data["vague_target"] is False
    assert data["evidence"] and data["extractor"].startswith("rules-")


def test_posted_at_decides_what_today_means() -> None:
    _, late = parse(CLAIM, "--json", "--posted-at", "2024-10-12T20:59:00Z")  # 23:59 Baghdad
    _, early = parse(CLAIM, "--json", "--posted-at", "2024-10-12T21:01:00+00:00")  # 00:01
    assert json.loads(late)["claimed_date"] == "2024-10-12"
    assert json.loads(early)["claimed_date"] == "2024-10-13"


def test_text_output_for_a_claim_and_a_non_claim() -> None:
    code, out = parse(CLAIM, "--posted-at", "2024-10-13T02:00:00Z")
    assert code == 0
    assert "group: Islamic Resistance in Iraq" in out and "Eilat" in out
    assert "when: 2024-10-13 dawn" in out
    code, out = parse("بقلوب يعتصرها الألم نعزي الأمة باستشهاد القائد")
    assert code == 0 and out.startswith("not an attack claim")


def test_hostile_markup_is_shown_as_text() -> None:
    code, out = parse("[bold red]استهدف[/] مجاهدو المقاومة الإسلامية في العراق حيفا \x1b[31m")
    assert code == 0 and "\x1b" not in out and "Haifa" in out


def test_bad_input_is_refused_with_a_clear_message() -> None:
    code, out = parse(b"\xff\xfe\xfa")
    assert code == 1 and "not UTF-8" in out
    code, out = parse("   \n")
    assert code == 1 and "no post text on stdin" in out
    code, out = parse(CLAIM, "--posted-at", "yesterday")
    assert code == 2 and "--posted-at" in out and "ISO 8601" in out


def test_a_posting_time_no_post_can_have_is_refused() -> None:
    for when in ("9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"):
        code, out = parse(CLAIM, "--posted-at", when)
        assert code == 2 and f"'{when}' is outside the years 1970-2100" in out


def test_the_early_hours_are_shown_in_words_and_kept_as_a_code_in_json() -> None:
    early = CLAIM.replace("فجر اليوم", "في الساعات الأولى من صباح اليوم")
    _, out = parse(early, "--posted-at", "2024-10-13T02:00:00Z")
    assert "when: 2024-10-13 early hours" in out
    _, out = parse(early, "--json", "--posted-at", "2024-10-13T02:00:00Z")
    assert json.loads(out)["part_of_day"] == "early_hours"
