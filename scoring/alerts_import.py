"""Bring Home Front Command alerts into the store: the history CSV and the live feed.

Both carry local Israeli times (Asia/Jerusalem) and may list several areas in one alert;
we store one Alert per (rid, area) in UTC. A CSV is read completely before anything is
written, so a malformed line stops the import with its line number and nothing stored.
The live feed is unofficial and fragile: its body may start with a BOM, hold NUL bytes or
be empty, and a bad item is reported, never silently dropped.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

import config
from claimwatch.display import unpaired
from claimwatch.errors import ConfigError, InputError, SourceError
from config.settings import AlertsSettings
from storage import Store
from storage.records import BIGINT_MAX, INT_MAX, NAME_CHARS, Alert
from storage.timeutil import utcnow

ISRAEL = ZoneInfo("Asia/Jerusalem")
REQUIRED_COLUMNS = ("data", "category", "rid")
FEED_HEADERS = {"Referer": "https://www.oref.org.il/", "X-Requested-With": "XMLHttpRequest"}
STATUS_SOURCE, STATUS_CHANNEL = "oref", "history"
UAV_CATEGORY = 2
# Codes the history feed documents (1 rockets, 2 UAV, 10 infiltration, 13 ended, 14
# pre-alert, 15-28 drills); any other code is classified by its Hebrew title.
KNOWN_CATEGORIES = frozenset({1, 2, 10, 13, 14, *range(15, 29)})
UAV_TITLE = "כלי טיס עוין"
DRILL_TITLE = "תרגיל"
# What the archive can hold: 64-bit alert ids, 32-bit category codes, area names up to
# 200 characters, text without NUL characters (PostgreSQL refuses them) or half an emoji
# (an unpaired surrogate, which no database takes).


def is_uav(category: int, desc: str) -> bool:
    """A hostile aircraft intrusion alert (not a drill of one)."""
    if category in KNOWN_CATEGORIES:
        return category == UAV_CATEGORY
    return UAV_TITLE in desc and DRILL_TITLE not in desc


@dataclass(frozen=True)
class AlertImport:
    """What an import read and stored."""

    rows: int
    alerts: int
    new: int
    uav: int
    first: datetime | None
    last: datetime | None
    seconds: float
    problems: tuple[str, ...] = ()

    def summary(self) -> str:
        problems = f", {len(self.problems)} unreadable items" if self.problems else ""
        return f"{self.alerts} alerts read, {self.new} new{problems}"


def import_csv(store: Store, path: Path) -> AlertImport:
    """Import an alert history CSV; importing it again adds nothing."""
    started = time.monotonic()
    rows, alerts = read_csv(path)
    # The file is the feed's whole history for its time span: it covers its first to
    # its last alert, and nothing after (claims later than the file are not checked).
    times = [a.time for a in alerts]
    covered = (min(times), max(times)) if times else None
    new = store.alerts.add_many(alerts, source="oref-csv", covered=covered)
    return _report(rows, alerts, new, started)


def read_csv(path: Path) -> tuple[int, list[Alert]]:
    """(rows read, alerts) of a history CSV; InputError names the first bad line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _read_rows(csv.DictReader(handle), path)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _read_rows(reader: csv.DictReader[str], path: Path) -> tuple[int, list[Alert]]:
    try:
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing or not ({"date", "time"} <= set(columns) or "alertDate" in columns):
            raise InputError(
                f"{path}: not an alert history CSV; its header {columns} lacks "
                f"{missing or ['date and time, or alertDate']}"
            )
        alerts: list[Alert] = []
        rows = 0
        for row in reader:
            rows += 1
            try:
                alerts.extend(alerts_from_item(row))
            except ValueError as exc:
                raise InputError(f"{path}, line {reader.line_num}: {exc}") from None
        return rows, alerts
    except csv.Error as exc:
        raise InputError(f"{path}, line {reader.line_num}: {exc}") from None


def alerts_from_item(item: Mapping[str, Any]) -> list[Alert]:
    """The alerts of one feed object or CSV row, one per area; ValueError says what is wrong."""
    areas = _areas(item.get("data"))
    when = _local_time(item)
    category = _integer(item.get("category"), "category", INT_MAX)
    desc = str(item.get("category_desc") or item.get("title") or "").strip()
    _storable(desc, "category title")
    rid = item.get("rid")
    alert_id = _integer(rid, "rid", BIGINT_MAX) if rid not in (None, "") else _stable_id(item)
    return [Alert(alert_id, when, area, category, desc) for area in areas]


def _areas(value: Any) -> list[str]:
    parts = value if isinstance(value, list) else str(value or "").split(",")
    areas = [str(part).strip() for part in parts if str(part).strip()]
    if not areas:
        raise ValueError("no alert area in 'data'")
    for area in areas:
        _storable(area, "alert area")
        if len(area) > NAME_CHARS:
            raise ValueError(f"alert area {_shown(area)} is longer than {NAME_CHARS} characters")
    return list(dict.fromkeys(areas))


def _storable(text: str, name: str) -> None:
    if "\x00" in text:
        raise ValueError(f"{name} {_shown(text)} holds a NUL character")
    if unpaired(text):
        raise ValueError(f"{name} {_shown(text)} holds half an emoji (an unpaired surrogate)")


def _local_time(item: Mapping[str, Any]) -> datetime:
    """The alert's time in UTC from its local date and time (seconds) or its alertDate."""
    day, clock = str(item.get("date") or "").strip(), str(item.get("time") or "").strip()
    try:
        if day and clock:
            local = datetime.strptime(f"{day} {clock}", "%d.%m.%Y %H:%M:%S")
        else:
            stamp = str(item.get("alertDate") or "").strip().replace(" ", "T")
            local = datetime.fromisoformat(stamp)
        return (local if local.tzinfo else local.replace(tzinfo=ISRAEL)).astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: a time at the calendar's edge
        shown = f"{day} {clock}".strip() or str(item.get("alertDate"))
        raise ValueError(f"unreadable alert time {_shown(shown)}") from None


def _integer(value: Any, name: str, limit: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} is {_shown(value)}, not a whole number") from None
    if not -limit - 1 <= number <= limit:  # the range of a signed column
        raise ValueError(f"{name} is {_shown(value)}, out of range")
    return number


def _shown(value: Any, width: int = 40) -> str:
    """A value as the error shows it: quoted, and cut short when long."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _stable_id(item: Mapping[str, Any]) -> int:
    """A negative id for feed items without a rid, the same every time the item is seen."""
    key = "|".join(str(item.get(k, "")) for k in ("alertDate", "data", "category", "title"))
    return -(int(hashlib.sha256(key.encode()).hexdigest()[:15], 16) + 1)


def parse_feed(body: bytes) -> tuple[list[Alert], list[str]]:
    """Alerts in a history feed body and a problem line per item that could not be read."""
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\x00", "").strip()
    if not text:
        return [], []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        shown = text[:80]
        raise SourceError(f"alert feed is not JSON ({exc.msg} at {exc.pos}): {shown!r}") from None
    except ValueError:
        raise SourceError("alert feed holds a number too long to read") from None
    except RecursionError:
        raise SourceError("alert feed nests too deeply to be a list of alerts") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise SourceError(f"alert feed holds {type(data).__name__}, expected a list of alerts")
    alerts: list[Alert] = []
    problems: list[str] = []
    for index, item in enumerate(data):
        try:
            if not isinstance(item, dict):
                raise ValueError(f"{type(item).__name__} instead of an object")
            alerts.extend(alerts_from_item(item))
        except ValueError as exc:
            problems.append(f"feed item {index}: {exc}")
    return alerts, problems


def fetch_feed(client: httpx.Client, settings: AlertsSettings) -> bytes:
    """The raw body of the live history endpoint."""
    try:
        response = client.get(
            settings.history_url, headers=FEED_HEADERS, timeout=settings.timeout_seconds
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise SourceError(f"alert history {settings.history_url}: {exc}") from None
    return response.content


def collect_alerts(store: Store, settings: config.Settings) -> AlertImport:
    """The service's job: new alerts from the live feed, when [alerts] live is on."""
    if not settings.alerts.live:
        raise ConfigError("the live alert feed is off: set live = true under [alerts]")
    with httpx.Client() as client:
        return collect_live(store, settings.alerts, client)


def collect_live(store: Store, settings: AlertsSettings, client: httpx.Client) -> AlertImport:
    """Fetch the live history and store new alerts; failures show in `claimwatch status`."""
    started = time.monotonic()
    fetched_at = utcnow()
    try:
        alerts, problems = parse_feed(fetch_feed(client, settings))
    except SourceError as exc:
        store.status.failure(STATUS_SOURCE, STATUS_CHANNEL, str(exc))
        raise
    covered = live_period(alerts, fetched_at) if not problems else None
    new = store.alerts.add_many(alerts, source="oref-live", covered=covered)
    report = _report(len(alerts), alerts, new, started, tuple(problems))
    if problems:
        store.status.failure(STATUS_SOURCE, STATUS_CHANNEL, "; ".join(problems[:5]))
    else:
        store.status.success(STATUS_SOURCE, STATUS_CHANNEL, f"{new} new alerts")
    return report


def live_period(alerts: list[Alert], fetched_at: datetime) -> tuple[datetime, datetime] | None:
    """The period a successful fetch covered in full: from its earliest alert to the
    moment the request was sent (the server answered later, so it knew at least that).

    How far back the history endpoint reaches is documented nowhere we can rely on (the
    URL is configurable, and a long answer may be cut to its newest items), so the
    fetch vouches only from the earliest alert it returned; an empty answer vouches for
    nothing. A quiet stretch with no alert at all therefore stays "not checked", which
    costs a claim nothing, where a guessed reach could wrongly count against it. A fetch
    with unreadable items records no period either: their alerts are missing.
    """
    if not alerts:
        return None
    earliest = min(a.time for a in alerts)
    return (earliest, fetched_at) if earliest <= fetched_at else None


def _report(
    rows: int, alerts: list[Alert], new: int, started: float, problems: tuple[str, ...] = ()
) -> AlertImport:
    times = [a.time for a in alerts]
    return AlertImport(
        rows=rows,
        alerts=len({(a.rid, a.area) for a in alerts}),
        new=new,
        uav=sum(1 for a in _unique(alerts) if is_uav(a.category, a.category_desc)),
        first=min(times, default=None),
        last=max(times, default=None),
        seconds=time.monotonic() - started,
        problems=problems,
    )


def _unique(alerts: list[Alert]) -> Iterator[Alert]:
    seen: set[tuple[int, str]] = set()
    for alert in alerts:
        if (alert.rid, alert.area) not in seen:
            seen.add((alert.rid, alert.area))
            yield alert
