"""Specificity factors: named vs vague target, and the weapon's range to the target."""

from __future__ import annotations

from claimwatch.phrase import told
from scoring.factors import specificity
from scoring.factors.specificity import distance_km
from storage.records import Target, Weapon
from tests.scoring.cases import AIN_AL_ASAD, EILAT, SETTINGS, case, claim

HAIFA = Target("Haifa", "حيفا", "Israel", 32.79, 34.99, ("חיפה - מערב",))
CYPRUS = Target("Limassol", "ليماسول", "Cyprus", 34.7, 33.0)


def test_named_target_with_coordinates_and_drone_in_range() -> None:
    found = specificity.signals(case(claim()), SETTINGS)
    assert [(s.feature, s.value) for s in found] == [("target_named", 1.0), ("range_ok", 1.0)]
    assert "Eilat is 637 km from al-Rutba" in told(found[1].explanation)


def test_vague_target() -> None:
    vague = Target("occupied territories", "أراضينا المحتلة", None, None, None)
    for stored in (claim(targets=(vague,), vague_target=True), claim(targets=())):
        found = specificity.signals(case(stored), SETTINGS)
        assert [(s.feature, s.value) for s in found] == [("target_vague", 1.0)]


def test_rocket_cannot_reach_israel_from_iraq() -> None:
    found = specificity.signals(case(claim(targets=(HAIFA,), weapons=(Weapon("rocket"),))),
                                SETTINGS)  # fmt: skip
    excess = next(s for s in found if s.feature == "range_excess")
    assert excess.value == 2.0  # capped: Haifa is over 12 rocket ranges away
    assert "beyond a rocket's typical 40 km" in told(excess.explanation)


def test_partial_excess_grows_with_distance() -> None:
    short = SETTINGS.__class__(ballistic_missile_range_km=500.0)
    found = specificity.signals(
        case(claim(targets=(EILAT,), weapons=(Weapon("ballistic_missile"),))), short
    )
    assert [s.value for s in found if s.feature == "range_excess"] == [0.27]


def test_best_weapon_counts_and_iraq_targets_are_not_range_checked() -> None:
    both = claim(targets=(CYPRUS,), weapons=(Weapon("rocket"), Weapon("drone")))
    assert [s.feature for s in specificity.signals(case(both), SETTINGS)][1] == "range_ok"
    local = claim(targets=(AIN_AL_ASAD,), weapons=(Weapon("rocket"),))
    assert [s.feature for s in specificity.signals(case(local), SETTINGS)] == ["target_named"]
    unknown = claim(weapons=(Weapon("unspecified"),))
    assert [s.feature for s in specificity.signals(case(unknown), SETTINGS)] == ["target_named"]


def test_distance() -> None:
    assert round(distance_km(34.37, 41.09, 29.56, 34.95)) == 788
