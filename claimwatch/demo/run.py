"""Run the demo: build the sample channel, import it into a fresh archive, run every stage."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import config
from claimwatch.demo.sample import CHANNEL_NAME, build_sample
from claimwatch.demo.stages import STAGES, DemoContext
from claimwatch.errors import InputError
from storage import open_store

MARKER = ".claimwatch-demo"


@dataclass(frozen=True)
class DemoResult:
    summary: dict[str, Any]
    sections: list[tuple[str, list[str]]]


def run_demo(workdir: Path, say: Callable[[str], None] = lambda _line: None) -> DemoResult:
    """Everything the demo does, in a fresh folder; refuses to touch a folder it did not make."""
    started = time.monotonic()
    _fresh(workdir)
    say("drawing the sample channel's footage")
    sample = build_sample(workdir / "sample", lambda name: say(f"  clip {name}"))
    settings = _settings(workdir / "data")
    store = open_store(
        settings.storage.url, settings.storage.data_dir, settings.storage.max_media_bytes
    )
    ctx = DemoContext(store, settings, workdir, sample.export_dir, sample.later_export_dir)
    summary: dict[str, Any] = {
        "channel": CHANNEL_NAME,
        "posts": sample.posts,
        "clips": sample.clips,
        "photos": sample.photos,
        "data_dir": str(settings.storage.data_dir),
    }
    sections: list[tuple[str, list[str]]] = []
    try:
        for name, stage in STAGES:
            say(f"running stage: {name}")
            report = stage(ctx)
            summary[name] = report.data
            sections.append((name, report.lines))
    finally:
        store.close()
    summary["seconds"] = round(time.monotonic() - started, 1)
    return DemoResult(summary, sections)


def _settings(data_dir: Path) -> config.Settings:
    """Built-in defaults only: the demo ignores the operator's settings and credentials."""
    defaults = config.Settings()
    return replace(config.with_data_dir(defaults, data_dir), source="the demo's defaults")


def _fresh(workdir: Path) -> None:
    if workdir.exists() and any(workdir.iterdir()):
        if not (workdir / MARKER).exists():
            raise InputError(
                f"{workdir} is not empty and was not made by `claimwatch demo`; "
                "choose another folder with --dir"
            )
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / MARKER).write_text("made by claimwatch demo; safe to delete\n")
