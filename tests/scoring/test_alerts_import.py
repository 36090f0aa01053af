"""Importing Home Front Command alerts: the history CSV and the live feed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from claimwatch.errors import InputError, SourceError
from config.settings import AlertsSettings
from scoring.alerts_import import collect_live, import_csv, is_uav, parse_feed, read_csv
from storage import Store

SAMPLE = Path(__file__).parent / "data" / "oref-sample.csv"
HEADER = "data,date,time,alertDate,category,category_desc,matrix_id,rid\n"
UAV = "חדירת כלי טיס עוין"


def write(tmp_path: Path, body: str, name: str = "alerts.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_one_alert_per_area_in_utc(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f'"אילת, אילת, אזור תעשייה",12.10.2024,02:13:07,2024-10-12T02:13:00,2,{UAV},6,43734\n'
        f"קריית שמונה,15.01.2024,09:00:00,2024-01-15T09:00:00,1,ירי רקטות וטילים,1,27000\n",
    )
    report = import_csv(store, path)
    assert (report.rows, report.alerts, report.new, report.uav) == (2, 3, 3, 2)
    alerts = store.alerts.between(
        datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    )
    assert [(a.rid, a.area) for a in alerts] == [
        (27000, "קריית שמונה"),
        (43734, "אזור תעשייה"),
        (43734, "אילת"),
    ]
    # Summer time in Israel is UTC+3, winter time UTC+2.
    assert alerts[1].time == datetime(2024, 10, 11, 23, 13, 7, tzinfo=UTC)
    assert alerts[0].time == datetime(2024, 1, 15, 7, 0, tzinfo=UTC)


def test_reimport_adds_nothing(store: Store) -> None:
    first = import_csv(store, SAMPLE)
    again = import_csv(store, SAMPLE)
    assert first.new == first.alerts > first.rows  # several rows list several areas
    assert again.new == 0
    assert store.alerts.span().count == first.alerts
    assert store.alerts.counts_by_source() == {"oref-csv": first.alerts}


def test_real_sample_keeps_areas_categories_and_times(store: Store) -> None:
    report = import_csv(store, SAMPLE)
    assert report.first == datetime(2014, 7, 24, 14, 5, 26, tzinfo=UTC)
    span = (datetime(2014, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    eilat = [
        a
        for a in store.alerts.between(*span, areas=["אילת"])
        if is_uav(a.category, a.category_desc)
    ]
    assert len(eilat) == 13
    # 31.10.2023 08:58:12 in Israel, two days after summer time ended (UTC+2).
    assert (eilat[0].rid, eilat[0].time) == (24122, datetime(2023, 10, 31, 6, 58, 12, tzinfo=UTC))


def test_malformed_line_names_the_line_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"אילת,12.10.2024,02:13:07,2024-10-12T02:13:00,2,{UAV},6,43734\n"
        f"אילת,12.10.2024,02:14:07,2024-10-12T02:14:00,2,{UAV},6,43735\n"
        f"אילת,31.02.2024,02:15:07,2024-10-12T02:15:00,2,{UAV},6,43736\n",
    )
    with pytest.raises(InputError, match=r"alerts.csv, line 4: unreadable alert time"):
        import_csv(store, path)
    assert store.alerts.span().count == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"אילת,12.10.2024,02:13:07,x,2,{UAV},6,abc\n", "rid is 'abc'"),
        (f",12.10.2024,02:13:07,x,2,{UAV},6,5\n", "no alert area"),
        (f"אילת,12.10.2024,02:13:07,x,two,{UAV},6,5\n", "category is 'two'"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(InputError, match=f"line 2: {message}"):
        read_csv(write(tmp_path, row))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"אילת,12.10.2024,02:13:07,x,2,{UAV},6,99999999999999999999\n", "rid is '9999"),
        (f"אילת,12.10.2024,02:13:07,x,99999999999,{UAV},6,5\n", "category is '9999"),
        (
            "א" * 201 + f",12.10.2024,02:13:07,x,2,{UAV},6,5\n",
            r"alert area 'א+\.\.\. is longer than 200 characters",
        ),
        (f"אי\x00לת,12.10.2024,02:13:07,x,2,{UAV},6,5\n", "alert area .* holds a NUL character"),
        (f"אילת,12.10.2024,02:13:07,x,2,{UAV}\x00,6,5\n", "category title .* holds a NUL"),
        (f"אילת,,,0001-01-01T00:00:00,2,{UAV},6,5\n", "unreadable alert time"),
        (f"אילת,12.10.2024,02:13:07,x,2,{UAV},6,{'9' * 5_000}\n", r"rid is '9{30,40}\.\.\., not"),
    ],
)
def test_values_the_archive_cannot_hold_are_named_and_nothing_is_stored(
    store: Store, tmp_path: Path, row: str, message: str
) -> None:
    good = f"אילת,12.10.2024,02:13:07,2024-10-12T02:13:00,2,{UAV},6,43734\n"
    with pytest.raises(InputError, match=f"line 3: {message}"):
        import_csv(store, write(tmp_path, good + row))
    assert store.alerts.span().count == 0


def test_a_file_that_is_not_an_alert_csv(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,value\na,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an alert history CSV"):
        read_csv(path)
    path.write_bytes(HEADER.encode() + b"\xff\xfe broken\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_csv(path)


def test_bom_and_alert_date_only(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(
        "\ufeffdata,alertDate,category,category_desc,rid\nאילת,2024-10-12T02:13:00,2,x,9\n",
        encoding="utf-8",
    )
    rows, alerts = read_csv(path)
    assert rows == 1 and alerts[0].time == datetime(2024, 10, 11, 23, 13, tzinfo=UTC)


def test_uav_by_code_and_by_title_for_unknown_codes() -> None:
    assert is_uav(2, UAV) and not is_uav(1, "ירי רקטות וטילים")
    assert is_uav(99, UAV)
    assert not is_uav(99, "תרגיל " + UAV)
    assert not is_uav(15, UAV)


def feed_item(rid: int, area: str, time: str = "02:13:07") -> dict[str, object]:
    return {
        "data": area,
        "date": "12.10.2024",
        "time": time,
        "alertDate": "2024-10-12T02:13:00",
        "category": 2,
        "category_desc": UAV,
        "matrix_id": 6,
        "rid": rid,
    }


def test_feed_with_bom_nul_and_a_bad_item() -> None:
    import json

    body = "\ufeff" + json.dumps([feed_item(1, "אילת"), {"data": "x"}, "junk"]) + "\x00"
    alerts, problems = parse_feed(body.encode("utf-8"))
    assert [(a.rid, a.area) for a in alerts] == [(1, "אילת")]
    assert problems[0].startswith("feed item 1: unreadable alert time")
    assert problems[1] == "feed item 2: str instead of an object"


def test_empty_feed_and_recent_history_shape() -> None:
    assert parse_feed(b"") == ([], [])
    assert parse_feed(b"\xef\xbb\xbf\r\n\x00") == ([], [])
    recent = (
        b'[{"alertDate": "2024-10-12 02:13:00", "title": "'
        + UAV.encode()
        + (b'", "data": "\xd7\x90\xd7\x99\xd7\x9c\xd7\xaa", "category": 2}]')
    )
    first, _ = parse_feed(recent)
    again, _ = parse_feed(recent)
    assert first[0].rid == again[0].rid < 0  # a stable id for items without one
    assert first[0].time == datetime(2024, 10, 11, 23, 13, tzinfo=UTC)
    with pytest.raises(SourceError, match="not JSON"):
        parse_feed(b"<html>blocked</html>")
    with pytest.raises(SourceError, match=r"^alert feed holds a number too long to read$"):
        parse_feed(b'[{"rid": ' + b"7" * 5000 + b"}]")
    with pytest.raises(SourceError, match=r"^alert feed nests too deeply to be a list of alerts$"):
        parse_feed(b"[" * 100_000)


def test_live_collection_through_mock_transport(store: Store) -> None:
    import json

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=json.dumps([feed_item(7, "אילת")]).encode())

    settings = AlertsSettings(live=True, history_url="https://example.test/history")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        first = collect_live(store, settings, client)
        second = collect_live(store, settings, client)
    assert (first.new, second.new) == (1, 0)
    assert seen[0].headers["Referer"] == "https://www.oref.org.il/"
    assert seen[0].headers["X-Requested-With"] == "XMLHttpRequest"
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert health["oref", "history"].detail == "0 new alerts"


def test_a_feed_item_the_archive_cannot_hold_is_reported_and_the_others_stored(
    store: Store,
) -> None:
    # JSON carries the NUL as "\u0000", past the stripping of raw NUL bytes.
    items = [feed_item(7, "אילת"), feed_item(8, "אי\x00לת"), feed_item(9, "א" * 300)]
    settings = AlertsSettings(live=True, history_url="https://example.test/history")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=items))
    with httpx.Client(transport=transport) as client:
        report = collect_live(store, settings, client)
    assert report.new == 1 and len(report.problems) == 2
    assert report.problems[0].startswith("feed item 1: alert area")
    assert "longer than 200 characters" in report.problems[1]
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert "NUL" in (health["oref", "history"].last_error or "")


def test_a_feed_item_with_half_an_emoji_is_reported_and_the_others_stored(
    store: Store,
) -> None:
    import json

    items = [feed_item(7, "אילת"), feed_item(8, "אילת \ud83d")]
    body = json.dumps(items).encode("ascii")  # the half as its \\u escape
    settings = AlertsSettings(live=True, history_url="https://example.test/history")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with httpx.Client(transport=transport) as client:
        report = collect_live(store, settings, client)
    assert report.new == 1
    assert report.problems == (
        "feed item 1: alert area 'אילת \\ud83d' holds half an emoji (an unpaired surrogate)",
    )


def test_live_failure_is_visible_in_status(store: Store) -> None:
    settings = AlertsSettings(live=True, history_url="https://example.test/history")
    transport = httpx.MockTransport(lambda request: httpx.Response(403, text="forbidden"))
    with httpx.Client(transport=transport) as client, pytest.raises(SourceError, match="403"):
        collect_live(store, settings, client)
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert "403" in (health["oref", "history"].last_error or "")
    assert store.alerts.span().count == 0
