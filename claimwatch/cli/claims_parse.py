"""`claimwatch claims parse`: extract the claim from one post's text read on stdin.

For analysts checking what the extractor makes of a post before it is archived, and for
whoever improves a rule: the evidence lists the phrase each field was read from.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from claimwatch.cli.output import console, emit_json, escape
from claimwatch.errors import InputError
from scoring.extract import extract
from scoring.present import part_of_day_words
from storage.claim_json import extraction_json
from storage.records import Extraction

FIRST_YEAR, LAST_YEAR = 1970, 2100  # times a post can have; others are typing mistakes


@click.command("parse")
@click.option("--json", "as_json", is_flag=True, help="Print the extraction as JSON.")
@click.option(
    "--posted-at",
    "posted_at",
    metavar="ISO",
    help="When the post was published (ISO 8601, UTC if no offset; default now).",
)
def parse_command(as_json: bool, posted_at: str | None) -> None:
    """Read ONE post's text on stdin and print the attack claim it makes, if any.

    Relative dates ("فجر اليوم", "yesterday") are resolved against --posted-at in Iraq time.

    Example: echo 'استهدف مجاهدو المقاومة الإسلامية في العراق فجر اليوم هدفاً في إيلات'
    | claimwatch claims parse --json --posted-at 2024-10-13T02:00:00Z
    """
    text = _read_stdin()
    extraction = extract(text, _when(posted_at))
    if as_json:
        emit_json(extraction_json(extraction))
        return
    for line in describe(extraction):
        console.print(escape(line))


def describe(extraction: Extraction) -> list[str]:
    """Plain lines for a terminal; the caller escapes them."""
    if not extraction.is_claim:
        return [f"not an attack claim ({extraction.extractor})"]
    day = str(extraction.claimed_date) if extraction.claimed_date else ""
    when = f"{day} {part_of_day_words(extraction.part_of_day or '')}".strip()
    if extraction.stated_weekday:
        when += f" (stated weekday: {extraction.stated_weekday})"
    weapons = ", ".join(
        w.category + (f" ({w.system})" if w.system else "") for w in extraction.weapons
    )
    lines = [
        f"attack claim ({extraction.extractor}, {extraction.language})",
        f"group: {extraction.group or 'not named'}",
        f"targets: {'none named' if not extraction.targets else ''}".rstrip(),
    ]
    for t in extraction.targets:
        where = f"{t.lat}, {t.lon}" if t.lat is not None else "no coordinates"
        areas = f"; alert areas: {', '.join(t.alert_areas)}" if t.alert_areas else ""
        lines.append(f"  {t.name} ({t.name_ar}), {t.country or 'no country'}, {where}{areas}")
    return [
        *lines,
        f"weapons: {weapons}",
        f"when: {when or 'not stated'}",
        f"operations: {extraction.operations}",
        f"vague target: {'yes' if extraction.vague_target else 'no'}",
        f"evidence: {' | '.join(extraction.evidence)}",
    ]


def _read_stdin() -> str:
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise InputError("no post text on stdin: pipe one post's text into `claims parse`")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"stdin is not UTF-8 text (byte {exc.start}): {exc.reason}") from exc


def _when(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time", param_hint="--posted-at"
        ) from exc
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise click.BadParameter(
            f"{value!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}", param_hint="--posted-at"
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
