"""Which Telegram Desktop exports are imported: channels and supergroups, never a personal
chat, a bot, saved messages or a basic group filed as a channel."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from claimwatch.cli.main import cli
from claimwatch.errors import ExportError
from claimwatch.importing import import_tg_export
from storage import Store
from tests.exports import message, write_export

IMPORTED = "only channels and supergroups are imported"


@pytest.mark.parametrize(
    "kind", ["personal_chat", "bot_chat", "saved_messages", "private_group", "replies"]
)
def test_an_export_of_a_chat_that_is_no_channel_is_refused_naming_its_type(
    store: Store, tmp_path: Path, kind: str
) -> None:
    path = write_export(tmp_path / "export", [message(1, "hi")], type=kind, name="Friend")
    with pytest.raises(ExportError) as refused:
        import_tg_export(store, tmp_path / "export")
    assert str(refused.value).startswith(
        f"{path} is not the export of a channel: it has 'type' '{kind}'; {IMPORTED}"
    )
    counts = store.archive.counts()
    assert (counts["channels"], counts["posts"]) == (0, 0)


@pytest.mark.parametrize(
    ("chat", "found"),
    [({"type": None}, "no 'type'"), ({"type": ["public_channel"]}, "a 'type' that is not text")],
)
def test_an_export_that_does_not_say_it_is_a_channel_is_refused(
    store: Store, tmp_path: Path, chat: dict[str, object], found: str
) -> None:
    write_export(tmp_path / "export", [message(1, "hi")], **chat)
    with pytest.raises(ExportError, match=f"is not the export of a channel: it has {found};"):
        import_tg_export(store, tmp_path / "export")
    assert store.archive.counts()["posts"] == 0


@pytest.mark.parametrize(
    "kind", ["public_channel", "private_channel", "public_supergroup", "private_supergroup"]
)
def test_channels_and_supergroups_are_imported(store: Store, tmp_path: Path, kind: str) -> None:
    write_export(tmp_path / "export", [message(1, "بيان"), message(2, "x")], type=kind)
    report = import_tg_export(store, tmp_path / "export")
    assert report.channels == ("1234567890",) and report.result.new_posts == 2


def test_the_command_refuses_a_personal_chat_in_one_line_and_exits_1(tmp_path: Path) -> None:
    path = write_export(tmp_path / "export", [message(1, "hi")], type="personal_chat")
    data = str(tmp_path / "data")
    result = CliRunner().invoke(cli, ["--data-dir", data, "import", "tg-export", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {path} is not the export of a channel: it has 'type' 'personal_chat'; {IMPORTED}"
    )
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    status = CliRunner().invoke(cli, ["--data-dir", data, "status", "--json"])
    assert '"posts": 0' in status.output


def test_the_command_says_how_far_the_import_got_on_stderr(tmp_path: Path) -> None:
    messages = [message(number, f"بيان {number}") for number in range(1, 21)]
    path = write_export(tmp_path / "export", messages, type="public_channel")
    data = str(tmp_path / "data")

    result = CliRunner().invoke(cli, ["--data-dir", data, "import", "tg-export", str(path)])

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["importing: 1/1"]  # the export's one channel
    assert "20 new" in result.stdout
