"""File names (`LLLEEEE_CTF_DDDDDDD_NNN.xml`), versions by academic year, re-addressing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from ctf_strategies import TODAY, codes, destinations
from hypothesis import given
from hypothesis import strategies as st

from cme.ctf import (
    CtfError,
    FileName,
    academic_year,
    accepted_versions,
    file_name,
    name_for,
    parse_file_name,
    read_ctf,
    readdress,
    sex_element_for,
    version_for,
    write_ctf,
)

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_file_name_is_built_and_parsed():
    assert file_name(source="3412001", destination="XXXXXXX") == "3412001_CTF_XXXXXXX_001.xml"
    assert parse_file_name("3412001_CTF_3414321_012.XML") == FileName("3412001", "3414321", 12)
    assert parse_file_name("9991001_MTC_9991001_001.xml").kind == "MTC"


@given(codes, destinations, st.integers(1, 999))
def test_file_names_round_trip(source, destination, sequence):
    name = file_name(source=source, destination=destination, sequence=sequence)
    assert parse_file_name(name) == FileName(source, destination, sequence)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ctf.xml", "is not named as a CTF is"),
        ("3412001_CTF_XXXXXXX_1.xml", "is not named as a CTF is"),
        ("3412001_CTF_XXXXXXX_000.xml", "must be 001 to 999"),
        ("341200A_CTF_XXXXXXX_001.xml", "the source '341200A' is not a 7-digit LAESTAB"),
        ("3412001_CTF_XXXMMMM_001.xml", "the destination 'XXXMMMM'"),
    ],
)
def test_names_not_in_the_convention(name, words):
    with pytest.raises(CtfError, match=words):
        parse_file_name(name)


@pytest.mark.parametrize(
    ("day", "year", "version"),
    [
        (date(2018, 8, 1), 2018, "18.0"),
        (date(2024, 5, 14), 2023, "23.0"),
        (date(2025, 7, 31), 2024, "24.0"),
        (date(2025, 8, 1), 2025, "25.0"),
        (date(2026, 12, 2), 2026, "26.0"),
    ],
)
def test_the_version_follows_the_academic_year(day, year, version):
    assert (academic_year(day), version_for(day)) == (year, version)


def test_accepted_versions_run_from_this_years_to_18():
    assert accepted_versions(TODAY) == tuple(f"{n}.0" for n in range(26, 17, -1))
    assert accepted_versions(date(2026, 7, 31))[0] == "25.0"


@given(st.dates(date(2018, 8, 1), date(2099, 7, 31)))
def test_a_file_written_today_is_read_today(day):
    assert version_for(day) in accepted_versions(day)


def test_sex_from_ctf_24_gender_before():
    assert (sex_element_for("23.0"), sex_element_for("24.0"), sex_element_for("26.0")) == (
        "Gender",
        "Sex",
        "Sex",
    )


def test_readdressing_changes_only_the_destination_and_date():
    original = read_ctf((FIXTURES / "3412323_CTF_XXXXXXX_001.xml").read_bytes(), today=TODAY)
    at = datetime(2026, 12, 2, 10, 15, 30, 123456, tzinfo=UTC)
    forwarded = readdress(original, to="3414321", at=at, urn="104999")
    assert forwarded.header.destination.laestab == "3414321"
    assert forwarded.header.destination.urn == "104999"
    assert forwarded.header.date_time == datetime(2026, 12, 2, 10, 15, 30)
    assert forwarded.pupils == original.pupils
    assert forwarded.header.source == original.header.source
    assert forwarded.header.version == "23.0"  # the content is still CTF 23's
    assert name_for(forwarded) == "3412323_CTF_3414321_001.xml"
    assert read_ctf(write_ctf(forwarded), today=TODAY) == forwarded


@given(destinations)
def test_readdressing_a_one_pupil_file_anywhere(to):
    original = read_ctf((FIXTURES / "3412626_CTF_XXXXXXX_001.xml").read_bytes(), today=TODAY)
    forwarded = readdress(original, to=to, at=datetime(2026, 12, 2, 9, 0))
    assert forwarded.header.destination.laestab == to
    assert read_ctf(write_ctf(forwarded), today=TODAY) == forwarded


def test_readdressing_refuses_a_bad_destination_and_several_pupils_to_lost():
    several = read_ctf((FIXTURES / "3412626_CTF_3412345_001.xml").read_bytes(), today=TODAY)
    at = datetime(2026, 12, 2, 9, 0)
    with pytest.raises(CtfError, match="must hold exactly one pupil, and this one holds 3"):
        readdress(several, to="XXXXXXX", at=at)
    with pytest.raises(CtfError, match="is not a destination"):
        readdress(several, to="341432", at=at)
    assert readdress(several, to="3414321", at=at).header.destination.estab == "4321"
