"""`claimwatch demo` as a new user runs it: offline, one command, a summary of every stage."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from claimwatch.cli.main import cli


def test_the_demo_runs_every_stage_and_summarises(tmp_path: Path) -> None:
    workdir = tmp_path / "demo"
    result = CliRunner().invoke(
        cli, ["demo", "--dir", str(workdir), "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["posts"] == 34 and summary["clips"] == 15
    archive = summary["archive"]
    assert archive["imported_posts"] == 34 and archive["media_files"] == 16
    assert (archive["reimport_new_posts"], archive["reimport_new_revisions"]) == (0, 1)
    assert (workdir / "data" / "claimwatch.db").exists()
    media = summary["media"]
    assert (media["fingerprinted"], media["failed"], media["copies"], media["recycled"]) == (
        16,
        0,
        11,
        11,
    )
    # the second camera, posted two days after a trimmed re-upload of the original launch
    scene = [p for p in media["pairs"] if p["kind"] == "same_scene"]
    assert media["same_scene"] >= 1 and scene
    scores = {s["claim"]: s for s in summary["scoring"]["scores"]}
    assert summary["scoring"]["claims"] == 28 and summary["scoring"]["alerts_imported"] > 500
    fresh_with_alert = [s for s in scores.values() if s["label"] == "corroborated"]
    recycled = [s for s in scores.values() if any("copy of footage" in r for r in s["reasons"])]
    assert len(fresh_with_alert) >= 4 and recycled
    # the channel is filed under its username, as an analyst imports it with --channel;
    # in JSON the name is isolated (FSI ... PDI) from the words around it
    named = "first posted by @\u2068sample_channel\u2069"
    assert any(named in r for s in recycled for r in s["reasons"])
    assert max(s["score"] for s in recycled) < min(s["score"] for s in fresh_with_alert)
    assert (workdir / "digest.html").exists()


def test_the_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("analyst's notes")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path)])
    assert result.exit_code == 1 and "was not made by `claimwatch demo`" in result.output
    assert (tmp_path / "notes.txt").read_text() == "analyst's notes"


def test_the_demo_will_not_be_pointed_at_an_archive(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    result = CliRunner().invoke(cli, ["--data-dir", str(archive), "demo", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "claimwatch demo --dir DIR` instead of --data-dir" in result.output
    assert not archive.exists() and not list(tmp_path.iterdir())


def test_the_demo_will_not_be_pointed_at_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("analyst's notes")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "notes.txt")])
    assert result.exit_code == 2 and "is a file" in result.output
    assert (tmp_path / "notes.txt").read_text() == "analyst's notes"
