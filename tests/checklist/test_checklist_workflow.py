"""The CME1 workflow on its pages: a school opens a checklist and records each step, sends it
to its PAEWS officer, who signs it off (the child is referred, the school told its CTF duty) or
returns it with reasons; every refusal says why and keeps what was typed; every form can be
sent twice."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from checklist.conftest import (
    PUPIL,
    STARTED,
    UPN,
    as_user,
    date_fields,
    every_step,
    opened,
    sent,
    signed_off,
)
from django.core import mail
from django.core.exceptions import ValidationError

from cme.audit.models import AuditEvent, Verb
from cme.checklist import services
from cme.checklist.models import Checklist, Status, Step
from cme.referrals.models import Reason, Referral, Route
from cme.rules.cme1 import STEPS

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _open_form(**changes: str) -> dict[str, str]:
    data = {
        "submission_key": "k" * 32,
        "forename": "Evie",
        "surname": "Fictional",
        **date_fields("date_of_birth", date(2015, 3, 31)),
        "sex": "F",
        "upn": UPN,
        "address_line_1": "1 Example Street",
        "postcode": "L1 1JQ",
        **date_fields("first_day_absent", date(2026, 1, 26)),
    }
    data.update(changes)
    return data


def _step_form(kind: str, party: str = "school", key: str = "", **changes: str) -> dict[str, str]:
    data = {
        "submission_key": key or (kind + "-" + "s" * 24),
        "kind": kind,
        **date_fields("done_on", STARTED),
        "party": party,
        "done_by": "Sam Jones, attendance officer",
        "outcome": "No answer.",
    }
    data.update(changes)
    return data


def test_a_school_works_through_the_checklist_and_its_paews_officer_signs_it_off(
    cme1_world: World,
) -> None:
    world = cme1_world
    school = as_user(world, "school_a")
    assert school.get("/cme1/").status_code == 200
    assert school.get("/cme1/new/").status_code == 200
    made = school.post("/cme1/new/", _open_form())
    assert made.status_code == 302
    checklist = Checklist.objects.get()
    assert made["Location"] == f"/cme1/{checklist.pk}/"
    assert checklist.school == world.school_a and checklist.status == Status.OPEN
    for step in STEPS:
        party = "joint" if step.council_only or step.key == "home_visit" else "school"
        response = school.post(f"/cme1/{checklist.pk}/steps/", _step_form(step.key, party))
        assert response.status_code == 302, response.content.decode()[:2000]
    page = school.get(f"/cme1/{checklist.pk}/").content.decode()
    assert "The enquiries have run for 26 school days since 2 February 2026" in page
    assert "met on 6 March 2026" in page
    assert "Joint" in page
    sent_page = school.post(f"/cme1/{checklist.pk}/send/", {"outcome": "not_found"}, follow=True)
    assert "Checklist sent to" in sent_page.content.decode()
    checklist.refresh_from_db()
    assert checklist.status == Status.SUBMITTED and checklist.submitted_to == world.users["paews"]

    paews = as_user(world, "paews")
    listed = paews.get("/cme1/").content.decode()
    assert "Evie Fictional" in listed and "Sent to the PAEWS officer" in listed
    decided = paews.post(f"/cme1/{checklist.pk}/decision/", {"decision": "sign_off"}, follow=True)
    text = decided.content.decode()
    assert "The pupil has been referred to the register" in text
    checklist.refresh_from_db()
    assert checklist.status == Status.SIGNED_OFF and checklist.decided_by == world.users["paews"]
    referral = Referral.objects.get(route=Route.SCHOOL)
    assert checklist.referral == referral
    assert (referral.route, referral.reason) == (Route.SCHOOL, Reason.WHEREABOUTS_UNKNOWN)
    assert referral.school == world.school_a and referral.described["upn"] == UPN
    assert f"CME1 checklist {checklist.pk}" in referral.details
    assert "Home visit (jointly" in referral.details

    # The school is told its CTF duty: a one-pupil file to XXXXXXX within 15 school days.
    school_page = school.get(f"/cme1/{checklist.pk}/").content.decode()
    assert "XXXXXXX" in school_page and "within 15 school days" in school_page
    assert "by 20 April 2026 if you delete today" in school_page  # 15 school days, Easter between
    assert f"referral {referral.reference}" in school_page

    verbs = list(
        AuditEvent.objects.filter(subject_type="checklist", subject_id=checklist.pk).values_list(
            "verb", flat=True
        )
    )
    assert verbs.count(Verb.CREATE) == 1
    assert verbs.count(Verb.UPDATE) == len(STEPS)
    assert verbs.count(Verb.TRANSITION) == 1 and verbs.count(Verb.CME1_SIGNED_OFF) == 1
    assert verbs.count(Verb.VIEW) >= 2
    assert AuditEvent.objects.filter(verb=Verb.LIST, subject_type="checklist").exists()


def test_email_goes_to_the_officer_then_the_school_with_no_name_in_it(
    cme1_world: World, django_capture_on_commit_callbacks: object
) -> None:
    world = cme1_world
    world.users["paews"].email = "paews@council.example.org"
    world.users["paews"].save()
    world.users["school_a"].email = "office@school.example.org"
    world.users["school_a"].save()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        checklist = signed_off(world)
    to = [m.to for m in mail.outbox]
    assert ["paews@council.example.org"] in to and ["office@school.example.org"] in to
    for message in mail.outbox:
        assert "Evie" not in message.body and UPN not in message.body
        assert f"/cme1/{checklist.pk}/" in message.body
    assert "XXXXXXX" in mail.outbox[-1].body


def test_sending_is_refused_with_every_reason_and_nothing_changes(cme1_world: World) -> None:
    world = cme1_world
    checklist = opened(world)
    school = as_user(world, "school_a")
    school.post(
        f"/cme1/{checklist.pk}/steps/",
        _step_form("phone", **date_fields("done_on", date(2026, 3, 2))),
    )
    response = school.post(f"/cme1/{checklist.pk}/send/", {"outcome": "not_found"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Record the step &quot;Letter to parents and carers&quot;" in page
    assert "No step was made jointly" in page
    assert "11 school days since 2 March 2026" in page and "sent from 27 March 2026" in page
    checklist.refresh_from_db()
    assert checklist.status == Status.OPEN and checklist.submitted_to is None


def test_a_school_with_no_paews_officer_is_told_so(world: World, spring: None) -> None:
    checklist = opened(world)
    every_step(world, checklist)
    with pytest.raises(ValidationError) as refused:
        services.checklist_submit(
            checklist=checklist, by=world.users["school_a"], outcome="not_found"
        )
    assert "no PAEWS officer named" in " ".join(refused.value.messages)


def test_outcome_bb_needs_where_the_pupil_was_found(cme1_world: World) -> None:
    checklist = opened(cme1_world)
    every_step(cme1_world, checklist)
    school = as_user(cme1_world, "school_a")
    response = school.post(f"/cme1/{checklist.pk}/send/", {"outcome": "found_not_returning"})
    assert response.status_code == 400
    assert "Say where the pupil was found" in response.content.decode()


def test_returning_needs_reasons_and_the_school_sees_them(cme1_world: World) -> None:
    world = cme1_world
    checklist = sent(world)
    paews = as_user(world, "paews")
    empty = paews.post(f"/cme1/{checklist.pk}/decision/", {"decision": "return", "reasons": " "})
    assert empty.status_code == 400
    assert services.REASONS_REQUIRED in empty.content.decode()
    checklist.refresh_from_db()
    assert checklist.status == Status.SUBMITTED
    reasons = "The home visit was made before the family was known to have left; visit again."
    done = paews.post(f"/cme1/{checklist.pk}/decision/", {"decision": "return", "reasons": reasons})
    assert done.status_code == 302
    checklist.refresh_from_db()
    assert checklist.status == Status.RETURNED and checklist.returned_reasons == reasons
    school = as_user(world, "school_a")
    page = school.get(f"/cme1/{checklist.pk}/").content.decode()
    assert "Returned by" in page and "visit again" in page
    # The school adds the step and sends it again; the officer signs it off.
    again = school.post(
        f"/cme1/{checklist.pk}/steps/",
        _step_form("home_visit", "joint", **date_fields("done_on", date(2026, 3, 13))),
    )
    assert again.status_code == 302
    assert school.post(f"/cme1/{checklist.pk}/send/", {"outcome": "not_found"}).status_code == 302
    paews.post(f"/cme1/{checklist.pk}/decision/", {"decision": "sign_off"})
    checklist.refresh_from_db()
    assert checklist.status == Status.SIGNED_OFF


def test_no_decision_is_refused_in_words(cme1_world: World) -> None:
    checklist = sent(cme1_world)
    response = as_user(cme1_world, "paews").post(f"/cme1/{checklist.pk}/decision/", {})
    assert response.status_code == 400
    assert "Choose whether to sign off the checklist or return it" in response.content.decode()


def test_a_refused_step_keeps_what_was_typed(cme1_world: World) -> None:
    checklist = opened(cme1_world)
    school = as_user(cme1_world, "school_a")
    response = school.post(
        f"/cme1/{checklist.pk}/steps/",
        _step_form(
            "council_checks",
            "school",
            outcome="Asked the CME team to check the EMS",
            **date_fields("done_on", date(2026, 1, 20)),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is made by the council" in page
    assert "on or after the first day of absence (26 January 2026)" in page
    assert "Asked the CME team to check the EMS" in page and 'value="20"' in page
    assert not Step.objects.exists()


def test_a_school_cannot_record_the_council_s_enquiries_as_the_council_s(
    cme1_world: World,
) -> None:
    checklist = opened(cme1_world)
    response = as_user(cme1_world, "school_a").post(
        f"/cme1/{checklist.pk}/steps/", _step_form("letter", "council")
    )
    assert response.status_code == 400
    assert not Step.objects.exists()


def test_the_open_form_refuses_in_words_and_keeps_what_was_typed(cme1_world: World) -> None:
    school = as_user(cme1_world, "school_a")
    wrong = "Q" + UPN[1:]
    response = school.post(
        "/cme1/new/", _open_form(upn=wrong, **date_fields("first_day_absent", date(2026, 4, 1)))
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "must be today or earlier" in page and f'value="{wrong}"' in page
    assert not Checklist.objects.exists()


def test_every_form_sent_twice_does_its_thing_once(cme1_world: World) -> None:
    world = cme1_world
    school = as_user(world, "school_a")
    first = school.post("/cme1/new/", _open_form())
    second = school.post("/cme1/new/", _open_form())
    assert first["Location"] == second["Location"] and Checklist.objects.count() == 1
    checklist = Checklist.objects.get()
    for _ in range(2):
        assert school.post(f"/cme1/{checklist.pk}/steps/", _step_form("phone")).status_code == 302
    assert Step.objects.count() == 1
    # A second checklist for the same pupil while one is in progress is refused.
    other = school.post("/cme1/new/", _open_form(submission_key="z" * 32))
    assert other.status_code == 400 and "already has a CME1 checklist" in other.content.decode()
    checklist.steps.all().delete()
    every_step(world, checklist)
    for _ in range(2):
        assert (
            school.post(f"/cme1/{checklist.pk}/send/", {"outcome": "not_found"}).status_code == 302
        )
    paews = as_user(world, "paews")
    for _ in range(2):
        assert (
            paews.post(f"/cme1/{checklist.pk}/decision/", {"decision": "sign_off"}).status_code
            == 302
        )
    assert Referral.objects.filter(route=Route.SCHOOL).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CME1_SIGNED_OFF).count() == 1


def test_a_child_with_an_open_case_gets_a_timeline_entry_not_a_second_referral(
    cme1_world: World,
) -> None:
    child = cme1_world.case_at_a.child
    child.upn = UPN
    child.save()
    checklist = signed_off(cme1_world)
    assert checklist.referral is None and not Referral.objects.filter(route=Route.SCHOOL).exists()
    assert cme1_world.case_at_a.events.filter(text__contains="CME1 checklist").exists()


def test_a_pupil_not_on_the_ems_roll_is_accepted_and_said(cme1_world: World) -> None:
    checklist = opened(cme1_world)
    assert checklist.on_ems_roll is False
    page = as_user(cme1_world, "school_a").get(f"/cme1/{checklist.pk}/").content.decode()
    assert "Not found in the council's EMS extract" in page


def test_found_and_agreed_not_returning_is_signed_off_without_a_referral(
    cme1_world: World,
) -> None:
    checklist = signed_off(
        cme1_world,
        outcome="found_not_returning",
        found_details="Living with an aunt in Glasgow; enrolled there.",
    )
    assert checklist.status == Status.SIGNED_OFF and checklist.referral is None
    assert not Referral.objects.filter(route=Route.SCHOOL).exists()
    assert PUPIL["forename"] in checklist.pupil_name
