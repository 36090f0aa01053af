"""`claimwatch collect` and `claimwatch login` as an operator uses them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimwatch.cli.main import cli
from collector.telethon_link import close_links
from storage import open_store
from tests.collector.conftest import channel, settings_toml
from tests.collector.fake_telegram import FakeClient
from tests.collector.fake_tme import FakeTme, Reply
from tests.exports import message, write_export


def config_file(
    tmp_path: Path, tme: FakeTme, *channels: dict[str, Any], **sections: dict[str, Any]
) -> Path:
    path = tmp_path / "claimwatch.toml"
    path.write_text(settings_toml(tmp_path / "data", tme.url, list(channels), **sections))
    return path


def invoke(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, input=stdin, catch_exceptions=False)
    return result.exit_code, result.output


def test_collect_once_prints_per_channel_counts_and_fails_on_a_bad_channel(
    tmp_path: Path, tme: FakeTme
) -> None:
    tme.route("/s/privchan", Reply(302, headers={"Location": "/privchan"}))
    config = config_file(tmp_path, tme, channel("testchan"), channel("privchan"))
    code, out = invoke("--config", str(config), "collect", "--once")
    assert code == 1
    assert "telegram-web testchan: 13 new, 0 revised, 9 media, 3 missing, 0 deleted" in out
    assert "telegram-web privchan: 0 new" in out and "has no public web preview" in out
    assert "13 new posts; 1 of 2 channels failed" in out

    code, out = invoke("--config", str(config), "status", "--json")
    health = {h["channel"]: h for h in json.loads(out)["health"]}
    assert health["privchan"]["failures"] == 1 and health["testchan"]["failures"] == 0


def test_collect_one_channel_as_json_then_nothing_new(tmp_path: Path, tme: FakeTme) -> None:
    config = config_file(tmp_path, tme, channel("testchan"), channel("other"))
    code, out = invoke(
        "--config", str(config), "collect", "--once", "--channel", "testchan", "--json"
    )
    assert code == 0
    report = json.loads(out)
    assert [(c["channel"], c["new_posts"]) for c in report["channels"]] == [("testchan", 13)]
    code, out = invoke(
        "--config",
        str(config),
        "collect",
        "--once",
        "--json",
        "--source",
        "telegram-web",
        "--channel",
        "testchan",
    )
    assert code == 0 and json.loads(out)["channels"][0]["new_posts"] == 0


def test_collect_without_channels_says_how_to_add_them(tmp_path: Path, tme: FakeTme) -> None:
    code, out = invoke("--config", str(config_file(tmp_path, tme)), "collect", "--once")
    assert code == 1
    assert "no configured channel matches: add [[channels]] tables" in out


def test_login_prompts_and_saves_a_private_session(
    tmp_path: Path, tme: FakeTme, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeClient([])
    monkeypatch.setattr("collector.sources.telethon_client", lambda *args: fake)
    config = config_file(tmp_path, tme, telegram={"api_id": 12345})
    code, out = invoke(
        "--config",
        str(config),
        "login",
        env={"CLAIMWATCH_TELEGRAM_API_HASH": "0123abcd"},
        stdin="+15551234567\n12345\nhunter2\n",
    )
    close_links()
    assert code == 0, out
    assert fake.signed_in == ("+15551234567", "12345", "hunter2")
    session = tmp_path / "data" / "claimwatch.session"
    assert f"logged in as Ana Lyst (@analyst); session saved to {session}" in out
    assert session.stat().st_mode & 0o777 == 0o600
    assert "hunter2" not in out


def test_login_without_api_credentials_names_the_settings(tmp_path: Path, tme: FakeTme) -> None:
    code, out = invoke("--config", str(config_file(tmp_path, tme)), "login", "--phone", "+1")
    assert code == 1
    assert "set telegram.api_id and CLAIMWATCH_TELEGRAM_API_HASH" in out


def test_a_handle_that_names_another_channel_fails_until_the_archive_is_renamed(
    tmp_path: Path, tme: FakeTme
) -> None:
    config = config_file(tmp_path, tme, channel("testchan"))
    for text in ("first", "second"):  # the old channel, exported twice: one revision
        write_export(tmp_path / text, [message(1, text)], id=999)
        code, _ = invoke("--config", str(config), "import", "tg-export", str(tmp_path / text),
                         "--channel", "testchan")  # fmt: skip
        assert code == 0

    code, out = invoke("--config", str(config), "collect", "--once")
    assert code == 1
    assert "telegram-web testchan: 0 new" in out and "nothing was stored" in out
    code, out = invoke("--config", str(config), "status", "--json")
    (health,) = json.loads(out)["health"]
    assert "claimwatch channels rename telegram testchan" in health["last_error"]

    code, out = invoke("--config", str(config), "channels", "rename", "telegram", "testchan",
                       "testchan_2023")  # fmt: skip
    assert code == 0 and "testchan_2023" in out
    code, out = invoke("--config", str(config), "collect", "--once")
    assert code == 0 and "telegram-web testchan: 13 new" in out

    store = open_store(f"sqlite:///{tmp_path / 'data' / 'claimwatch.db'}", tmp_path / "data", 1)
    try:
        old = store.archive.find("telegram", "testchan_2023", 1)
        assert old is not None and [r.text for r in old.revisions] == ["first", "second"]
        assert store.archive.find("telegram", "testchan", 1) is None
        assert store.archive.counts()["posts"] == 14
    finally:
        store.close()
