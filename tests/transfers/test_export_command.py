"""`cme export-ctf`: a file `cme import-lost-pupils` reads back with the same pupil."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

import pytest
from django.core.management import CommandError, call_command

from cme.audit.models import AuditEvent, Verb
from cme.checks.models import LostPupil
from cme.people.models import Address
from cme.transfers.export import child_ctf_export

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def test_export_then_import_gives_the_same_pupil(world: World, tmp_path) -> None:
    child = world.case_at_a.child
    child.upn = "A341200115001"
    from cme.rules import upn_check_letter

    child.upn = upn_check_letter(child.upn[1:]) + child.upn[1:]
    child.middle_names = "Jo"
    child.save()
    Address.objects.create(
        child=child, line_1="10 Fictional Street", town="Exampletown", postcode="ZZ9 1AA"
    )
    out = StringIO()
    call_command("export_ctf", child=child.pk, to="XXXXXXX", out=tmp_path, by="officer", stdout=out)
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [f"{world.school_a.laestab}_CTF_XXXXXXX_001.xml"]
    assert "written from the record" in out.getvalue()
    assert AuditEvent.objects.filter(
        verb=Verb.EXPORT, subject_type="child", child_id=child.pk
    ).exists()

    call_command("import_lost_pupils", str(files[0]), stdout=StringIO())
    pupil = LostPupil.objects.get()
    assert (pupil.forename, pupil.surname, pupil.middle_names) == (
        child.forename,
        child.surname,
        child.middle_names,
    )
    assert (pupil.date_of_birth, pupil.sex, pupil.upn) == (
        child.date_of_birth,
        child.sex,
        child.upn,
    )
    assert pupil.postcode == "ZZ9 1AA"
    assert pupil.source_laestab == world.school_a.laestab
    assert pupil.stored_file is not None
    assert bytes(pupil.stored_file.data) == files[0].read_bytes()


def test_a_stored_original_is_forwarded_not_rewritten(world: World, tmp_path) -> None:
    from transfer_files import ctf_for

    from cme.people.ctf_store import ctf_store
    from cme.people.models import CtfOrigin

    child = world.case_at_a.child
    original = ctf_for(child, source="3412999", to="XXXXXXX")
    ctf_store(data=original, name="orig.xml", origin=CtfOrigin.LOST_PUPIL, by=None, child=child)
    exported = child_ctf_export(user=world.users["officer"], child=child, to=world.school_b.laestab)
    assert exported.forwarded
    assert exported.name == f"3412999_CTF_{world.school_b.laestab}_001.xml"
    assert b"<Estab>" + world.school_b.laestab[3:].encode() in exported.data


@pytest.mark.parametrize(
    ("to", "message"),
    [("3419999", "not a school"), ("12", "7-digit LAESTAB"), ("YYYYYYY", "7-digit LAESTAB")],
)
def test_bad_destinations_are_refused(world: World, tmp_path, to, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("export_ctf", child=world.case_at_a.child.pk, to=to, out=tmp_path)
    assert not list(tmp_path.iterdir())


def test_no_last_school_says_what_to_do(world: World, tmp_path) -> None:
    with pytest.raises(CommandError, match="last school"):
        call_command(
            "export_ctf", child=world.case_referred_by_agency.child.pk, to="XXXXXXX", out=tmp_path
        )


def test_a_multi_pupil_original_cannot_go_to_xxxxxxx(world: World) -> None:
    from django.core.exceptions import ValidationError
    from transfer_files import ctf_for

    from cme.people.ctf_store import ctf_store
    from cme.people.models import CtfOrigin

    child = world.case_at_a.child
    data = ctf_for(child, source="3412999", to="3412998", pupils=2)
    ctf_store(data=data, name="class.xml", origin=CtfOrigin.SCHOOL_UPLOAD, by=None, child=child)
    with pytest.raises(ValidationError, match="exactly one pupil"):
        child_ctf_export(user=world.users["officer"], child=child, to="XXXXXXX")
