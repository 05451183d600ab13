"""`cme import-lost-pupils` with real-shaped files of CTF 18 to this year's (tests/ctf/fixtures)."""

from __future__ import annotations

import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cme.audit.models import AuditEvent, Verb
from cme.checks.models import LostPupil

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "ctf" / "fixtures"
LOST = {
    "3412101_CTF_XXXXXXX_001.xml": ("18.0", "CONNOR", "M", "XXXXXXX"),
    "3402005_CTF_MMMMMMM_001.xml": ("20.0", "ADAEZE", "F", "MMMMMMM"),
    "3412323_CTF_XXXXXXX_001.xml": ("23.0", "ZUZANNA", "F", "XXXXXXX"),
    "3432525_CTF_MMMMMMM_001.xml": ("25.0", "ZOË", "F", "MMMMMMM"),
    "3412626_CTF_XXXXXXX_001.xml": ("26.0", "YUSUF", "M", "XXXXXXX"),
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-02 10:00 +0000", tick=False):
        yield


def run(*paths: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_lost_pupils", *(str(p) for p in paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*paths: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_lost_pupils", *(str(p) for p in paths), stdout=StringIO(), stderr=err)
    assert not LostPupil.objects.exists()
    return err.getvalue()


def test_files_from_ctf_18_to_this_years_are_loaded():
    out, _ = run(*(FIXTURES / name for name in LOST))
    assert "5 file(s) read. Added 5 lost pupil(s)" in out
    loaded = {
        p.source_file: (p.ctf_version, p.forename, p.sex, p.destination)
        for p in LostPupil.objects.all()
    }
    assert loaded == LOST
    assert AuditEvent.objects.filter(verb=Verb.IMPORT, subject_type="lost_pupils").count() == 1


def test_the_2024_file_the_register_used_to_refuse():
    run(FIXTURES / "3412323_CTF_XXXXXXX_001.xml")
    pupil = LostPupil.objects.get()
    assert (pupil.upn, pupil.surname, pupil.middle_names) == ("W341202323003", "KOWALSKA", "MARIA")
    assert pupil.date_of_birth == date(2010, 1, 30)
    assert pupil.address == "5, Larch Close, Walton, Liverpool" and pupil.postcode == "L9 9ZZ"
    assert (pupil.source_laestab, pupil.source_school_name) == (
        "3412323",
        "St Example's Catholic High School",
    )


def test_address_lines_and_a_second_run_adds_nothing():
    run(FIXTURES / "3412626_CTF_XXXXXXX_001.xml")
    out, _ = run(FIXTURES / "3412626_CTF_XXXXXXX_001.xml")
    assert "Added 0 lost pupil(s); 1 file(s) had been loaded before" in out
    assert LostPupil.objects.get().address == "2 Birch Terrace, Toxteth, Liverpool"


def test_a_file_of_several_pupils_to_a_school_is_not_a_lost_pupil_file():
    err = refused(
        FIXTURES / "3412101_CTF_XXXXXXX_001.xml", FIXTURES / "3412626_CTF_3412345_001.xml"
    )
    assert (
        "3412626_CTF_3412345_001.xml, Header/DestSchool: destination 3412345 is not XXXXXXX or "
        "MMMMMMM: only lost-pupil files are loaded here"
    ) in err


def test_several_pupils_in_a_lost_pupil_file(tmp_path):
    many = tmp_path / "3412626_CTF_XXXXXXX_002.xml"
    many.write_bytes(
        (FIXTURES / "3412626_CTF_3412345_001.xml")
        .read_bytes()
        .replace(b"<LEA>341</LEA>\n      <Estab>2345</Estab>", b"<LEA>XXX</LEA><Estab>XXXX</Estab>")
    )
    err = refused(many)
    assert (
        f"{many.name}, CTFpupilData: 3 pupils in a file to XXXXXXX: a lost-pupil file must hold "
        "exactly one pupil"
    ) in err


def test_a_file_from_the_future_is_refused_naming_the_file():
    with time_machine.travel("2025-11-10 10:00 +0000", tick=False):
        err = refused(FIXTURES / "3412626_CTF_XXXXXXX_001.xml")
    assert (
        "3412626_CTF_XXXXXXX_001.xml, Header/CTFversion: CTF version 26.0 is newer than this "
        "year's (25.0 for 2025/26)"
    ) in err


def test_a_truncated_file_is_refused_naming_the_file(tmp_path):
    cut = tmp_path / "3412323_CTF_XXXXXXX_009.xml"
    cut.write_bytes((FIXTURES / "3412323_CTF_XXXXXXX_001.xml").read_bytes()[:1500])
    err = refused(FIXTURES / "3412626_CTF_XXXXXXX_001.xml", cut)
    assert f"{cut.name}, file: not well-formed XML: it may be truncated or damaged" in err


def test_unsafe_xml_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><CTfile>&b;</CTfile>')
    assert "bomb.xml, file: unsafe XML refused" in refused(bomb)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"No such file: .*nowhere\.xml"):
        call_command("import_lost_pupils", str(tmp_path / "nowhere.xml"))


def test_a_copy_under_any_name_is_read(tmp_path):
    copy = tmp_path / "download (3).xml"
    shutil.copy(FIXTURES / "3432525_CTF_MMMMMMM_001.xml", copy)
    run(copy)
    assert LostPupil.objects.get().source_file == "download (3).xml"
