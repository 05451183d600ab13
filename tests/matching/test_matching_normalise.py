from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.matching.names import name_table
from cme.matching.normalise import (
    fold,
    name_tokens,
    normalise_address,
    normalise_forename,
    normalise_surname,
    parse_date,
    phonetic,
    postcode_parts,
    surname_parts,
    swapped_date_key,
)


def test_fold_removes_case_accents_apostrophes_and_punctuation():
    assert fold("  Zoë  O\u2019Brien-Smith ") == "zoe obrien smith"
    assert fold("D'Souza") == "dsouza"
    assert fold("Łukasz Øye") == "lukasz oye"  # letters Unicode does not decompose


def test_mc_and_mac_written_any_way_give_one_token():
    assert name_tokens("McDonald") == name_tokens("Mc Donald") == name_tokens("MacDonald")
    assert name_tokens("Mack") == ("mack",)


def test_surname_parts_are_a_set():
    assert surname_parts("Smith-Jones") == surname_parts("Jones Smith") == ("jones", "smith")
    assert surname_parts("van der Berg") == ("vanderberg",)
    assert normalise_surname("O'Neil") == "oneil"


def test_forename_is_first_part():
    assert normalise_forename("Mary-Jane") == "mary"
    assert normalise_forename("") == ""


def test_postcode_unit_sector_district():
    assert postcode_parts("sw1a1aa") == ("SW1A 1AA", "SW1A 1", "SW1A")
    assert postcode_parts("M1 1AE") == ("M1 1AE", "M1 1", "M1")
    assert postcode_parts("LS6") == ("", "", "LS6")
    assert postcode_parts("not a postcode") == ("", "", "")


def test_dates():
    assert parse_date("2015-03-04") == date(2015, 3, 4)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("2015-02-30")
    with pytest.raises(ValueError):
        parse_date("04/03/2015")
    assert swapped_date_key(20150304) == 20150403
    assert swapped_date_key(20150325) == -1  # 25 is no month
    assert swapped_date_key(20150303) == -1  # same either way


def test_name_table_has_the_required_variants_and_sources():
    table = name_table()
    for a, b in [
        ("alfie", "alfred"),
        ("evie", "evelyn"),
        ("izzy", "isabella"),
        ("charlie", "charlotte"),
        ("charlie", "charles"),
        ("maisie", "margaret"),
        ("muhammad", "mohammed"),
        ("mohamed", "muhammad"),
        ("aisha", "ayesha"),
    ]:
        assert table.shared_group(a, b), (a, b)
    assert table.shared_group("charles", "charlotte") is None
    assert all(src.startswith("S") for src in table.sources.values())


def test_phonetic_and_address():
    assert phonetic("smith") == phonetic("smyth")
    assert normalise_address("12, High Street") == "12 high st"


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@given(text)
def test_normalisation_is_idempotent(value):
    assert fold(fold(value)) == fold(value)
    assert normalise_forename(normalise_forename(value)) == normalise_forename(value)
    assert normalise_surname(normalise_surname(value)) == normalise_surname(value)
    assert normalise_address(normalise_address(value)) == normalise_address(value)
    unit, _, district = postcode_parts(value)
    assert postcode_parts(unit or district)[2] == district


def test_a_trailing_particle_stays_with_its_surname():
    # Found by hypothesis: "M:LA" gave "la m", which normalised again to "lam".
    assert normalise_surname("M:LA") == normalise_surname(normalise_surname("M:LA")) == "mla"
