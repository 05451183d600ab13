"""What the reader refuses, and how it says so: every problem with its element."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ctf_strategies import TODAY

from cme.ctf import MAX_BYTES, CtfError, CtfFile, Header, Pupil, read_ctf, write_ctf

FIXTURE = (Path(__file__).parent / "fixtures" / "3412626_CTF_XXXXXXX_001.xml").read_bytes()


def refused(data: bytes, **kwargs) -> CtfError:
    with pytest.raises(CtfError) as error:
        read_ctf(data, today=kwargs.pop("today", TODAY), **kwargs)
    return error.value


def says(error: CtfError, where: str, words: str) -> bool:
    return any(p.where == where and words in p.message for p in error.problems)


def with_version(version: str) -> bytes:
    return FIXTURE.replace(b"<CTFversion>26.0<", f"<CTFversion>{version}<".encode())


@pytest.mark.parametrize("cut", [10, 200, 900, len(FIXTURE) - 12])
def test_a_truncated_file_is_refused(cut):
    error = refused(FIXTURE[:cut])
    assert says(error, "file", "not well-formed XML: it may be truncated")


def test_billion_laughs_is_refused():
    lol = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CTfile><Header><DocumentName>&lol3;</DocumentName></Header></CTfile>"""
    assert says(refused(lol), "file", "unsafe XML refused")


def test_an_external_entity_is_refused():
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CTfile><Header><DocumentName>&secret;</DocumentName></Header></CTfile>"""
    assert says(refused(xxe), "file", "unsafe XML refused")


def test_a_doctype_alone_is_refused():
    assert says(refused(b"<!DOCTYPE CTfile><CTfile/>"), "file", "DOCTYPE")


def test_an_oversize_file_is_refused_before_parsing():
    error = refused(b" " * 2040 + b"<CTfile/>", max_bytes=2048)
    assert says(error, "file", "the file is 2.0 KB; a CTF file over 2.0 KB is refused")
    assert MAX_BYTES >= 10 * 1024 * 1024  # a year group's file must fit


def test_deep_nesting_is_refused():
    deep = b"<CTfile>" + b"<a>" * 500 + b"</a>" * 500 + b"</CTfile>"
    assert says(refused(deep), "file", "nested 51 deep")


def test_an_empty_file_is_refused():
    assert says(refused(b"  \n"), "file", "empty")


def test_another_root_is_not_a_ctf():
    assert says(refused(b"<ATfile><Header/></ATfile>"), "ATfile", "root element must be CTfile")


def test_a_file_from_the_future_is_refused():
    error = refused(with_version("27.0"))
    assert says(error, "Header/CTFversion", "27.0 is newer than this year's (26.0 for 2026/27)")


def test_the_year_turns_on_1_august():
    read_ctf(with_version("26.0"), today=date(2026, 8, 1))
    error = refused(with_version("26.0"), today=date(2026, 7, 31))
    assert says(error, "Header/CTFversion", "newer than this year's (25.0 for 2025/26)")


@pytest.mark.parametrize("version", ["18.0", "19.0", "21.0", "22.0", "24.0", "25.0", "26.0"])
def test_every_version_from_18_is_read(version):
    assert read_ctf(with_version(version), today=TODAY).header.version == version


@pytest.mark.parametrize(
    ("version", "words"),
    [
        ("17.0", "older than CTF 18.0"),
        ("12.0", "older than CTF 18.0"),
        ("26.1", "'26.1' is not a CTF version"),
        ("version 26", "is not a CTF version (they look like 26.0)"),
        ("", "gives no CTF version"),
    ],
)
def test_versions_not_read(version, words):
    assert says(refused(with_version(version)), "Header/CTFversion", words)


def test_the_version_element_name_is_case_sensitive():
    data = FIXTURE.replace(b"CTFversion>", b"CTFVersion>")
    assert says(refused(data), "Header/CTFversion", "case-sensitive")


def test_every_problem_is_listed_with_its_place():
    data = (
        with_version("30.0")
        .replace(b"2017-04-09", b"2017-02-30")
        .replace(b"2026-11-16T08:05:00", b"yesterday")
        .replace(b"<AcademicYear>2026", b"<AcademicYear>26")
    )
    error = refused(data)
    assert says(error, "Header/CTFversion", "newer")
    assert says(error, "CTFpupilData/Pupil/DOB", "'2017-02-30' is not a real date")
    assert says(error, "Header/DateTime", "'yesterday' is not a date and time")
    assert says(error, "Header/SourceSchool/AcademicYear", "'26' should be a 4-digit year")


def test_a_date_in_another_form_is_refused():
    data = FIXTURE.replace(b"2017-04-09", b"09/04/2017")
    assert says(refused(data), "CTFpupilData/Pupil/DOB", "not in the form 2015-03-14")


def test_problems_in_a_file_of_several_pupils_name_the_pupil():
    data = write_ctf(
        CtfFile(header=Header(version="26.0"), pupils=(Pupil(surname="A"), Pupil(surname="B")))
    ).replace(b"<Surname>B</Surname>", b"<Surname>B</Surname><DOB>2015-13-01</DOB>")
    assert says(refused(data), "CTFpupilData/Pupil[2]/DOB", "not a real date")


def test_a_non_ctf_document_name_is_refused():
    data = FIXTURE.replace(b"Common Transfer File", b"Admissions Data Transfer File")
    assert says(refused(data), "Header/DocumentName", "not a CTF")


def test_a_text_element_holding_elements_is_refused():
    data = FIXTURE.replace(b"<Surname>AHMED</Surname>", b"<Surname><b>AHMED</b></Surname>")
    assert says(refused(data), "CTFpupilData/Pupil/Surname", "should hold text")


def test_elements_out_of_order_are_read_and_written_in_order():
    data = FIXTURE.replace(b"<UPN>H341202626005</UPN>", b"").replace(
        b"<Sex>M</Sex>", b"<Sex>M</Sex><SchoolHistory/><Attendance/><UPN>H341202626005</UPN>"
    )
    file = read_ctf(data, today=TODAY)
    assert file.pupils[0].upn == "H341202626005"
    written = write_ctf(file).decode()
    assert written.index("<UPN>") < written.index("<Surname>")
    assert written.index("<Attendance />") < written.index("<SchoolHistory />")
