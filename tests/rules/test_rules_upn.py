"""UPNs: check letter, LA code, digits, temporary UPNs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules import InvalidUpn, is_temporary_upn, normalise_upn, upn_check_letter, validate_upn
from cme.rules.la_codes import la_codes, la_name
from cme.rules.upn import CHECK_LETTERS


@pytest.mark.parametrize(
    "upn",
    [
        "P207000016049",  # worked by hand in docs/rules.md
        "B801200005001",  # python-stdnum's example
        "G80120000101A",  # DfE guidance's temporary UPN example
        "R674123101121",  # DfE's MTC test fixture, a Welsh LA code
    ],
)
def test_valid_upns(upn):
    assert validate_upn(upn) == []


@pytest.mark.parametrize(
    ("upn", "fragment"),
    [
        ("", "empty"),
        (None, "empty"),
        ("P20700001604", "13 characters; this one has 12"),
        ("P2070000160499", "this one has 14"),
        ("p207000016049", "capital letters"),
        ("B207000016049", "check letter should be P, not B"),
        ("R900400001001", "Characters 2-4 (900) are not a recognised"),  # DfE guidance example
        ("P2X7000016049", "Characters 2-4 ('2X7') must be"),
        ("P207000A16049", "Characters 5-12 ('000A1604') must all be digits"),
        ("P20700001604I", "Character 13 ('I')"),
        ("P20700001604O", "Character 13 ('O')"),
        ("I207000016049", "Character 1 ('I')"),
        ("1207000016049", "Character 1 ('1')"),
    ],
)
def test_invalid_upns_say_why(upn, fragment):
    errors = validate_upn(upn)
    assert errors
    assert any(fragment in error for error in errors), errors


def test_several_faults_are_all_reported():
    errors = validate_upn("I900A000000IS")
    assert len(errors) == 4  # check letter, LA code, middle digits, final character


@pytest.mark.parametrize(
    ("body", "letter"),
    [("207000016049", "P"), ("801200005001", "B"), ("80120000101A", "G"), ("P207000016049", "P")],
)
def test_check_letter(body, letter):
    assert upn_check_letter(body) == letter


@pytest.mark.parametrize("body", ["", "2070000160", "20700001604I", "2070A0016049", 12345])
def test_check_letter_refuses_malformed_input(body):
    with pytest.raises(InvalidUpn):
        upn_check_letter(body)


def test_temporary_and_normalised():
    assert is_temporary_upn("G80120000101A")
    assert not is_temporary_upn("B801200005001")
    assert normalise_upn(" g801 2000 0101a ") == "G80120000101A"


def test_la_code_table():
    codes = la_codes()
    assert la_name("341") == "Liverpool"
    assert la_name("201") == "City of London"
    assert la_name("938") == "West Sussex"
    assert la_name("999") is None
    assert codes["909"].status == "former"  # Cumbria: UPNs it issued remain valid
    assert sum(1 for c in codes.values() if c.kind == "england" and c.status == "current") == 153


la_code = st.sampled_from(sorted(la_codes()))
last_char = st.sampled_from("0123456789" + CHECK_LETTERS)


@given(la_code, st.text(alphabet="0123456789", min_size=8, max_size=8), last_char)
def test_generated_upns_validate_and_any_wrong_letter_is_caught(la, middle, last):
    body = la + middle + last
    upn = upn_check_letter(body) + body
    assert validate_upn(upn) == []
    for wrong in CHECK_LETTERS:
        if wrong != upn[0]:
            assert validate_upn(wrong + body) != []


@given(la_code, st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(1, 12))
def test_single_digit_typos_change_the_check_letter(la, middle, position):
    body = la + middle + "0"
    upn = upn_check_letter(body) + body
    index = position  # any of characters 2..13
    replacement = str((int(upn[index]) + 1) % 10)
    typo = upn[:index] + replacement + upn[index + 1 :]
    # Weights 2..13 are all coprime to 23, so a one-character slip always moves the letter.
    assert upn_check_letter(typo) != upn[0]
