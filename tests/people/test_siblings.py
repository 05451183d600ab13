"""Brothers and sisters: kept on the family part of the record, linked from both sides when
both are on the register, and their schools offered for a CME3a."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from factories import EstablishmentFactory, OpenCaseFactory

from cme.audit.models import AuditEvent
from cme.core.errors import NotAllowed
from cme.enquiries.models import SchoolReason
from cme.enquiries.selectors import school_suggestions
from cme.people.models import RecordChange, Sibling
from cme.people.selectors import siblings_of
from cme.people.services import sibling_add, sibling_remove

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _as(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_one_known_by_name_with_their_school(world: World) -> None:
    child = world.case_at_a.child
    school = EstablishmentFactory.create(name="Sibling's Fictional High", la_code="343")
    row = sibling_add(
        child=child,
        by=world.users["officer"],
        name="Jake Example",
        date_of_birth=date(2010, 3, 1),
        school=school,
        relationship="brother",
    )
    [line] = siblings_of(child)
    assert (line.name, line.school, line.on_register) == ("Jake Example", school, None)
    change = RecordChange.objects.get(subject_type="sibling", subject_id=row.pk)
    assert change.part == "carers" and change.after["name"] == "Jake Example"
    assert AuditEvent.objects.filter(subject_type="sibling", subject_id=row.pk).exists()


def test_one_on_the_register_is_linked_from_both_sides_and_removed_from_both(
    world: World,
) -> None:
    child, other = world.case_at_a.child, world.case_at_b.child
    officer = world.users["officer"]
    row = sibling_add(child=child, by=officer, sibling=other, relationship="sister")
    # Their school comes from their own case when none is given.
    assert [(s.on_register, s.school) for s in siblings_of(child)] == [(other.pk, world.school_b)]
    assert [s.on_register for s in siblings_of(other)] == [child.pk]
    with pytest.raises(ValidationError):
        sibling_add(child=child, by=officer, sibling=other)
    with pytest.raises(ValidationError) as no_reason:
        sibling_remove(row=row, by=officer, reason=" ")
    assert "reason" in no_reason.value.message_dict
    sibling_remove(row=row, by=officer, reason="Recorded on the wrong family")
    assert not Sibling.objects.exists()
    assert RecordChange.objects.filter(subject_type="sibling", action="ended").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Jo", "date_of_birth": date.today() + timedelta(days=1)}, "date_of_birth"),
    ],
)
def test_bad_siblings_are_refused(world: World, changes: dict, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        sibling_add(child=world.case_at_a.child, by=world.users["officer"], **changes)
    assert field in refused.value.message_dict


def test_a_child_is_not_their_own_sibling(world: World) -> None:
    child = world.case_at_a.child
    with pytest.raises(ValidationError):
        sibling_add(child=child, by=world.users["officer"], sibling=child)


@pytest.mark.parametrize("name", ["school_a", "keyworker", "agency", "otherla", "admin"])
def test_only_those_who_write_the_family_add_one(world: World, name: str) -> None:
    with pytest.raises(NotAllowed):
        sibling_add(child=world.case_at_a.child, by=world.users[name], name="Jake Example")


# What each role gets on the page (the family part, docs/access.md): the CME team and the case's
# PAEWS officer read and write; its key worker reads; its school and everyone else: nothing.
PAGE = {"officer": "write", "manager": "write", "paews": "write", "keyworker": "read"}


@pytest.mark.parametrize(
    "name",
    ["officer", "manager", "paews", "paews_other", "keyworker", "school_a", "school_b", "agency",
     "otherla", "admin"],
)  # fmt: skip
def test_every_role_on_the_page(world: World, name: str) -> None:
    child = world.case_at_a.child
    sibling_add(child=child, by=world.users["officer"], name="Jake Example")
    client = _as(world, name)
    url = f"/children/{child.pk}/siblings/"
    page = client.get(url)
    added = client.post(url, {"name": "Posted Name"})
    expected = PAGE.get(name)
    if expected is None:
        assert page.status_code in {403, 404} and added.status_code in {403, 404}
        assert "Jake Example" not in page.content.decode()
    else:
        body = page.content.decode()
        assert page.status_code == 200 and "Jake Example" in body
        assert ("Add a brother or sister" in body) == (expected == "write")
        assert added.status_code == (302 if expected == "write" else 403)
    assert Sibling.objects.filter(name="Posted Name").exists() == (expected == "write")


def test_the_page_keeps_what_was_typed_on_error(world: World) -> None:
    child = world.case_at_a.child
    response = _as(world, "officer").post(
        f"/children/{child.pk}/siblings/", {"relationship": "half-brother", "record": "999999"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "No child on the register has that record" in body
    assert 'value="half-brother"' in body


def test_siblings_schools_are_offered_for_a_cme3a(world: World) -> None:
    case = world.case_at_a
    elsewhere = EstablishmentFactory.create(name="Sibling's Fictional High")
    sibling_add(child=case.child, by=world.users["officer"], name="Jake", school=elsewhere)
    other_case = OpenCaseFactory.create(school=world.school_b)
    sibling_add(child=case.child, by=world.users["officer"], sibling=other_case.child)
    offered = [(s, reason) for s, reason, _ in school_suggestions(case)]
    assert offered[0] == (world.school_a, SchoolReason.LAST_SCHOOL)
    assert (elsewhere, SchoolReason.SIBLING_SCHOOL) in offered
    assert (world.school_b, SchoolReason.SIBLING_SCHOOL) in offered
    page = _as(world, "officer").get(f"/enquiries/cases/{case.pk}/send/cme3a/").content.decode()
    assert "Sibling&#x27;s Fictional High (a sibling&#x27;s school)" in page
