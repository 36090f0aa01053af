"""Bad input to the CLI, settings and archive: one line naming what was wrong, never a
traceback, and the right exit code (1 for what we refuse, 2 for a bad option)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimwatch.cli.main import cli


def invoke(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env, input=stdin)
    assert "Traceback" not in result.output
    return result


def test_a_config_path_that_is_a_directory_is_named(tmp_path: Path) -> None:
    result = invoke("--config", str(tmp_path), "status")
    assert result.exit_code == 1
    assert result.output == f"Error: config file {tmp_path} is a directory, not a file\n"


def test_a_data_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("x")
    result = invoke("--data-dir", str(tmp_path / "data"), "init")
    assert result.exit_code == 1
    assert "Error: the data directory" in result.output and "is a file" in result.output


def test_a_database_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    (tmp_path / "claimwatch.db").write_text("not a database " * 100)
    result = invoke("--data-dir", str(tmp_path), "status", "--json")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot open the database sqlite:///")
    assert result.output.endswith("file is not a database\n")


def test_a_write_the_database_refuses_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert invoke("--data-dir", str(data), "init").exit_code == 0
    read_only = f"sqlite:///file:{data / 'claimwatch.db'}?mode=ro&uri=true"
    settings = tmp_path / "claimwatch.toml"
    settings.write_text(f'[storage]\ndata_dir = "{data}"\ndatabase_url = "{read_only}"\n')
    result = invoke(
        "--config", str(settings), "users", "add", "zainab", "--password-stdin",
        stdin="a long enough password\n",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output == "Error: the database failed: attempt to write a readonly database\n"


def test_a_bad_environment_number_stops_the_service_naming_it(tmp_path: Path) -> None:
    env = {"CLAIMWATCH_SERVICE_COLLECT_MINUTES": "nan"}
    result = invoke("--data-dir", str(tmp_path), "run", "--no-web", env=env)
    assert result.exit_code == 1
    assert "CLAIMWATCH_SERVICE_COLLECT_MINUTES is 'nan'; expected a finite number" in result.output


def test_a_port_out_of_range_in_the_settings_is_named(tmp_path: Path) -> None:
    result = invoke("--data-dir", str(tmp_path), "serve", env={"CLAIMWATCH_REVIEW_PORT": "70000"})
    assert result.exit_code == 1
    assert result.output == "Error: review.port is 70000; use 1 to 65535\n"


@pytest.mark.parametrize(
    "command",
    [("claims", "list"), ("media", "failed"), ("media", "process")],
    ids=["claims list", "media failed", "media process"],
)
def test_a_limit_no_database_can_hold_is_refused(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = invoke("--data-dir", str(tmp_path), *command, "--limit", str(10**20), "--json")
    assert result.exit_code == 2
    assert f"Invalid value for '--limit': {10**20} is not in the range" in result.output


def test_a_digest_day_out_of_range_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "digest.html"
    result = invoke(
        "--data-dir", str(tmp_path), "digest", "--preview", str(out), "--date", "0001-01-01"
    )
    assert result.exit_code == 2
    assert "'--date': 0001-01-01 is out of range" in result.output
    assert not out.exists()


def test_calibrated_weights_that_cannot_be_written_are_named(tmp_path: Path) -> None:
    from claimwatch.app import App
    from scoring import decisions
    from storage.records import Verdict
    from tests.scoring.helpers import add_post
    from tests.scoring.test_pipeline import CLAIM, POSTED

    settings = tmp_path / "claimwatch.toml"
    settings.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n'
        "[scoring]\ncalibrate_min_labels = 2\ncalibrate_min_per_class = 1\n"
    )
    app = App(config_path=settings)
    verdicts = (decisions.CONFIRMED, decisions.FALSE)
    for n in (1, 2):
        add_post(app.store, n, POSTED.replace(day=n), CLAIM)
    assert invoke("--config", str(settings), "claims", "score").exit_code == 0
    for claim, verdict in zip(app.store.claims.list(), verdicts, strict=True):
        when = datetime(2024, 10, 1, tzinfo=UTC)
        app.store.verdicts.add(Verdict("claim", claim.id, "lina", verdict, "", when))
    app.close()
    output = tmp_path / "missing" / "weights.toml"
    result = invoke("--config", str(settings), "claims", "calibrate", "--output", str(output))
    assert result.exit_code == 1
    assert f"Error: cannot write the weights to {output}: No such file or directory" in (
        result.output
    )
