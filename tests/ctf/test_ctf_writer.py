"""What the writer produces: well-formed UTF-8, empty values omitted, bad characters refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from ctf_strategies import TODAY
from defusedxml.ElementTree import fromstring

from cme.ctf import Block, CtfError, CtfFile, Header, Pupil, School, read_ctf, write_ctf


def test_a_small_file_as_the_convention_writes_it():
    file = CtfFile(
        header=Header(
            version="26.0",
            date_time=datetime(2026, 12, 2, 9, 30, 5),
            document_qualifier="full",
            supplier_id="CME Register",
            source=School(lea="341", estab="2626", name="Meadow Lane", academic_year=2026),
            destination=School(lea="XXX", estab="XXXX"),
        ),
        pupils=(Pupil(surname="AHMED", forename="YUSUF", date_of_birth=date(2017, 4, 9), sex="M"),),
    )
    data = write_ctf(file)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<CTfile>\n  <Header>')
    root = fromstring(data)
    assert [e.tag for e in root] == ["Header", "CTFpupilData"]
    assert [e.tag for e in root.find("Header")] == [
        "DocumentName",
        "CTFversion",
        "DateTime",
        "DocumentQualifier",
        "SupplierID",
        "SourceSchool",
        "DestSchool",
    ]
    assert root.findtext("Header/DateTime") == "2026-12-02T09:30:05"
    assert [e.tag for e in root.find("CTFpupilData/Pupil")] == [
        "Surname",
        "Forename",
        "DOB",
        "Sex",
    ]
    assert b"<BasicDetails" not in data and b"<Address" not in data  # empty: omitted


@pytest.mark.parametrize("bad", ["\x00", "\x07", "A\rB", "\ufffe"])
def test_characters_a_ctf_cannot_carry_are_refused(bad):
    file = CtfFile(header=Header(version="26.0"), pupils=(Pupil(surname=bad),))
    with pytest.raises(CtfError) as error:
        write_ctf(file)
    assert error.value.problems[0].where == "CTFpupilData/Pupil/Surname"
    assert "which a CTF cannot carry" in error.value.problems[0].message


def test_the_sex_is_written_as_sex_or_gender_only():
    file = CtfFile(header=Header(version="26.0"), pupils=(Pupil(sex="F", sex_element="Geslacht"),))
    with pytest.raises(CtfError, match="Sex or Gender"):
        write_ctf(file)


def test_newlines_and_markup_in_values_survive():
    pupil = Pupil(surname="<O'Brien & Sons>", forename="line\none")
    file = CtfFile(header=Header(version="26.0"), pupils=(pupil,))
    assert read_ctf(write_ctf(file), today=TODAY).pupils[0] == pupil


def test_a_block_is_safe_xml_compared_by_content():
    assert Block("<A>\n  <B>1</B>\n</A>") == Block("<A><B>1</B></A>")
    assert Block("<A><B>1</B></A>").tag == "A"
    with pytest.raises(CtfError, match="unsafe XML refused"):
        Block('<!DOCTYPE A [<!ENTITY x "y">]><A>&x;</A>')
    with pytest.raises(CtfError, match="not well-formed"):
        Block("<A>")
