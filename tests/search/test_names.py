"""Finding records by name: whole, in part, by affiliation, across Korean and English."""

from __future__ import annotations

import pytest

from sangsaeng.search.names import (
    EXACT,
    PART,
    START,
    NameEntry,
    NameTable,
    align,
    compact,
    romanise,
    transliteration_distance,
    word_score,
)

SEJONG = NameEntry.of(["세종대학교", "Sejong University"])
PERSON = NameEntry.of(["김민준", "Minjun Kim"], affiliation="organisation:1")


def test_names_compare_without_case_spaces_hyphens_or_punctuation():
    assert compact("Sejong  University") == "sejonguniversity"
    assert compact("한국과학기술원(KAIST)") == "한국과학기술원kaist"
    assert compact("Ｓｅｊｏｎｇ") == "sejong"  # full-width letters


@pytest.mark.parametrize(
    ("query", "entry", "score"),
    [
        ("세종대학교", SEJONG, EXACT),
        ("sejong university", SEJONG, EXACT),
        ("세종", SEJONG, START),
        ("세종대", SEJONG, START),
        ("Sejong", SEJONG, START),
        ("university", SEJONG, START),
        ("univ", SEJONG, PART),
        ("대학교", SEJONG, PART),
        ("김민준", PERSON, EXACT),
        ("민준", PERSON, PART),
        ("김", PERSON, START),
        ("Kim", PERSON, START),
        ("min", PERSON, START),
        ("jun", PERSON, PART),
        ("박", PERSON, 0.0),
        ("세", PERSON, 0.0),
        ("ki", PERSON, 0.0),  # two letters name a record only as a whole word
        ("risc-v", SEJONG, 0.0),
    ],
)
def test_how_well_a_word_names_a_record(query, entry, score):
    assert word_score(compact(query), entry) == score


def test_revised_romanization_letter_by_letter():
    assert romanise("세종") == "sejong"
    assert romanise("판교") == "pangyo"
    assert romanise("성균관") == "seonggyungwan"


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("세종", "Sejong"),
        ("판교", "Pangyo"),
        ("성균관", "Sungkyunkwan"),  # an older romanisation
        ("케샬", "Keshal"),
        ("실리콘", "Silicon"),  # a loanword
        ("카이스트", "KAIST"),  # the vowel Korean writes into consonant clusters
        ("노벡스", "Novex"),
        ("이", "Lee"),  # a surname's usual spelling
        ("박", "Park"),
    ],
)
def test_a_korean_word_and_its_romanisation_are_recognised(hangul, latin):
    assert transliteration_distance(hangul, latin) is not None


@pytest.mark.parametrize(
    ("hangul", "latin"), [("세종", "Gachon"), ("판교", "Seoul"), ("대학교", "University")]
)
def test_unrelated_words_are_not(hangul, latin):
    assert transliteration_distance(hangul, latin) is None


def test_two_names_of_a_record_teach_which_words_are_one_name():
    assert align("세종대학교", "Sejong University") == [("세종", "sejong")]
    assert align(
        "서강대학교 판교디지털혁신캠퍼스", "Sogang University Pangyo Digital Innovation Campus"
    )[:2] == [
        ("서강", "sogang"),
        ("판교", "pangyo"),
    ]
    # Short capitals are read letter by letter (에이아이), never matched to Hangul.
    assert align("노벡스에이아이", "Novex AI") == [("노벡스", "novex")]


def test_the_table_reads_queries_in_both_scripts_and_forgets_what_a_record_taught():
    table = NameTable()
    table.set("organisation:1", ["세종대학교", "Sejong University"], None, teaches=True)
    table.set("person:7", ["김민준", "Minjun Kim"], "organisation:1", teaches=False)
    assert table.readings("세종") == [["세종", "sejong"]]
    assert table.readings("Sejong") == [["sejong", "세종"]]
    assert table.readings("세종대학교 교수") == [["세종대학교", "sejong"], ["교수"]]
    # People's names teach nothing: they only say how each person spells theirs.
    assert table.readings("Minjun") == [["minjun"]]
    table.remove("organisation:1")
    assert table.readings("세종") == [["세종"]]


def test_a_query_names_records_and_the_records_that_belong_to_them():
    table = NameTable()
    table.set("organisation:1", ["세종대학교", "Sejong University"], None, teaches=True)
    table.set("organisation:2", ["가천대학교", "Gachon University"], None, teaches=True)
    table.set("person:7", ["김민준", "Minjun Kim"], "organisation:1", teaches=False)
    keys = ["organisation:1", "organisation:2", "person:7"]
    names, affiliations = table.scores("세종대학교", keys)
    assert names == {"organisation:1": EXACT}
    assert affiliations == {"person:7": EXACT}
    names, affiliations = table.scores("민준", keys)
    assert names == {"person:7": PART} and affiliations == {}
    # Only the keys asked about are scored (the caller's policy-restricted records).
    assert table.scores("세종대학교", ["person:7"]) == ({}, {"person:7": EXACT})
