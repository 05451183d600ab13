"""The lost pupil database feeds the register: offered on a matching case, else referred."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

import pytest
from ctf_builder import ctf
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.checks.imports import lost_pupils_import
from cme.checks.lost_pupils import in_city, postcode_district
from cme.checks.models import Decision, LostPupil, LostPupilMatch, LostPupilStatus
from cme.people.models import StoredCtf
from cme.referrals.models import Referral, Route

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _alfie_file() -> bytes:
    return ctf(surname="JONES", forename="ALFIE", dob="2015-03-14", sex="M")


def test_a_match_is_offered_on_the_case_with_reasons(alfie, client, world: World) -> None:
    result = lost_pupils_import(files=[_alfie_file()])
    assert (result.created, result.offered, result.referred) == (1, 1, 0)
    match = LostPupilMatch.objects.get()
    assert match.case == alfie and match.reasons
    assert LostPupil.objects.get().status == LostPupilStatus.OFFERED
    assert not Referral.objects.filter(route=Route.LOST_PUPIL_DB).exists()

    client.force_login(world.users["officer"])
    page = client.get(reverse("checks:lost-pupils", args=[alfie.pk])).content.decode()
    assert "ALFIE" in page and match.reasons[0] in page
    client.force_login(world.users["school_a"])
    assert client.get(reverse("checks:lost-pupils", args=[alfie.pk])).status_code == 403


def test_confirm_then_forward_to_the_admitting_school(alfie, client, world: World) -> None:
    lost_pupils_import(files=[_alfie_file()])
    match = LostPupilMatch.objects.get()
    client.force_login(world.users["officer"])
    url = reverse("checks:lost-pupil-decide", args=[match.pk])
    assert client.post(url, {"action": "reject", "reason": ""}).status_code == 400
    client.post(url, {"action": "confirm", "reason": "Same UPN and date of birth"})
    match.refresh_from_db()
    assert match.decision == Decision.CONFIRMED
    stored = StoredCtf.objects.get()
    assert stored.child == alfie.child  # removed with the child by retention from now on
    assert AuditEvent.objects.filter(subject_type="lostpupilmatch", verb=Verb.UPDATE).exists()

    forward = reverse("checks:lost-pupil-forward", args=[match.pk])
    refused = client.post(forward, {"to": "3419999"})
    assert refused.status_code == 400 and "not a school" in refused.content.decode()
    response = client.post(forward, {"to": world.school_b.laestab})
    assert response.status_code == 200
    assert f"3412001_CTF_{world.school_b.laestab}_001.xml" in response["Content-Disposition"]
    assert b"<Estab>" + world.school_b.laestab[3:].encode() in response.content
    assert b"<NCyearActual>5</NCyearActual>" in response.content  # the original's content
    pupil = LostPupil.objects.get()
    assert pupil.status == LostPupilStatus.FOUND
    assert pupil.found_child == alfie.child and pupil.forwarded_to == world.school_b.laestab
    assert AuditEvent.objects.filter(
        subject_type="storedctf", verb=Verb.EXPORT, child_id=alfie.child_id
    ).exists()


def test_no_match_in_the_city_becomes_a_referral(world: World) -> None:
    result = lost_pupils_import(files=[ctf(surname="NOBODY", forename="ZED", dob="2013-06-01")])
    assert (result.offered, result.referred) == (0, 1)
    referral = Referral.objects.get(route=Route.LOST_PUPIL_DB)
    assert referral.route == Route.LOST_PUPIL_DB
    assert referral.described["surname"] == "NOBODY"
    assert referral.described["postcode"] == "L8 1AA"
    assert LostPupil.objects.get().referral == referral


def test_no_match_outside_the_city_is_kept_unmatched(world: World, settings) -> None:
    settings.CME_CITY_POSTCODE_DISTRICTS = ["L1"]
    lost_pupils_import(files=[ctf(surname="NOBODY", forename="ZED", dob="2013-06-01")])
    assert not Referral.objects.filter(route=Route.LOST_PUPIL_DB).exists()
    assert LostPupil.objects.get().status == LostPupilStatus.UNMATCHED


def test_in_the_city_by_postcode_district_or_the_sending_school() -> None:
    assert postcode_district("l8 1aa") == "L8" and postcode_district("L181AB") == "L18"
    assert in_city(LostPupil(postcode="L8 1AA"))
    assert not in_city(LostPupil(postcode="L10 1AA"))  # Fazakerley: partly Sefton
    assert in_city(LostPupil(postcode="", source_laestab="3412001"))
    assert not in_city(LostPupil(postcode="", source_laestab="3402001"))


def test_a_file_loaded_twice_says_when_and_adds_nothing(world: World) -> None:
    data = ctf(surname="NOBODY", forename="ZED", dob="2013-06-01")
    lost_pupils_import(files=[data])
    out = StringIO()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "again.xml"
        path.write_bytes(data)
        call_command("import_lost_pupils", str(path), stdout=out)
    assert "already loaded on" in out.getvalue()
    assert (
        LostPupil.objects.count() == 1
        and Referral.objects.filter(route=Route.LOST_PUPIL_DB).count() == 1
    )


def test_a_bad_file_among_good_ones_loads_nothing(world: World) -> None:
    good = ctf(surname="NOBODY", forename="ZED", dob="2013-06-01")
    with pytest.raises(ValidationError) as error:
        lost_pupils_import(files=[good, ctf(pupils=2), good[:200], ctf(dest=("341", "2002"))])
    text = " ".join(error.value.messages)
    assert "exactly one pupil" in text and "truncated" in text and "not XXXXXXX" in text
    assert not LostPupil.objects.exists()
    assert not StoredCtf.objects.exists()
    assert not Referral.objects.filter(route=Route.LOST_PUPIL_DB).exists()
