"""Hand-written files of CTF 18, 20, 23, 25 and 26 (fixtures/): read, and written back whole."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from ctf_strategies import TODAY
from defusedxml.ElementTree import fromstring

from cme.ctf import parse_file_name, read_ctf, write_ctf

FIXTURES = Path(__file__).parent / "fixtures"
ALL = sorted(FIXTURES.glob("*.xml"))


def read(name: str):
    return read_ctf((FIXTURES / name).read_bytes(), today=TODAY)


def test_there_is_a_fixture_for_each_version():
    versions = {read(p.name).header.version for p in ALL}
    assert versions == {"18.0", "20.0", "23.0", "25.0", "26.0"}


def test_ctf_18_with_gender_and_address_lines():
    file = read("3412101_CTF_XXXXXXX_001.xml")
    header, (pupil,) = file.header, file.pupils
    assert header.version == "18.0" and header.date_time == datetime(2018, 12, 5, 15, 42, 10)
    assert (header.source.laestab, header.source.urn, header.source.academic_year) == (
        "3412101",
        "104501",
        2018,
    )
    assert header.destination.laestab == "XXXXXXX"
    assert (pupil.upn, pupil.surname, pupil.forename) == ("Y341201818001", "HARGREAVES", "CONNOR")
    assert (pupil.sex, pupil.sex_element, pupil.date_of_birth) == ("M", "Gender", date(2011, 6, 2))
    assert (pupil.preferred_forename, pupil.middle_names, pupil.nc_year) == ("CON", "JAMES", "3")
    assert pupil.address is not None
    assert pupil.address.lines == ("14 Alder Walk", "Liverpool")
    assert pupil.address.postcode == "L4 9ZZ"
    (contact,) = pupil.contacts
    assert (contact.forename, contact.sex, contact.sex_element) == ("DONNA", "F", "Gender")
    assert contact.responsibility is True and contact.address is not None
    assert contact.address.as_pupil is True
    assert contact.phones[0].number == "07700 900123"
    assert [b.tag for b in pupil.blocks] == [
        "FSMhistory",
        "SENhistory",
        "Attendance",
        "SchoolHistory",
    ]
    assert [b.tag for b in pupil.basic_blocks] == [
        "EthnicitySource",
        "Languages",
        "MedicalFlag",
        "EnrolStatus",
    ]
    attendance = pupil.block("Attendance")
    assert attendance is not None
    assert attendance.element().findtext("YearData/SessionsUnauthorised") == "28"


def test_ctf_20_to_mmmmmmm_with_bs7666():
    file = read("3402005_CTF_MMMMMMM_001.xml")
    (pupil,) = file.pupils
    assert file.header.destination.laestab == "MMMMMMM"
    assert pupil.former_surnames == ("EZE",) and pupil.sex_element == "Gender"
    assert pupil.address is not None
    assert pupil.address.one_line() == "Flat 3, 27, Bramble Road, Huyton"
    assert [b.tag for b in pupil.blocks] == ["LookedAfter", "StageAssessments"]


def test_ctf_23_shaped_like_a_2024_lost_pupil_file():
    """A byte order mark, CRLF line ends and tabs, as the issue's refused file had."""
    file = read("3412323_CTF_XXXXXXX_001.xml")
    (pupil,) = file.pupils
    assert file.header.version == "23.0"
    assert file.header.data_descriptor == "Pupil left, destination not known"
    assert (pupil.former_upn, pupil.preferred_surname, pupil.former_surnames) == (
        "A341202323999",
        "KOWALSKA-REID",
        ("NOWAK",),
    )
    assert [c.order for c in pupil.contacts] == [1, 2]
    second = pupil.contacts[1]
    assert second.responsibility is False and second.email == "graham.reid@example.org"
    assert second.address is not None and second.address.postcode == "L20 9ZZ"
    sen = pupil.block("SENhistory")
    assert sen is not None
    assert [e.text for e in sen.element().iter("SENtype")] == ["SEMH", "SPLD"]


def test_ctf_25_with_sex_unicode_and_a_header_block():
    file = read("3432525_CTF_MMMMMMM_001.xml")
    (pupil,) = file.pupils
    assert (pupil.surname, pupil.forename, pupil.middle_names) == (
        "Ó'BRIEN-NOWAK",
        "ZOË",
        "SIÂN AOIFE",
    )
    assert (pupil.sex, pupil.sex_element) == ("F", "Sex")
    assert pupil.contacts[0].sex == "" and pupil.contacts[0].forename == "SIOBHÁN"
    assert [b.tag for b in file.header.blocks] == ["SuppInfo"]
    assert [b.tag for b in pupil.blocks] == ["NAWdetails"]
    assert pupil.email == "zoe.pupil@example.org"


def test_ctf_26_this_years_with_missing_optional_parts():
    (pupil,) = read("3412626_CTF_XXXXXXX_001.xml").pupils
    assert pupil.middle_names == "" and pupil.contacts == () and pupil.blocks == ()
    assert pupil.address is not None
    assert pupil.address.one_line() == "2 Birch Terrace, Toxteth, Liverpool"


def test_a_file_of_several_pupils_is_read():
    file = read("3412626_CTF_3412345_001.xml")
    assert [p.forename for p in file.pupils] == ["LILY", "MINH", "RHYS"]
    assert file.pupils[2].date_of_birth == date(2016, 2, 29)
    assert file.header.destination.laestab == "3412345"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_the_fixtures_are_named_by_the_convention(path):
    name = parse_file_name(path.name)
    header = read(path.name).header
    assert (name.source, name.destination) == (header.source.laestab, header.destination.laestab)


def _leaves(element: Element, path: str = "") -> Counter[tuple[str, str]]:
    here = f"{path}/{element.tag}"
    if not len(element):
        return Counter({(here, (element.text or "").strip()): 1})
    found: Counter[tuple[str, str]] = Counter()
    for child in element:
        found += _leaves(child, here)
    return found


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_writing_a_read_file_loses_nothing(path):
    """Every element and value of the original is in the written file, at the same path."""
    original = path.read_bytes()
    written = write_ctf(read_ctf(original, today=TODAY))
    assert _leaves(fromstring(written)) == _leaves(fromstring(original))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_writing_keeps_the_convention_order(path):
    original = fromstring(path.read_bytes())
    written = fromstring(write_ctf(read_ctf(path.read_bytes(), today=TODAY)))
    order = [e.tag for e in original.iter()]
    assert [e.tag for e in written.iter()] == order
