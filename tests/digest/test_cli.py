"""`claimwatch digest --preview` and `--send`, through the command line."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from claimwatch.cli.main import cli
from storage import open_store
from tests.conftest import MAX_MEDIA
from tests.digest.seed import DAY, seed
from tests.digest.smtp import Inbox, smtp_server


def seeded_data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    store = open_store(f"sqlite:///{data / 'claimwatch.db'}", data, MAX_MEDIA)
    seed(store, tmp_path / "photos")
    store.close()
    return data


def test_preview_writes_one_standalone_html_file(tmp_path: Path) -> None:
    data = seeded_data_dir(tmp_path)
    out = tmp_path / "digest.html"

    result = CliRunner().invoke(
        cli, ["--data-dir", str(data), "digest", "--preview", str(out), "--date", str(DAY)]
    )

    assert result.exit_code == 0, result.output
    assert f"digest of {DAY} written to" in result.output
    assert re.search(r"3 claims, 1 recycled footage; as an email \d+ KB", result.output)
    html = out.read_text(encoding="utf-8")
    assert html.count('src="data:image/') == 3 and "cid:" not in html


def test_preview_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    data = seeded_data_dir(tmp_path)
    out = tmp_path / "no such folder" / "digest.html"
    result = CliRunner().invoke(
        cli, ["--data-dir", str(data), "digest", "--preview", str(out), "--date", str(DAY)]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot write the digest to {out}: No such file")


def test_send_sends_once_and_refuses_a_second_time_without_again(tmp_path: Path) -> None:
    data = seeded_data_dir(tmp_path)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        config = tmp_path / "claimwatch.toml"
        config.write_text(
            '[digest]\nrecipients = ["analyst@example.org"]\nsender = "cw@example.org"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        )
        base = ["--config", str(config), "--data-dir", str(data), "digest", "--send"]
        first = CliRunner().invoke(cli, [*base, "--date", str(DAY)])
        second = CliRunner().invoke(cli, [*base, "--date", str(DAY)])
        again = CliRunner().invoke(cli, [*base, "--date", str(DAY), "--again"])

    assert first.exit_code == 0, first.output
    assert f"digest of {DAY} sent: 1 recipients" in first.output
    assert second.exit_code == 1 and "already sent" in second.output and "--again" in second.output
    assert again.exit_code == 0, again.output
    assert len(inbox.messages) == 2


def test_send_that_misses_a_recipient_says_who_and_exits_1(tmp_path: Path) -> None:
    data = seeded_data_dir(tmp_path)
    inbox = Inbox(rcpt_replies={"lead@example.org": ["550 5.1.1 No such user"]})
    with smtp_server(inbox) as port:
        config = tmp_path / "claimwatch.toml"
        config.write_text(
            '[digest]\nrecipients = ["analyst@example.org", "lead@example.org"]\n'
            'sender = "cw@example.org"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        )
        base = ["--config", str(config), "--data-dir", str(data), "digest", "--send"]
        result = CliRunner().invoke(cli, [*base, "--date", str(DAY)])

    assert result.exit_code == 1  # a cron job that sends it sees that someone missed it
    assert f"Error: the digest of {DAY} was sent to 1 of 2 recipients" in result.output
    assert "not to lead@example.org: 550 5.1.1 No such user" in result.output
    assert inbox.received_by("analyst@example.org") == 1


def test_send_without_recipients_says_what_to_set(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "digest", "--send"])
    assert result.exit_code == 1
    assert "set digest.recipients and digest.sender" in result.output


def test_preview_or_send_must_be_chosen(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "digest"])
    assert result.exit_code == 2 and "--preview OUT.html or --send" in result.output
