"""The shipped gazetteer: real places, the groups' own names, and alert areas that exist."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import pytest

from claimwatch.errors import ConfigError
from scoring.arabic import normalize
from scoring.gazetteer import DEFAULT_PATH, Gazetteer, default_gazetteer

ALERTS_CSV = Path(
    os.environ.get("CLAIMWATCH_ALERTS_CSV", "/work/shared/data/oref-alerts/israel-alerts.csv")
)


def names(text: str) -> list[str]:
    gazetteer = default_gazetteer()
    return [place.name for place in gazetteer.resolve(gazetteer.find(normalize(text)))]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def where(name: str) -> tuple[float, float]:
    place = default_gazetteer().get(name)
    assert place is not None and place.lat is not None and place.lon is not None
    return place.lat, place.lon


def test_every_place_is_well_formed() -> None:
    places = default_gazetteer().places
    assert len({p.name for p in places}) == len(places)
    for place in places:
        assert place.aliases_ar or place.aliases_en, place.name
        if place.vague:
            assert place.lat is None and place.alert_areas == ()
        else:
            assert place.lat is not None and place.lon is not None and place.precision_km
    assert {p.country for p in places if not p.vague} >= {"Israel", "Iraq", "Syria", "Jordan"}


def test_coordinates_are_where_the_places_are() -> None:
    assert km(where("Eilat"), (29.56, 34.95)) < 5
    assert km(where("Port of Haifa"), where("Haifa")) < 6
    assert km(where("Nevatim"), where("Beersheba")) < 30
    assert km(where("Tower 22"), where("al-Tanf")) < 30  # both on the Syria-Jordan border
    assert km(where("Ain al-Asad Air Base"), (33.8, 42.44)) < 5
    assert 29 < where("Eilat")[0] < where("Beersheba")[0] < where("Haifa")[0] < 33.5


@pytest.mark.skipif(not ALERTS_CSV.exists(), reason="alert history CSV not available")
def test_every_alert_area_is_a_real_home_front_command_area() -> None:
    with ALERTS_CSV.open(encoding="utf-8") as handle:
        areas = {a.strip() for row in csv.DictReader(handle) for a in row["data"].split(",")}
    for place in default_gazetteer().places:
        missing = set(place.alert_areas) - areas
        assert not missing, f"{place.name}: {missing} never appear in the alert history"


def test_israeli_targets_carry_their_alert_areas() -> None:
    gazetteer = default_gazetteer()
    assert gazetteer.get("Eilat").alert_areas == ("אילת",)  # type: ignore[union-attr]
    haifa = gazetteer.get("Haifa").alert_areas  # type: ignore[union-attr]
    assert len(haifa) >= 4 and all(area.startswith("חיפה") for area in haifa)
    assert "קצרין" in gazetteer.get("Golan Heights").alert_areas  # type: ignore[union-attr]


def test_the_groups_own_names_resolve() -> None:
    assert names("هدفاً حيوياً في أم الرشراش المحتلة") == ["Eilat"]
    assert names("في الخالصة المحتلة") == ["Kiryat Shmona"]
    assert names("في يافا المحتلة") == ["Tel Aviv"]
    assert names("قاعدة عين الأسد غربي العراق") == ["Ain al-Asad Air Base"]
    assert names("البرج ٢٢ في الأردن") == ["Tower 22"]
    assert names("حقل كونيكو للغاز") == ["Conoco (Deir ez-Zor)"]


def test_clitics_and_english_spellings() -> None:
    assert names("وبحيفا") == ["Haifa"]
    assert names("للجولان المحتل") == ["Golan Heights"]
    assert names("Ein al-Asad air base") == ["Ain al-Asad Air Base"]
    assert names("the base in ash-Shaddadi") == ["al-Shaddadi"]
    assert names("Al-Shadadi") == ["al-Shaddadi"]
    assert names("Um Al-Rashrash") == ["Eilat"]


def test_any_letter_written_twice_and_names_quoted_apart_still_resolve() -> None:
    # Posts are searched only for the places whose words they hold; a doubled letter
    # anywhere, or a name broken by quotes or spaces, must not hide a place.
    assert names("drones on Kiryyat Shmonna") == ["Kiryat Shmona"]
    assert names("Haiffa port") == ["Port of Haifa"]
    assert names("Ben-Gurrion airport") == ["Ben Gurion Airport"]
    assert names("Tiberiass") == ["Tiberias"]
    assert names('مطار "رامون"') == ["Ramon Airport"]
    assert names("في أم    الرشراش") == ["Eilat"]


def test_a_site_replaces_its_city_and_a_vague_area_yields_to_a_place() -> None:
    assert names("ميناء حيفا") == ["Port of Haifa"]
    assert names("قاعدة نيفاتيم الجوية في بئر السبع") == ["Nevatim"]
    assert names("هدفاً حيوياً في أراضينا المحتلة (إيلات)") == ["Eilat"]
    assert names("هدفاً حيوياً في أراضينا المحتلة") == ["Occupied territories (unspecified)"]
    assert names("in central and northern Israel") == [
        "Central Israel (unspecified)",
        "Northern Israel (unspecified)",
    ]


def test_words_that_only_look_like_places() -> None:
    assert names("ساحة التحرير") == []  # تحرير contains حرير (Harir)
    assert names("قائد فيلق القدس") == []
    assert names("قاعدة حرير قرب مطار أربيل") == ["Harir Air Base"]  # a locator, not a target


def test_a_broken_gazetteer_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "gazetteer.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"gazetteer\.json"):
        Gazetteer.load(broken)
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["places"][0]["lat"] = 123.0
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="Eilat"):
        Gazetteer.load(broken)
