"""The school returns API (SI 2024/208 reg 13): the contract MIS vendors build against."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from factories import ChildFactory, OpenCaseFactory
from rest_framework.test import APIClient

from cme.audit.models import AuditEvent, Verb
from cme.checks.models import PupilOnRoll
from cme.roll.models import (
    ActionStatus,
    AttendancePupil,
    AttendanceReturn,
    DeletionReturn,
    NewPupilReturn,
    ReinstatementDirection,
    SicknessReturn,
)
from cme.transfers.models import Transfer, TransferSource

if TYPE_CHECKING:
    from conftest import World

TODAY = date(2026, 3, 16)  # a Monday in the spring term of 2025/26
UPN = "P207000016049"
Api = Callable[[str], APIClient]


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


def _pupil(**changes: Any) -> dict[str, Any]:
    pupil = {
        "forename": "Evie",
        "surname": "Fictional",
        "date_of_birth": "2015-03-31",
        "sex": "F",
        "upn": UPN,
        "address_line_1": "1 Example Street",
        "town": "Liverpool",
        "postcode": "L1 1JQ",
    }
    pupil.update(changes)
    return pupil


def _deletion(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "pupil": _pupil(),
        "parents": [
            {
                "name": "Jo Fictional",
                "address_line_1": "1 Example Street",
                "postcode": "L1 1JQ",
                "telephone": "0151 000 0000",
                "lives_with": True,
            }
        ],
        "ground": "9(1)(a)",
        "deleted_on": "2026-03-13",
        "admitted_on": "2019-09-04",
        "future_school": {"name": "Another school", "laestab": ""},
        "facts": {"registered_at_another_school": True},
    }
    body.update(changes)
    return body


def _on_roll_at(school: Any, upn: str = UPN) -> None:
    PupilOnRoll.objects.create(
        establishment=school,
        upn=upn,
        forename="Evie",
        surname="Fictional",
        date_of_birth=date(2015, 3, 31),
        loaded_at=datetime(2026, 3, 1, 9, 0).astimezone(),
    )


def test_a_lawful_deletion_is_assessed_audited_queued_and_opens_its_transfer(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_a)
    body = _deletion(future_school={"name": world.school_b.name, "laestab": world.school_b.laestab})
    response = api_as("school_a").post("/api/v1/returns/deletions/", body, format="json")
    assert response.status_code == 201, response.json()
    shown = response.json()
    assert shown["assessment"] == {
        "lawful": True,
        "ground": "9(1)(a)",
        "ground_title": shown["assessment"]["ground_title"],
        "regulation": (
            "The School Attendance (Pupil Registration) (England) Regulations 2024 "
            "(SI 2024/208), reg 9(1)(a)"
        ),
        "reasons": [],
        "case_id": None,
        "referral_id": None,
        "referral_reference": None,
    }
    assert shown["pupil"]["upn"] == UPN and shown["pupil"]["surname"] == "Fictional"
    assert shown["parents"][0]["missing"] == []
    assert shown["flags"] == []
    # The transfer duty: 15 school days on the school's calendar from Friday 13 March.
    transfer = Transfer.objects.get()
    assert transfer.source == TransferSource.DELETION_RETURN
    assert transfer.destination == world.school_b.laestab
    assert transfer.due_on == date(2026, 4, 17)  # over the Easter holiday: school days only
    assert shown["transfer"]["due_on"] == "2026-04-17"
    record = DeletionReturn.objects.get()
    assert record.action_status == ActionStatus.TO_DO and "CTF" in record.action
    event = AuditEvent.objects.get(verb=Verb.RETURN_RECEIVED)
    assert event.child_id == record.child_id and event.details["lawful"] is True


def test_twenty_days_absence_without_joint_enquiries_is_unlawful_and_says_why(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_a)
    body = _deletion(
        ground="9(1)(i)",
        future_school={},
        facts={"first_day_absent": "2026-02-06", "absence_codes": ["N", "G", "O"]},
    )
    response = api_as("school_a").post("/api/v1/returns/deletions/", body, format="json")
    assert response.status_code == 201, response.json()
    assessment = response.json()["assessment"]
    assert assessment["lawful"] is False
    texts = [r["text"] for r in assessment["reasons"]]
    assert any("enquiries must be joint" in t for t in texts), texts
    assert any("CME1 checklist" in t for t in texts), texts
    cites = {r["cites"] for r in assessment["reasons"]}
    assert any(c.endswith("reg 9(1)(i)") for c in cites)
    assert any("Children Missing from Education" in c for c in cites)
    # 20 school days: 6 Feb to 12 Mar, less the half term week of 16-20 Feb.
    assert DeletionReturn.objects.get().facts_held["continuous_absence_school_days"] == 20
    assert "reinstatement direction" in DeletionReturn.objects.get().action


def test_an_unknown_ground_is_refused_listing_the_valid_ones(
    spring: None, world: World, api_as: Api
) -> None:
    response = api_as("school_a").post(
        "/api/v1/returns/deletions/", _deletion(ground="8(1)(h)"), format="json"
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "ground"
    for valid in ("9(1)(a)", "9(1)(i)", "9(3)(c)", "9(3)(e)"):
        assert valid in error["message"]
    assert not DeletionReturn.objects.exists() and not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"deleted_on": "2026-03-17"}, "deleted_on", "today or earlier"),
        (
            {"admitted_on": "2026-03-14", "deleted_on": "2026-03-13"},
            "deleted_on",
            "before they were admitted",
        ),
        ({"pupil": _pupil(upn="A207000016049")}, "pupil.upn", "check letter should be P"),
        ({"pupil": _pupil(date_of_birth="2027-01-01")}, "pupil.date_of_birth", "in the past"),
        ({"deleted_on": "13/03/2026"}, "deleted_on", "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_kept(
    spring: None, world: World, api_as: Api, changes: dict[str, Any], field: str, words: str
) -> None:
    response = api_as("school_a").post(
        "/api/v1/returns/deletions/", _deletion(**changes), format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors
    assert not DeletionReturn.objects.exists()
    assert not Transfer.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.RETURN_RECEIVED).exists()


def test_missing_parent_details_are_accepted_and_marked(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_a)
    body = _deletion(parents=[{"name": "Jo Fictional", "lives_with": True}])
    response = api_as("school_a").post("/api/v1/returns/deletions/", body, format="json")
    assert response.status_code == 201
    (parent,) = response.json()["parents"]
    assert parent["missing"] == ["address_line_1", "postcode", "telephone"]
    assert any("parent details are missing" in f for f in response.json()["flags"])


def test_a_pupil_the_school_never_had_is_accepted_but_flagged(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_b)  # on the other school's roll, not this one's
    response = api_as("school_a").post("/api/v1/returns/deletions/", _deletion(), format="json")
    assert response.status_code == 201
    assert any("no record of this pupil at this school" in f for f in response.json()["flags"])


def test_a_pupil_over_compulsory_school_age_is_assessed_under_9_3(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_a)
    body = _deletion(pupil=_pupil(date_of_birth="2008-01-10"))
    response = api_as("school_a").post("/api/v1/returns/deletions/", body, format="json")
    texts = [r["text"] for r in response.json()["assessment"]["reasons"]]
    assert response.json()["assessment"]["lawful"] is False
    assert any("not of compulsory school age" in t for t in texts), texts


def test_each_school_reads_only_what_it_sent_and_the_cme_team_reads_all(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_a)
    assert (
        api_as("school_a")
        .post("/api/v1/returns/deletions/", _deletion(), format="json")
        .status_code
        == 201
    )
    mine = api_as("school_a").get("/api/v1/returns/deletions/").json()
    assert mine["count"] == 1 and mine["results"][0]["assessment"]["ground"] == "9(1)(a)"
    assert api_as("school_b").get("/api/v1/returns/deletions/").json()["count"] == 0
    assert api_as("officer").get("/api/v1/returns/deletions/").json()["count"] == 1
    for name in ("agency", "keyworker", "otherla", "paews", "admin"):
        assert api_as(name).get("/api/v1/returns/deletions/").status_code == 403, name
    for name in ("officer", "agency", "paews"):
        response = api_as(name).post("/api/v1/returns/deletions/", _deletion(), format="json")
        assert response.status_code == 403, name
    listed = AuditEvent.objects.filter(verb=Verb.LIST, subject_type="deletionreturn")
    assert listed.count() == 2  # school A's read and the officer's


def test_a_new_pupil_return_matching_an_open_case_asks_the_officer_to_close_it(
    spring: None, world: World, api_as: Api
) -> None:
    child = ChildFactory.create(upn=UPN, forename="Evie", surname="Fictional")
    case = OpenCaseFactory.create(child=child, opened_on=date(2026, 1, 5))
    body = {"pupil": _pupil(), "admitted_on": "2026-03-12", "parents": [{"name": "Jo Fictional"}]}
    response = api_as("school_b").post("/api/v1/returns/new-pupils/", body, format="json")
    assert response.status_code == 201, response.json()
    assert f"open case {case.pk}" in response.json()["action"]
    assert NewPupilReturn.objects.get().child == child
    assert api_as("school_b").get("/api/v1/returns/new-pupils/").json()["count"] == 1
    bad = api_as("school_b").post(
        "/api/v1/returns/new-pupils/", {**body, "admitted_on": "2026-04-01"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "admitted_on"


def test_an_attendance_return_lists_its_pupils_and_a_nil_return_is_a_return(
    spring: None, world: World, api_as: Api
) -> None:
    body: dict[str, Any] = {
        "period_from": "2026-02-23",
        "period_to": "2026-03-13",
        "pupils": [
            {
                "pupil": _pupil(),
                "reason": "ten_days",
                "first_day_absent": "2026-02-27",
                "school_days_absent": 11,
                "codes": "GGNNOO",
            }
        ],
    }
    response = api_as("school_a").post("/api/v1/returns/attendance/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["pupils"][0]["reason"] == "ten_days"
    nil = api_as("school_b").post(
        "/api/v1/returns/attendance/", {**body, "pupils": []}, format="json"
    )
    assert nil.status_code == 201 and nil.json()["pupils"] == []
    assert AttendanceReturn.objects.count() == 2 and AttendancePupil.objects.count() == 1
    coded = {**body, "pupils": [{**body["pupils"][0], "codes": "GGII"}]}
    bad = api_as("school_a").post("/api/v1/returns/attendance/", coded, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "pupils.0.codes"
    assert AttendanceReturn.objects.count() == 2
    got = api_as("school_a").get("/api/v1/returns/attendance/").json()
    assert got["count"] == 1 and got["results"][0]["pupils"][0]["pupil"]["upn"] == UPN


def test_a_sickness_return_and_a_second_for_the_same_absence_flagged(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_a)
    body = {"pupil": _pupil(), "absent_from": "2026-02-23", "basis": "consecutive"}
    first = api_as("school_a").post("/api/v1/returns/sickness/", body, format="json")
    assert first.status_code == 201 and first.json()["flags"] == []
    assert "s.19" in first.json()["action"]
    second = api_as("school_a").post("/api/v1/returns/sickness/", body, format="json")
    assert any("13(11)" in f for f in second.json()["flags"])
    assert SicknessReturn.objects.count() == 2
    bad = api_as("school_a").post(
        "/api/v1/returns/sickness/", {**body, "basis": "weeks"}, format="json"
    )
    assert bad.status_code == 400 and "consecutive" in bad.json()["errors"][0]["message"]


def test_the_returns_are_in_the_openapi_document(client: Any, db: None) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("new-pupils", "deletions", "attendance", "sickness"):
        operations = schema["paths"][f"/api/v1/returns/{path}/"]
        assert {"get", "post"} <= set(operations), path
    deletion = schema["components"]["schemas"]["DeletionReturnShown"]["properties"]
    assert {"assessment", "pupil", "parents", "ground", "deleted_on"} <= set(deletion)


def _unlawful_deletion(api_as: Api, world: World) -> dict[str, Any]:
    _on_roll_at(world.school_a)
    body = _deletion(
        ground="9(1)(i)",
        future_school={},
        facts={"first_day_absent": "2026-02-06", "absence_codes": ["N", "G", "O"]},
    )
    response = api_as("school_a").post("/api/v1/returns/deletions/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_unlawful_deletion_answers_with_its_reinstatement_direction(
    spring: None, world: World, api_as: Api
) -> None:
    shown = _unlawful_deletion(api_as, world)
    direction = ReinstatementDirection.objects.get()
    assert shown["direction"] == {
        "id": direction.pk,
        "reference": direction.reference,
        "status": "awaiting",
        "issued_at": shown["direction"]["issued_at"],
        "reinstated_on": None,
        "letter": f"/reinstatements/{direction.pk}/letter.pdf",
    }
    assert shown["assessment"]["lawful"] is False  # the assessment is as it was
    listed = api_as("school_a").get("/api/v1/returns/deletions/").json()["results"]
    assert listed[0]["direction"]["status"] == "awaiting"


def test_a_lawful_deletion_has_no_direction_in_its_answer(
    spring: None, world: World, api_as: Api
) -> None:
    _on_roll_at(world.school_a)
    response = api_as("school_a").post("/api/v1/returns/deletions/", _deletion(), format="json")
    assert response.json()["direction"] is None
    deletion_id = response.json()["id"]
    answer = api_as("school_a").post(
        f"/api/v1/returns/deletions/{deletion_id}/reinstated/",
        {"reinstated_on": "2026-03-16"},
        format="json",
    )
    assert answer.status_code == 409
    assert "assessed as lawful" in answer.json()["detail"]


def test_the_school_mis_confirms_the_reinstatement(spring: None, world: World, api_as: Api) -> None:
    shown = _unlawful_deletion(api_as, world)
    url = f"/api/v1/returns/deletions/{shown['id']}/reinstated/"
    for name in ("officer", "manager", "paews", "keyworker", "agency", "otherla", "admin"):
        assert (
            api_as(name).post(url, {"reinstated_on": "2026-03-16"}, format="json").status_code
            == 403
        ), name
    assert (
        api_as("school_b").post(url, {"reinstated_on": "2026-03-16"}, format="json").status_code
        == 404
    )
    refused = api_as("school_a").post(url, {"reinstated_on": "2026-03-12"}, format="json")
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["field"] == "reinstated_on" and "before they were deleted" in error["message"]
    missing = api_as("school_a").post(url, {}, format="json")
    assert missing.status_code == 400
    assert "YYYY-MM-DD" in missing.json()["errors"][0]["message"]
    assert ReinstatementDirection.objects.get().status == "awaiting"

    done = api_as("school_a").post(
        url, {"reinstated_on": "2026-03-16", "note": "Back today"}, format="json"
    )
    assert done.status_code == 200, done.json()
    assert done.json()["direction"]["status"] == "reinstated"
    assert done.json()["direction"]["reinstated_on"] == "2026-03-16"
    assert done.json()["action_status"] == "done"
    direction = ReinstatementDirection.objects.get()
    assert direction.confirmed_via == "api" and direction.note == "Back today"
    assert AuditEvent.objects.filter(
        verb=Verb.TRANSITION, subject_type="reinstatementdirection", subject_id=direction.pk
    ).exists()
    again = api_as("school_a").post(url, {"reinstated_on": "2026-03-16"}, format="json")
    assert again.status_code == 409 and "already closed" in again.json()["detail"]
