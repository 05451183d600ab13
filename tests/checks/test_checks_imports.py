"""Loading the EMS roll extract and S2S lost-pupil CTF files: all or nothing, idempotent."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from ctf_builder import ctf
from django.core.management import CommandError, call_command
from factories import EstablishmentFactory

from cme.audit.models import AuditEvent, Verb
from cme.checks.imports import (
    ImportRejected,
    ems_import,
    lost_pupils_import,
)
from cme.checks.models import LostPupil, PupilOnRoll
from cme.rules import upn_check_letter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-11-10 12:00 +0000", tick=False):
        yield


HEADER = (
    "laestab,upn,forename,surname,date_of_birth,sex,postcode,admission_date,"
    "sessions_possible,sessions_attended,exclusion_type,exclusion_start\n"
)


def upn(serial: int) -> str:
    body = f"341200125{serial:03d}"
    return upn_check_letter(body) + body


@pytest.fixture
def schools():
    return (
        EstablishmentFactory.create(laestab="3412001", establishment_number="2001"),
        EstablishmentFactory.create(laestab="3412002", establishment_number="2002"),
    )


def ems(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


ALFRED = f"3412001,{upn(1)},Alfred,Jones,2015-03-14,M,l8 1aa,2019-09-04,120,100,,"
EVIE = "3412001,,Evelyn,Smith,04/03/2016,F,L8 2BB,,,,Suspension,2025-10-01"
MO = "3412002,,Mohammed,Khan,2014-07-01,M,L7 3CC,,,,,"


def test_ems_loads_rows_with_attendance_and_exclusions(schools):
    result = ems_import(file=ems(ALFRED, EVIE, MO), name="ems.csv")
    assert (result.rows, result.schools, result.created, result.removed) == (3, 2, 3, 0)
    alfred = PupilOnRoll.objects.get(forename="Alfred")
    assert alfred.upn == upn(1) and alfred.postcode == "L8 1AA"
    assert alfred.attendance_percent == pytest.approx(83.3)
    evie = PupilOnRoll.objects.get(forename="Evelyn")
    assert evie.date_of_birth == date(2016, 3, 4)
    assert evie.exclusion_type == "Suspension" and evie.exclusion_start == date(2025, 10, 1)
    event = AuditEvent.objects.get(verb=Verb.IMPORT, subject_type="pupils_on_roll")
    assert event.details["created"] == 3 and event.details["file"] == "ems.csv"


def test_ems_same_file_twice_changes_nothing(schools):
    ems_import(file=ems(ALFRED, EVIE, MO))
    ids = set(PupilOnRoll.objects.values_list("pk", flat=True))
    again = ems_import(file=ems(ALFRED, EVIE, MO))
    assert (again.created, again.removed, again.unchanged) == (0, 0, 3)
    assert set(PupilOnRoll.objects.values_list("pk", flat=True)) == ids


def test_ems_replaces_only_the_schools_in_the_file(schools):
    ems_import(file=ems(ALFRED, EVIE, MO))
    newcomer = "3412001,,Isabella,Brown,2015-05-05,F,,,,,,"
    result = ems_import(file=ems(ALFRED, newcomer))
    assert (result.created, result.removed, result.unchanged) == (1, 1, 1)
    school_a = set(
        PupilOnRoll.objects.filter(establishment=schools[0]).values_list("forename", flat=True)
    )
    assert school_a == {"Alfred", "Isabella"}
    # School B was not in the file: Mohammed is still on its roll.
    assert PupilOnRoll.objects.filter(establishment=schools[1], forename="Mohammed").exists()


@pytest.mark.parametrize(
    ("rows", "where", "says"),
    [
        ((ALFRED, "3412001,,Amy,Lee,2015-02-30,F,,,,,,"), "line 3", "date_of_birth"),
        ((ALFRED, "3412001,,Amy,Lee,2015-02-03,X,,,,,,"), "line 3", "sex"),
        (("3412001,,Amy,Lee,2015-02-03,F,,,,,",), "line 2", "11 fields, expected 12"),
        (("3412001,,,Lee,2015-02-03,F,,,,,,",), "line 2", "forename is required"),
        (("3419999,,Amy,Lee,2015-02-03,F,,,,,,",), "line 2", "not a known establishment"),
        (("3412001,A123,Amy,Lee,2015-02-03,F,,,,,,",), "line 2", "upn"),
        (("3412001,,Amy,Lee,2015-02-03,F,,,10,12,,",), "line 2", "more than sessions_possible"),
        (("3412001,,Amy,Lee,2030-02-03,F,,,,,,",), "line 2", "in the future"),
    ],
)
def test_ems_bad_rows_are_rejected_with_the_line_and_nothing_changes(schools, rows, where, says):
    ems_import(file=ems(MO))
    before = list(PupilOnRoll.objects.values_list("pk", "forename"))
    with pytest.raises(ImportRejected) as rejected:
        ems_import(file=ems(*rows), name="bad.csv")
    assert any(p.where == where and says in p.message for p in rejected.value.problems), (
        rejected.value.problems
    )
    assert list(PupilOnRoll.objects.values_list("pk", "forename")) == before
    assert AuditEvent.objects.filter(verb=Verb.IMPORT).count() == 1


def test_ems_unknown_column_is_rejected(schools):
    with pytest.raises(ImportRejected) as rejected:
        ems_import(file=b"laestab,forename,surname,date_of_birth,shoe_size\n")
    assert "unknown column(s) shoe_size" in rejected.value.problems[0].message


def test_ems_malformed_csv_is_rejected(schools):
    with pytest.raises(ImportRejected) as rejected:
        ems_import(file=(HEADER + '3412001,,"Amy,Lee,2015-02-03,F,,,,,,\n').encode())
    assert "malformed CSV" in str(rejected.value)
    assert not PupilOnRoll.objects.exists()


def test_import_ems_command(schools, tmp_path):
    path = tmp_path / "ems.csv"
    path.write_bytes(ems(ALFRED))
    call_command("import_ems", str(path))
    assert PupilOnRoll.objects.count() == 1
    path.write_bytes(ems("3412001,,Amy,Lee,2015-13-03,F,,,,,,"))
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_ems", str(path))
    assert PupilOnRoll.objects.count() == 1


# -- CTF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "sex_tag"),
    [("25.0", "Sex"), ("24.0", "Gender"), ("21.0", "Gender"), ("18.0", "Sex")],
)
def test_ctf_lost_pupil_loads_every_version_from_18(version, sex_tag):
    data = ctf(version=version, sex_tag=sex_tag, sex="M", upn=upn(7))
    result = lost_pupils_import(files=[data])
    assert result.created == 1
    pupil = LostPupil.objects.get()
    assert (pupil.forename, pupil.surname, pupil.middle_names) == ("ALEX", "SMITH", "JO")
    assert pupil.date_of_birth == date(2015, 3, 14) and pupil.sex == "M"
    assert pupil.upn == upn(7) and pupil.destination == "XXXXXXX"
    assert pupil.address == "10, Fictional Street, Liverpool" and pupil.postcode == "L8 1AA"
    assert pupil.ctf_version == version and pupil.source_laestab == "3412001"
    assert AuditEvent.objects.filter(verb=Verb.IMPORT, subject_type="lost_pupils").count() == 1


def test_ctf_same_file_twice_adds_nothing():
    lost_pupils_import(files=[ctf(dest=("MMM", "MMMM"))])
    again = lost_pupils_import(files=[ctf(dest=("MMM", "MMMM"))])
    assert (again.created, again.already_loaded) == (0, 1)
    assert LostPupil.objects.get().destination == "MMMMMMM"


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        (ctf(pupils=2), "CTFpupilData", "must hold exactly one pupil"),
        (ctf(dest=("MMM", "MMMM"), pupils=3), "CTFpupilData", "3 pupils in a file to MMMMMMM"),
        (ctf(version="26.0"), "Header/CTFversion", "26.0 is newer than this year's (25.0"),
        (ctf(version="17.0"), "Header/CTFversion", "17.0 is older than CTF 18.0"),
        (ctf(dob=""), "CTFpupilData/Pupil/DOB", "the pupil has no date of birth"),
        (ctf(surname="", forename=""), "CTFpupilData/Pupil", "neither Surname nor Forename"),
        (ctf(dest=("341", "2002")), "Header/DestSchool", "only lost-pupil files"),
        (ctf(dob="2015-02-30"), "CTFpupilData/Pupil/DOB", "not a real date"),
        (ctf(sex="Q"), "CTFpupilData/Pupil/Sex", "sex must be"),
        (ctf(upn="A341200125001"), "CTFpupilData/Pupil/UPN", "check letter"),
        (b"<CTfile><Header>", "file", "not well-formed"),
        (b"<CTF><Header/></CTF>", "CTF", "root element must be CTfile"),
        (
            b'<!DOCTYPE x [<!ENTITY a "aaaa">]><CTfile>&a;</CTfile>',
            "file",
            "unsafe XML refused",
        ),
    ],
)
def test_ctf_bad_files_are_rejected_with_the_element(data, where, says):
    good = ctf(forename="GOOD")
    with pytest.raises(ImportRejected) as rejected:
        lost_pupils_import(files=[good, data])
    assert any(p.where == where and says in p.message for p in rejected.value.problems), (
        rejected.value.problems
    )
    # The good file in the same batch was not loaded either.
    assert not LostPupil.objects.exists()


def test_import_lost_pupils_command(tmp_path):
    one, two = tmp_path / "3412001_CTF_XXXXXXX_001.xml", tmp_path / "3412001_CTF_XXXXXXX_002.xml"
    one.write_bytes(ctf(forename="ONE"))
    two.write_bytes(ctf(forename="TWO", sex_tag="Gender", version="24.0"))
    call_command("import_lost_pupils", str(one), str(two))
    assert set(LostPupil.objects.values_list("source_file", flat=True)) == {one.name, two.name}
