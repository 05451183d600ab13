"""The home education register's details for DfE's return: reason, previous school,
suitability (unsuitable opens a case), s.437(1) notices and school attendance orders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from factories import OpenCaseFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseEvent, CaseStatus
from cme.checks.home_education import (
    EntryDetails,
    home_education_judge,
    home_education_notice_add,
    home_education_update,
)
from cme.checks.models import HomeEducatedChild, HomeEducationNotice, NoticeKind, Suitability
from cme.checks.records import CHILD_RECORDS
from cme.core.errors import NotAllowed, StaleEdit
from cme.people.models import Child
from cme.records.export import child_export

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db
STARTED = date(2025, 9, 1)


@pytest.fixture
def entry() -> HomeEducatedChild:
    return HomeEducatedChild.objects.create(
        forename="Maisie",
        surname="Brown",
        date_of_birth=date(2016, 6, 1),
        address="3 Fictional Road",
        postcode="L8 2BB",
        started_on=STARTED,
    )


def test_details_are_recorded_with_before_and_after(entry, world: World):
    officer = world.users["officer"]
    updated = home_education_update(
        entry=entry,
        details=EntryDetails(
            started_on=STARTED, reason="School dissatisfaction SEND", previous_school=world.school_a
        ),
        by=officer,
        expected_version=1,
    )
    assert updated.reason == "School dissatisfaction SEND"
    assert updated.previous_school_label == f"{world.school_a.name} (URN {world.school_a.urn})"
    audit = AuditEvent.objects.get(subject_type="homeeducatedchild", verb=Verb.UPDATE)
    assert audit.details["reason"] == {"before": "", "after": "School dissatisfaction SEND"}
    assert "started_on" not in audit.details  # unchanged fields are not listed


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (EntryDetails(started_on=STARTED, reason="Lifestyle choice"), "reason"),
        (EntryDetails(started_on=STARTED, reason="Waiting school start"), "reason"),  # CME's
        (EntryDetails(started_on=timezone.localdate() + timedelta(days=1)), "started_on"),
    ],
)
def test_bad_details_are_refused_by_field_and_nothing_changes(entry, world: World, details, field):
    with pytest.raises(ValidationError) as error:
        home_education_update(
            entry=entry, details=details, by=world.users["officer"], expected_version=1
        )
    assert list(error.value.message_dict) == [field]
    entry.refresh_from_db()
    assert entry.version == 1 and entry.reason == ""


def test_a_school_from_the_list_and_a_typed_one_are_not_both_given(entry, world: World):
    with pytest.raises(ValidationError) as error:
        home_education_update(
            entry=entry,
            details=EntryDetails(
                started_on=STARTED, previous_school=world.school_a, previous_school_name="Other"
            ),
            by=world.users["officer"],
            expected_version=1,
        )
    assert list(error.value.message_dict) == ["previous_school_name"]


def test_a_stale_edit_is_refused(entry, world: World):
    home_education_update(
        entry=entry,
        details=EntryDetails(started_on=STARTED, reason="Religious"),
        by=world.users["officer"],
        expected_version=1,
    )
    with pytest.raises(StaleEdit):
        home_education_update(
            entry=entry,
            details=EntryDetails(started_on=STARTED, reason="Lifestyle"),
            by=world.users["manager"],
            expected_version=1,
        )
    entry.refresh_from_db()
    assert entry.reason == "Religious"


@pytest.mark.parametrize("who", ["school_a", "keyworker", "agency", "paews", "otherla", "admin"])
def test_only_the_cme_team_changes_the_register(entry, world: World, who):
    with pytest.raises(NotAllowed):
        home_education_judge(
            entry=entry,
            suitability=Suitability.SUITABLE,
            judged_on=STARTED,
            note="",
            by=world.users[who],
            expected_version=None,
        )


def test_suitable_education_opens_no_case(entry, world: World):
    case = home_education_judge(
        entry=entry,
        suitability=Suitability.SUITABLE,
        judged_on=date(2025, 11, 3),
        note="",
        by=world.users["officer"],
        expected_version=1,
    )
    entry.refresh_from_db()
    assert case is None and entry.suitability == Suitability.SUITABLE
    assert entry.suitability_judged_on == date(2025, 11, 3) and entry.child is None


def test_unsuitable_education_makes_the_child_cme_and_opens_a_case(entry, world: World):
    entry.previous_school = world.school_b
    entry.save()
    case = home_education_judge(
        entry=entry,
        suitability=Suitability.UNSUITABLE,
        judged_on=date(2025, 11, 3),
        note="No evidence of education after two visits",
        by=world.users["officer"],
        expected_version=1,
    )
    assert case is not None and case.status == CaseStatus.REFERRED
    entry.refresh_from_db()
    assert entry.child == case.child and case.school == world.school_b
    child = Child.objects.get(pk=case.child_id)
    assert (child.forename, child.surname, child.date_of_birth) == (
        "Maisie",
        "Brown",
        date(2016, 6, 1),
    )
    opened = CaseEvent.objects.get(case=case, kind="opened")
    assert "Unsuitable elective home education" in opened.text
    assert "No evidence of education" in opened.text
    judged = AuditEvent.objects.get(subject_type="homeeducatedchild", verb=Verb.UPDATE)
    assert judged.details["case"] == case.pk and judged.child_id == child.pk


def test_unsuitable_for_a_child_with_an_open_case_adds_to_that_case(entry, world: World):
    open_case = OpenCaseFactory.create()
    entry.child = open_case.child
    entry.save()
    case = home_education_judge(
        entry=entry,
        suitability=Suitability.UNSUITABLE,
        judged_on=date(2025, 11, 3),
        note="Not suitable",
        by=world.users["officer"],
        expected_version=1,
    )
    assert case == open_case
    assert open_case.child.cases.count() == 1
    assert CaseEvent.objects.filter(case=open_case, kind="note").count() == 1


@pytest.mark.parametrize(
    ("suitability", "judged_on", "note", "field"),
    [
        ("not_assessed", date(2025, 11, 3), "", "suitability"),
        ("unsuitable", date(2025, 11, 3), " ", "note"),
        ("suitable", date(2025, 8, 31), "", "judged_on"),  # before it started
        ("suitable", timezone.localdate() + timedelta(days=1), "", "judged_on"),
    ],
)
def test_a_judgement_is_refused_by_field(entry, world: World, suitability, judged_on, note, field):
    with pytest.raises(ValidationError) as error:
        home_education_judge(
            entry=entry,
            suitability=suitability,
            judged_on=judged_on,
            note=note,
            by=world.users["officer"],
            expected_version=1,
        )
    assert list(error.value.message_dict) == [field]
    assert not Child.objects.filter(forename="Maisie").exists()


def test_notices_and_orders_come_in_the_acts_order(entry, world: World):
    officer = world.users["officer"]
    with pytest.raises(ValidationError, match="Record the notice first"):
        home_education_notice_add(
            entry=entry,
            kind=NoticeKind.SAO_ISSUED,
            on=date(2025, 12, 1),
            by=officer,
            school=world.school_a,
        )
    with pytest.raises(ValidationError, match="Record the order first"):
        home_education_notice_add(
            entry=entry, kind=NoticeKind.SAO_REVOKED, on=date(2025, 12, 1), by=officer
        )
    home_education_notice_add(
        entry=entry, kind=NoticeKind.S437_NOTICE, on=date(2025, 11, 10), by=officer
    )
    with pytest.raises(ValidationError) as error:
        home_education_notice_add(
            entry=entry, kind=NoticeKind.SAO_ISSUED, on=date(2025, 12, 1), by=officer
        )
    assert list(error.value.message_dict) == ["school"]
    order = home_education_notice_add(
        entry=entry,
        kind=NoticeKind.SAO_ISSUED,
        on=date(2025, 12, 1),
        by=officer,
        school=world.school_a,
    )
    home_education_notice_add(
        entry=entry, kind=NoticeKind.SAO_REVOKED, on=date(2026, 2, 2), by=officer
    )
    assert order.school == world.school_a
    assert list(entry.notices.values_list("kind", flat=True)) == [
        "s437_notice",
        "sao_issued",
        "sao_revoked",
    ]
    assert AuditEvent.objects.filter(subject_type="homeeducationnotice").count() == 3
    entry.refresh_from_db()
    assert entry.version == 4


@pytest.mark.parametrize("on", [date(2025, 8, 31), timezone.localdate() + timedelta(days=1)])
def test_a_notice_date_outside_home_education_is_refused(entry, world: World, on):
    with pytest.raises(ValidationError) as error:
        home_education_notice_add(
            entry=entry, kind=NoticeKind.S437_NOTICE, on=on, by=world.users["officer"]
        )
    assert list(error.value.message_dict) == ["on"]
    assert not HomeEducationNotice.objects.exists()


def test_a_linked_entry_is_part_of_the_childs_record(entry, world: World):
    officer = world.users["officer"]
    case = OpenCaseFactory.create()
    entry.child, entry.reason = case.child, "Religious"
    entry.save()
    home_education_notice_add(
        entry=entry, kind=NoticeKind.S437_NOTICE, on=date(2025, 11, 10), by=officer
    )
    unlinked = HomeEducatedChild.objects.create(
        forename="Other", surname="Child", started_on=STARTED
    )
    exported = child_export(child=case.child, by=world.users["manager"])["home_education"]
    assert [e["reason"] for e in exported] == ["Religious"]
    assert exported[0]["notices"][0]["kind"] == "Notice under section 437(1)"
    CHILD_RECORDS.remove(case.child)
    assert not HomeEducatedChild.objects.filter(pk=entry.pk).exists()
    assert not HomeEducationNotice.objects.exists()
    assert HomeEducatedChild.objects.filter(pk=unlinked.pk).exists()
