"""Arabic normalisation: every spelling of a claim's words folds to one matchable form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scoring.arabic import CORE_VOCABULARY, WordJoiner, arabic_ratio, normalize, strip_clitic


def test_diacritics_and_tatweel_are_removed() -> None:
    assert normalize("اِسْتَهْدَفَ مُجَاهِدُو") == "استهدف مجاهدو"
    assert normalize("الـمـقـاومـة") == "المقاومه"
    assert normalize("هدفاً حيوياً") == "هدفا حيويا"


def test_alef_hamza_ya_and_ta_marbuta_forms_fold() -> None:
    assert normalize("أم الرشراش") == normalize("ام الرشراش") == "ام الرشراش"
    assert normalize("إيلات") == normalize("ايلات")
    assert normalize("آذار") == "اذار"
    assert normalize("في") == normalize("فى") == "في"
    assert normalize("المقاومة الإسلامية") == "المقاومه الاسلاميه"
    assert normalize("كتائب") == "كتايب" and normalize("مسؤول") == "مسوول"


def test_digits_and_persian_letters_fold() -> None:
    assert normalize("١١-٣-٢٠٢٤") == "11-3-2024"
    assert normalize("۱۴۴۶") == "1446"
    assert normalize("الإسلامیة الأمریکیة") == "الاسلاميه الامريكيه"


def test_invisible_characters_hashtags_and_case() -> None:
    assert normalize("حي\u200bفا") == "حيفا"
    assert normalize("المقا\u200cومة") == "المقاومه"
    assert normalize("\u202eحيفا\u202c") == "حيفا"
    assert normalize("#المقاومة_الإسلامية_في_العراق") == " المقاومه الاسلاميه في العراق"
    assert normalize("The IRI Targeted EILAT") == "the iri targeted eilat"


def test_letters_spelled_out_with_dots_are_joined() -> None:
    assert normalize("م.ق.ا.و.م.ة") == "مقاومه"
    assert normalize("م-ق-ا-و-م-ة الاحتلال") == "مقاومه الاحتلال"
    assert normalize("و/او") == "و/او"  # two letters is a normal abbreviation, not a spelling


@given(st.text(max_size=200))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_split_words_are_rejoined_only_into_known_words() -> None:
    joiner = WordJoiner(CORE_VOCABULARY | {"الجولان"})
    assert joiner.join(normalize("مجاهدو المق او مة")) == "مجاهدو المقاومه"
    assert joiner.join(normalize("است هدف مجا هدو")) == "استهدف مجاهدو"
    assert joiner.join(normalize("في الجو لان، فجر اليوم")) == "في الجولان, فجر اليوم"
    assert joiner.join("في من الى") == "في من الى"
    assert joiner.join("حزب الله") == "حزب الله"


def test_two_real_words_are_not_glued() -> None:
    joiner = WordJoiner({"ميناء", "حيفا", "ميناءحيفا"})
    assert joiner.join("ميناء حيفا") == "ميناء حيفا"


def test_clitics_and_language_share() -> None:
    assert strip_clitic("والمقاومه") == "مقاومه"
    assert strip_clitic("بحيفا") == "حيفا"
    assert strip_clitic("في") == "في"
    assert arabic_ratio("استهدف مجاهدو") == 1.0
    assert arabic_ratio("IRI targeted Eilat") == 0.0
    assert arabic_ratio("🔥 123") == 0.0
