"""The archive commands as an analyst uses them: clear output, clear errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from claimwatch.cli.main import cli
from tests.exports import media_file, message, write_export


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_import_then_status(tmp_path: Path) -> None:
    export = tmp_path / "export"
    clip = media_file(export, "video_files/launch.mp4")
    write_export(
        export,
        [
            message(1, "استهداف", file=clip, media_type="video_file"),
            message(2, "بيان", file="video_files/missing.mp4"),
        ],
    )
    data = str(tmp_path / "data")
    code, out = run(
        "--data-dir", data, "import", "tg-export", str(export), "--channel", "iraqi_res"
    )
    assert code == 0
    assert (
        "iraqi_res: 2 new posts, 0 new revisions, 0 unchanged, 1 media file stored, 1 missing"
        in out
    )
    code, out = run("--data-dir", data, "status", "--json")
    report = json.loads(out)
    assert code == 0 and report["archive"]["posts"] == 2 and report["media"] == {"pending": 1}
    assert report["checkpoints"][0]["source"] == "tg-export"
    assert report["checkpoints"][0]["channel"] == "iraqi_res"


def test_a_malformed_export_is_one_clear_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "result.json").write_text("{ not json")
    result = CliRunner().invoke(
        cli,
        ["--data-dir", str(tmp_path / "d"), "import", "tg-export", str(tmp_path / "result.json")],
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "is not valid JSON (line 1" in result.output
    assert "Traceback" not in result.output


def test_a_bad_setting_stops_the_command_naming_key_and_file(tmp_path: Path) -> None:
    settings = tmp_path / "claimwatch.toml"
    settings.write_text("[storage]\nmax_media_mb = -x\n")
    result = CliRunner().invoke(cli, ["--config", str(settings), "status"])
    assert result.exit_code == 1 and f"config file {settings} is not valid TOML" in result.output


def test_init_reports_where_the_archive_is(tmp_path: Path) -> None:
    code, out = run("--data-dir", str(tmp_path / "data"), "init")
    assert code == 0 and "archive ready" in out and (tmp_path / "data" / "claimwatch.db").exists()


def test_status_shows_hostile_channel_names_inert(tmp_path: Path) -> None:
    export = tmp_path / "export"
    write_export(export, [message(1, "x")])
    data = str(tmp_path / "data")
    run("--data-dir", data, "import", "tg-export", str(export), "--channel", "[bold]evil\x1b[2J")
    code, out = run("--data-dir", data, "status")
    assert code == 0 and "[bold]evil" in out and "\x1b[2J" not in out


def test_an_export_of_another_channel_is_refused_under_an_archived_handle(
    tmp_path: Path,
) -> None:
    data = str(tmp_path / "data")
    write_export(tmp_path / "ours", [message(1, "استهداف")], id=1862040145)
    write_export(tmp_path / "theirs", [message(1, "other"), message(2, "x")], id=1234567890)
    run("--data-dir", data, "import", "tg-export", str(tmp_path / "ours"), "--channel", "iraqi_res")

    code, out = run(
        "--data-dir",
        data,
        "import",
        "tg-export",
        str(tmp_path / "theirs"),
        "--channel",
        "iraqi_res",
    )

    assert code == 1 and out.startswith("Error: ") and out.count("\n") == 1
    assert "1862040145" in out and "1234567890" in out and "nothing was stored" in out
    code, out = run("--data-dir", data, "status", "--json")
    assert json.loads(out)["archive"]["posts"] == 1


def test_an_archived_channel_is_not_imported_again_under_another_handle(
    tmp_path: Path,
) -> None:
    data = str(tmp_path / "data")
    write_export(tmp_path / "export", [message(1, "استهداف"), message(2, "بيان")], id=1862040145)
    imported = str(tmp_path / "export")
    run("--data-dir", data, "import", "tg-export", imported, "--channel", "iraqi_res")

    code, out = run("--data-dir", data, "import", "tg-export", imported, "--channel", "sabreenS1")

    assert code == 1 and out.count("\n") == 1
    assert "this export is of Telegram channel 1862040145, archived as iraqi_res" in out
    assert "--channel iraqi_res" in out
    code, out = run("--data-dir", data, "status", "--json")
    assert json.loads(out)["archive"]["posts"] == 2 and json.loads(out)["archive"]["channels"] == 1
    code, out = run("--data-dir", data, "import", "tg-export", imported)  # joins iraqi_res
    assert code == 0 and "iraqi_res: 0 new posts, 0 new revisions, 2 unchanged" in out


def test_channels_rename_moves_the_archive_and_refuses_clearly(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    for handle in ("iraqi_res", "other"):
        write_export(tmp_path / handle, [message(1, handle)], id=len(handle))
        run("--data-dir", data, "import", "tg-export", str(tmp_path / handle), "--channel", handle)

    code, out = run("--data-dir", data, "channels", "rename", "telegram", "iraqi_res", "other")
    assert code == 1 and "other is taken" in out
    code, out = run("--data-dir", data, "channels", "rename", "telegram", "nobody", "new")
    assert code == 1 and "no telegram channel nobody in the archive" in out
    code, out = run("--data-dir", data, "channels", "rename", "telegram", "iraqi_res", "res_2023")
    assert code == 0
    assert "renamed telegram iraqi_res to res_2023: 1 post, 1 checkpoint, 0 status rows" in out
    code, out = run("--data-dir", data, "status", "--json")
    assert {c["channel"] for c in json.loads(out)["checkpoints"]} == {"res_2023", "other"}


def test_status_shows_which_periods_the_alert_history_covers(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    sample = Path(__file__).parents[1] / "scoring" / "data" / "oref-sample.csv"
    assert run("--data-dir", data, "import", "oref-alerts", str(sample))[0] == 0
    code, out = run("--data-dir", data, "status", "--json")
    assert code == 0
    [period] = json.loads(out)["alert_periods"]
    assert period["source"] == "oref-csv"
    assert period["from"].startswith("2014-07-24T14:05:26")
    code, out = run("--data-dir", data, "status")
    assert "alert_periods" in out and "source=oref-csv, from=2014-07-24T14:05:26" in out
