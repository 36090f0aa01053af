"""The claims and alert commands as an analyst uses them: output, JSON, clear errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from claimwatch.cli.main import cli
from scoring import decisions
from storage import open_store
from storage.records import Verdict
from tests.scoring.helpers import add_post
from tests.scoring.test_pipeline import CLAIM, POSTED, STATEMENT

SAMPLE = Path(__file__).parent / "data" / "oref-sample.csv"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def archive(tmp_path: Path) -> str:
    """A data dir with a claim (with a hostile-looking line) and a statement."""
    data = tmp_path / "data"
    store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 10**8)
    add_post(store, 1, POSTED, CLAIM + "\n[red]not markup[/red]")
    add_post(store, 2, POSTED + timedelta(hours=1), STATEMENT)
    add_post(store, 3, POSTED + timedelta(days=2), CLAIM.replace("أم الرشراش", "حيفا"))
    store.close()
    return str(data)


def test_import_alerts_twice(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    code, out = run("--data-dir", data, "import", "oref-alerts", str(SAMPLE))
    assert code == 0, out
    assert "220 rows, " in out and "(19 hostile aircraft), 2014-07-24 to 2024-10-11 UTC" in out
    code, out = run("--data-dir", data, "import", "oref-alerts", str(SAMPLE))
    assert code == 0 and ": 0 new, in" in out


def test_import_alerts_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("data,date,time,alertDate,category,category_desc,matrix_id,rid\n"
                   "אילת,32.13.2024,02:13:07,x,2,x,6,1\n", encoding="utf-8")  # fmt: skip
    code, out = run("--data-dir", str(tmp_path / "d"), "import", "oref-alerts", str(bad))
    assert code == 1 and "bad.csv, line 2: unreadable alert time" in out
    code, out = run("--data-dir", str(tmp_path / "d"), "import", "oref-alerts", "--live")
    assert code == 1 and "the live alert feed is off" in out
    code, out = run("--data-dir", str(tmp_path / "d"), "import", "oref-alerts")
    assert code == 1 and "give an alert history CSV file or --live" in out


def test_score_list_show(tmp_path: Path) -> None:
    data = archive(tmp_path)
    run("--data-dir", data, "import", "oref-alerts", str(SAMPLE))
    code, out = run("--data-dir", data, "claims", "score")
    assert code == 0, out
    assert "3 posts extracted (2 claims), 2 claims scored, 2 new scores" in out
    code, out = run("--data-dir", data, "claims", "list")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2 and "Haifa" in lines[0] and "Eilat" in lines[1]
    code, out = run("--data-dir", data, "claims", "list", "--json", "--label", "doubtful")
    listed = json.loads(out)
    assert all(c["score"]["label"] == "doubtful" for c in listed)
    claim_id = json.loads(run("--data-dir", data, "claims", "list", "--json")[1])[-1]["id"]
    code, out = run("--data-dir", data, "claims", "show", str(claim_id))
    assert code == 0
    assert "[red]not markup[/red]" in out  # hostile text shown as text, not as markup
    assert "targets: Eilat" in out and "claimed: 2024-09-29 dawn" in out
    assert "alert_missing" in out or "alert_match" in out
    code, out = run("--data-dir", data, "claims", "show", str(claim_id), "--json")
    shown = json.loads(out)
    assert shown["history"][0]["inputs"]["targets"] == ["Eilat"]
    code, out = run("--data-dir", data, "claims", "show", "999")
    assert code == 1 and "there is no claim 999" in out


def test_calibrate_without_enough_verdicts(tmp_path: Path) -> None:
    data = archive(tmp_path)
    run("--data-dir", data, "claims", "score")
    code, out = run("--data-dir", data, "claims", "calibrate")
    assert code == 1
    assert "not enough reviewed claims to calibrate: 0 have a verdict" in out


def test_counts(tmp_path: Path) -> None:
    data = archive(tmp_path)
    run("--data-dir", data, "claims", "score")
    code, out = run("--data-dir", data, "claims", "counts", "--period", "day", "--json")
    assert code == 0
    counted = json.loads(out)["counts"]
    assert [(c["start"], c["claims"]) for c in counted] == [("2024-09-29", 1), ("2024-10-01", 1)]
    code, out = run("--data-dir", data, "claims", "counts", "--by", "channel")
    assert "2024-09-23     1  @sabreen" in out
    assert datetime(2024, 9, 23, tzinfo=UTC).weekday() == 0


def test_counts_since_the_first_day_of_the_calendar(tmp_path: Path) -> None:
    data = archive(tmp_path)
    run("--data-dir", data, "claims", "score")
    code, out = run("--data-dir", data, "claims", "counts", "--since", "0001-01-01", "--json")
    assert code == 0, out
    assert sum(c["claims"] for c in json.loads(out)["counts"]) == 2


def test_list_by_channel_in_any_case_of_its_handle(tmp_path: Path) -> None:
    data = archive(tmp_path)
    run("--data-dir", data, "claims", "score")
    for handle in ("sabreen", "Sabreen", "SABREEN"):
        code, out = run("--data-dir", data, "claims", "list", "--channel", handle, "--json")
        assert code == 0 and [c["channel"] for c in json.loads(out)] == ["sabreen", "sabreen"]
    code, out = run("--data-dir", data, "claims", "list", "--channel", "sabreen_news")
    assert code == 0 and "no claims match" in out


def test_a_claim_cut_inside_an_emoji_is_scored_shown_and_printed_as_json(tmp_path: Path) -> None:
    cut = CLAIM + " \ud83d"  # X cut the text inside an emoji
    data = tmp_path / "data"
    store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 10**8)
    add_post(store, 1, POSTED, cut)
    store.close()
    code, out = run("--data-dir", str(data), "claims", "score")
    assert code == 0 and "1 claim scored" in out, out
    code, out = run("--data-dir", str(data), "claims", "show", "1")
    assert code == 0 and CLAIM + " \ufffd" in out, out
    code, out = run("--data-dir", str(data), "claims", "list")
    assert code == 0 and "Eilat" in out, out
    code, out = run("--data-dir", str(data), "claims", "list", "--json")
    assert code == 0 and "\\ud83d" in out, out  # its JSON escape: the text as archived
    assert json.loads(out)[0]["text"] == cut
    code, out = run("--data-dir", str(data), "claims", "show", "1", "--json")
    assert code == 0 and json.loads(out)["text"] == cut


def test_a_channel_handle_in_an_explanation_is_isolated_in_show_and_json(
    tmp_path: Path,
) -> None:
    """The terminal shows the override as U+FFFD, the handle between FSI and PDI; JSON keeps
    the override, closed before the PDI, so it cannot turn the words after it around."""
    data = tmp_path / "data"
    store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 10**8)
    add_post(store, 1, POSTED, CLAIM, channel="evil\u202eoc")
    store.close()
    assert run("--data-dir", str(data), "claims", "score")[0] == 0
    claim_id = json.loads(run("--data-dir", str(data), "claims", "list", "--json")[1])[0]["id"]
    code, out = run("--data-dir", str(data), "claims", "show", str(claim_id))
    assert code == 0
    assert "@\u2068evil\ufffdoc\u2069 has no reviewed or corroborated claims yet." in out
    code, out = run("--data-dir", str(data), "claims", "show", str(claim_id), "--json")
    (track,) = (f for f in json.loads(out)["score"]["factors"] if f["name"] == "track_record")
    assert track["explanation"] == (
        "@\u2068evil\u202eoc\u202c\u2069 has no reviewed or corroborated claims yet."
    )


def test_an_analyst_name_in_an_evidence_label_is_isolated_in_show_and_json(
    tmp_path: Path,
) -> None:
    """The reviewer's Arabic name is between FSI and PDI, so the time after it stays after it."""
    data = tmp_path / "data"
    store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 10**8)
    add_post(store, 1, POSTED, CLAIM)
    store.close()
    assert run("--data-dir", str(data), "claims", "score")[0] == 0
    claim_id = json.loads(run("--data-dir", str(data), "claims", "list", "--json")[1])[0]["id"]
    store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, 10**8)
    at = POSTED + timedelta(hours=1)
    store.verdicts.add(Verdict("claim", claim_id, "زينب", decisions.CORROBORATED, "", at))
    store.close()
    assert run("--data-dir", str(data), "claims", "score")[0] == 0
    code, out = run("--data-dir", str(data), "claims", "show", str(claim_id))
    label = f"\u2068زينب\u2069, {at:%Y-%m-%d %H:%M} UTC"
    assert code == 0 and f"verdict \u2068claim/{claim_id}\u2069: {label}" in out
    code, out = run("--data-dir", str(data), "claims", "show", str(claim_id), "--json")
    (analyst,) = (
        f
        for f in json.loads(out)["score"]["factors"]
        if f["evidence"][:1] and f["evidence"][0]["kind"] == "verdict"
    )
    assert analyst["evidence"][0]["label"] == label
