"""Correcting a child's identity: history kept with who, when and why; the UPN checked; stale
forms refused with what changed; each change audited (ids and field names only) and its values
kept beside the child."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.audit.models import AuditEvent, Verb
from cme.core.errors import NotAllowed, StaleEdit
from cme.people.models import Child, FormerDateOfBirth, FormerName, RecordChange
from cme.people.services import IdentityChange, child_identity_update

if TYPE_CHECKING:
    from conftest import World
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


def _change(child: Child, **changes: object) -> IdentityChange:
    return IdentityChange.of(child, **changes)


def test_a_changed_surname_is_kept_as_a_former_name_with_who_when_and_why(world: World) -> None:
    child = world.case_at_a.child
    officer = world.users["officer"]
    old_surname = child.surname
    change = child_identity_update(
        child=child,
        change=_change(child, surname="Brennan"),
        reason="Mother's surname since the parents separated",
        by=officer,
        expected_version=child.version,
    )
    child.refresh_from_db()
    assert child.surname == "Brennan"
    assert child.version == 2
    former = FormerName.objects.get(child=child)
    assert (former.surname, former.forename) == (old_surname, child.forename)
    assert former.reason == "Mother's surname since the parents separated"
    assert former.replaced_by == officer
    assert former.used_until == timezone.localdate()
    assert change is not None
    assert change.before == {"surname": old_surname} and change.after == {"surname": "Brennan"}
    event = AuditEvent.objects.get(verb=Verb.UPDATE, child_id=child.pk)
    assert event.details == {
        "part": "identity",
        "action": "changed",
        "fields": ["surname"],
        "change_id": change.pk,
    }
    # The trail outlives the record: it names the change, never the names.
    assert "Brennan" not in str(event.details) and old_surname not in str(event.details)


def test_a_changed_date_of_birth_is_kept_and_needs_a_reason(world: World) -> None:
    child = world.case_at_a.child
    old = child.date_of_birth
    new = date(2014, 4, 3)
    with pytest.raises(ValidationError) as refused:
        child_identity_update(
            child=child,
            change=_change(child, date_of_birth=new),
            by=world.users["officer"],
            expected_version=child.version,
        )
    assert "reason" in refused.value.message_dict
    assert not FormerDateOfBirth.objects.exists()
    child_identity_update(
        child=child,
        change=_change(child, date_of_birth=new),
        reason="Birth certificate seen on the home visit",
        by=world.users["officer"],
        expected_version=child.version,
    )
    child.refresh_from_db()
    assert child.date_of_birth == new
    kept = FormerDateOfBirth.objects.get(child=child)
    assert kept.date_of_birth == old and kept.replaced_by == world.users["officer"]


def test_a_upn_is_checked_and_the_old_one_kept_as_former(world: World) -> None:
    from cme.rules import upn_check_letter

    child = world.case_at_a.child
    body = "341200014001"
    good = upn_check_letter(body) + body
    wrong = ("B" if good[0] == "A" else "A") + body
    with pytest.raises(ValidationError) as refused:
        child_identity_update(
            child=child,
            change=_change(child, upn=wrong),
            by=world.users["officer"],
            expected_version=None,
        )
    assert "check letter" in refused.value.message_dict["upn"][0]
    old = child.upn
    child_identity_update(
        child=child,
        change=_change(child, upn=good.lower()[:4] + " " + good.lower()[4:]),
        by=world.users["officer"],
        expected_version=None,
    )
    child.refresh_from_db()
    assert child.upn == good
    assert child.former_upns == ([old] if old else [])


def test_nothing_changed_writes_nothing(world: World) -> None:
    child = world.case_at_a.child
    before = AuditEvent.objects.count()
    assert (
        child_identity_update(
            child=child, change=_change(child), by=world.users["officer"], expected_version=1
        )
        is None
    )
    assert AuditEvent.objects.count() == before
    assert not RecordChange.objects.exists()


def test_a_stale_version_is_refused_and_nothing_is_written(world: World) -> None:
    child = world.case_at_a.child
    officer = world.users["officer"]
    child_identity_update(
        child=child,
        change=_change(child, forename="Alfred"),
        reason="Full name",
        by=world.users["manager"],
        expected_version=1,
    )
    with pytest.raises(StaleEdit) as refused:
        child_identity_update(
            child=child,
            change=_change(child, surname="Other"),
            reason="x",
            by=officer,
            expected_version=1,
        )
    assert "changed the name and identity (first name)" in refused.value.messages[0]
    child.refresh_from_db()
    assert child.surname != "Other"
    assert FormerName.objects.count() == 1


@pytest.mark.parametrize("who", ["paews", "school_a", "keyworker", "agency", "otherla", "admin"])
def test_only_the_cme_team_corrects_identity(world: World, who: str) -> None:
    child = world.case_at_a.child
    with pytest.raises(NotAllowed):
        child_identity_update(
            child=child,
            change=_change(child, surname="X"),
            reason="r",
            by=world.users[who],
            expected_version=None,
        )
    assert not Child.objects.filter(surname="X").exists()


def _post(client: Client, child: Child, **fields: str) -> Response:
    born = child.date_of_birth
    data = {
        "version": str(child.version),
        "forename": child.forename,
        "middle_names": child.middle_names,
        "surname": child.surname,
        "preferred_name": child.preferred_name,
        "date_of_birth_0": str(born.day) if born else "",
        "date_of_birth_1": str(born.month) if born else "",
        "date_of_birth_2": str(born.year) if born else "",
        "sex": child.sex,
        "upn": child.upn,
        "reason": "",
        **fields,
    }
    return client.post(reverse("people:identity", args=[child.pk]), data)


def test_the_page_corrects_a_surname_and_the_child_page_shows_the_former_one(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    old = child.surname
    client.force_login(world.users["officer"])
    page = client.get(reverse("people:identity", args=[child.pk]))
    assert page.status_code == 200
    assert f'value="{child.version}"' in page.content.decode()
    response = _post(client, child, surname="Brennan", reason="Adopted")
    assert response.status_code == 302
    shown = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Brennan" in shown
    assert old in shown and "Adopted" in shown
    assert "Name and identity saved" in shown


def test_bad_input_is_shown_beside_the_field_and_in_the_summary_and_kept(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _post(
        client,
        child,
        forename="",
        surname="",
        upn="A12",
        date_of_birth_0=str(tomorrow.day),
        date_of_birth_1=str(tomorrow.month),
        date_of_birth_2=str(tomorrow.year),
        middle_names="Typed Middle",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert text.count("Enter the child&#x27;s first name or last name") == 2  # summary + field
    assert "A UPN has 13 characters; this one has 3." in text
    assert "Date of birth must be in the past" in text
    assert 'value="Typed Middle"' in text  # what was typed is kept
    assert "This field is required" not in text
    child.refresh_from_db()
    assert child.middle_names != "Typed Middle"


def test_a_too_long_name_gets_a_message_written_for_the_service(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    text = _post(client, child, surname="x" * 101, reason="r").content.decode()
    assert "Last name must be 100 characters or fewer" in text
    assert "Ensure this value" not in text


def test_a_stale_form_is_refused_with_the_latest_values_and_the_change(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    opened_version = child.version
    child_identity_update(
        child=child,
        change=_change(child, surname="Changed-Elsewhere"),
        reason="Adopted",
        by=world.users["manager"],
        expected_version=opened_version,
    )
    child.refresh_from_db()
    client.force_login(world.users["officer"])
    response = _post(client, child, version=str(opened_version), surname="Mine", reason="Typo")
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else changed this record" in text
    assert 'value="Changed-Elsewhere"' in text  # the form shows the record as it is now
    assert f'value="{child.version}"' in text
    assert "What changed while you were working on it" in text
    child.refresh_from_db()
    assert child.surname == "Changed-Elsewhere"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 200),
        ("manager", 200),
        ("paews", 403),  # reads identity, may not change it
        ("keyworker", 403),
        ("school_a", 403),
        ("school_b", 404),  # not their pupil: as if there were no such child
        ("agency", 404),
        ("otherla", 404),
        ("admin", 404),
    ],
)
def test_who_reaches_the_identity_page(client: Client, world: World, who: str, status: int) -> None:
    child = world.case_at_a.child
    client.force_login(world.users[who])
    assert client.get(reverse("people:identity", args=[child.pk])).status_code == status
    response = _post(client, child, surname="Intruder", reason="r")
    assert response.status_code == (302 if status == 200 else status)
    child.refresh_from_db()
    assert (child.surname == "Intruder") == (status == 200)
    # The child's page offers the correction only to those who may make it.
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert (reverse("people:identity", args=[child.pk]) in page) == (status == 200)
