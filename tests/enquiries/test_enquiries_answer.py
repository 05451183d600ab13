"""Answers: once, from the right recipient, with what each kind needs; and what they offer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from enquiries.conftest import send

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseStatus
from cme.cases.models import Outcome as CaseOutcome
from cme.cases.services import case_close
from cme.core.errors import NotAllowed
from cme.enquiries.models import AnsweredVia, Kind, Outcome, State
from cme.enquiries.next_steps import close_on_roll, next_steps
from cme.enquiries.services import Answer, Recipient, enquiry_answer, enquiry_send

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _answer(enquiry, who, **answer):
    return enquiry_answer(enquiry=enquiry, answer=Answer(**answer), by=who, via=AnsweredVia.INBOX)


def test_the_school_answers_on_roll_in_its_inbox_and_the_case_may_close_on_roll(
    world: World,
) -> None:
    enquiry = send(world)
    joined = timezone.localdate() - timedelta(days=10)
    done = _answer(enquiry, world.users["school_a"], outcome=Outcome.ON_ROLL, on_roll_from=joined)
    assert done.state == State.ANSWERED and done.answered_by == world.users["school_a"]
    assert done.answered_via == AnsweredVia.INBOX and done.on_roll_from == joined
    event = AuditEvent.objects.get(verb=Verb.ENQUIRY_ANSWERED, subject_id=enquiry.pk)
    assert event.details == {"outcome": "on_roll", "via": "inbox"}
    steps = next_steps(done)
    assert steps.close_on_roll_at == world.school_a.name and steps.on_roll_from == joined
    case = close_on_roll(enquiry=done, by=world.users["officer"])
    assert case.status == CaseStatus.CLOSED and case.outcome == CaseOutcome.ON_ROLL
    assert world.school_a.name in case.events.first().text  # type: ignore[union-attr]


def test_an_answer_is_given_once(world: World) -> None:
    enquiry = send(world)
    _answer(enquiry, world.users["school_a"], outcome=Outcome.NOT_KNOWN)
    with pytest.raises(ValidationError, match="already been answered"):
        _answer(
            enquiry, world.users["school_a"], outcome=Outcome.ON_ROLL, on_roll_from=date(2026, 1, 5)
        )
    enquiry.refresh_from_db()
    assert enquiry.outcome == Outcome.NOT_KNOWN


def test_only_the_recipient_answers_in_the_inbox(world: World) -> None:
    enquiry = send(world)
    for name in ("school_b", "otherla", "agency", "keyworker", "paews", "admin", "officer"):
        with pytest.raises(NotAllowed):
            _answer(enquiry, world.users[name], outcome=Outcome.NOT_KNOWN)


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"outcome": "on_roll"}, "on_roll_from"),
        ({"outcome": "left"}, "left_on"),
        ({"outcome": "known_to_cme"}, "outcome"),  # a CME4 answer, not a CME3b one
        ({"outcome": "not_known", "moved_to_la_code": "999"}, "moved_to_la_code"),
        ({"outcome": "on_roll", "on_roll_from": date(2999, 1, 1)}, "on_roll_from"),
    ],
)
def test_a_cme3b_answer_carries_what_it_needs(world: World, answer, field: str) -> None:
    enquiry = send(world)
    with pytest.raises(ValidationError) as refused:
        _answer(enquiry, world.users["school_a"], **answer)
    assert field in refused.value.message_dict
    enquiry.refresh_from_db()
    assert enquiry.state == State.OUTSTANDING


def test_this_is_not_our_pupil_is_a_valid_answer(world: World) -> None:
    enquiry = send(world)
    done = _answer(enquiry, world.users["school_a"], outcome=Outcome.NOT_KNOWN, details="Not ours")
    assert done.outcome_display == "Not known to us (this is not our pupil)"
    assert not next_steps(done).close_on_roll_at


def test_left_for_another_council_offers_a_cme4_there(world: World, sefton) -> None:
    enquiry = send(world)
    done = _answer(
        enquiry,
        world.users["school_a"],
        outcome=Outcome.LEFT,
        left_on=timezone.localdate() - timedelta(days=20),
        left_for="Moved to Bootle",
        moved_to_la_code="343",
    )
    steps = next_steps(done)
    assert steps.cme4_to == "343" and steps.cme4_to_name == "Sefton"
    cme4 = send(world, Kind.CME4, la_code="343")
    assert not next_steps(done).cme4_to  # offered until it is sent
    # The council answers CME4 in its own inbox: found on roll at one of its schools.
    found = _answer(
        cme4,
        world.users["otherla"],
        outcome=Outcome.ON_ROLL,
        on_roll_at="Fictional Bootle Primary",
        on_roll_from=timezone.localdate() - timedelta(days=5),
    )
    assert next_steps(found).close_on_roll_at == "Fictional Bootle Primary"


def test_a_cme5b_records_the_action_agreed_and_the_contact(world: World, sefton) -> None:
    enquiry = send(world, Kind.CME5A, la_code="343")
    with pytest.raises(ValidationError) as refused:
        _answer(enquiry, world.users["otherla"], outcome=Outcome.ACTION_AGREED)
    assert {"agreed_action", "contact"} <= set(refused.value.message_dict)
    done = _answer(
        enquiry,
        world.users["otherla"],
        outcome=Outcome.ACTION_AGREED,
        agreed_action="Admissions will offer a place at a school near the new address.",
        contact="Jo Fictional, 0151 000 0000",
    )
    assert done.contact.startswith("Jo Fictional")


def test_paews_records_its_home_visit(world: World) -> None:
    visit = send(world, Kind.HOME_VISIT, user=world.users["paews"])
    with pytest.raises(ValidationError) as refused:
        enquiry_answer(
            enquiry=visit,
            answer=Answer(outcome=Outcome.FAMILY_SEEN),
            by=world.users["paews"],
            via=AnsweredVia.OFFICER,
        )
    assert {"visited_on", "seen"} <= set(refused.value.message_dict)
    done = enquiry_answer(
        enquiry=visit,
        answer=Answer(
            outcome=Outcome.MOVED,
            visited_on=timezone.localdate(),
            neighbours="Moved out about three weeks ago, possibly to Wirral.",
            moved_to_la_code="344",
        ),
        by=world.users["paews"],
        via=AnsweredVia.OFFICER,
    )
    assert done.neighbours.startswith("Moved out") and next_steps(done).cme4_to == "344"
    # Asking another PAEWS officer names them on the case; the one not asked cannot record it.
    other = send(world, Kind.HOME_VISIT, user=world.users["paews_other"], case=world.case_at_b)
    world.case_at_b.refresh_from_db()
    assert world.case_at_b.paews_officer == world.users["paews_other"]
    with pytest.raises(NotAllowed):
        enquiry_answer(
            enquiry=other,
            answer=Answer(outcome=Outcome.NO_CONTACT, visited_on=timezone.localdate()),
            by=world.users["paews"],  # not the PAEWS officer of case B or its school
            via=AnsweredVia.OFFICER,
        )


def test_a_case_closes_as_whereabouts_unknown_only_after_reasonable_enquiries(
    world: World,
) -> None:
    officer = world.users["officer"]
    case = world.case_at_a

    def close():
        return case_close(case=case, outcome=CaseOutcome.LOST, by=officer, note="Not found")

    with pytest.raises(ValidationError) as refused:
        close()
    message = refused.value.message_dict["outcome"][0]
    assert "reasonable enquiries" in message and "CME3a" in message and "home visit" in message
    school = send(world)
    visit = send(world, Kind.HOME_VISIT, user=world.users["paews"])
    search = send(world, Kind.LOST_PUPIL_SEARCH)
    with pytest.raises(ValidationError, match="still waiting"):
        close()
    _answer(school, world.users["school_a"], outcome=Outcome.NOT_KNOWN)
    for enquiry, answer in (
        (visit, Answer(outcome=Outcome.NO_CONTACT, visited_on=timezone.localdate())),
        (search, Answer(outcome=Outcome.NOT_FOUND)),
    ):
        enquiry_answer(enquiry=enquiry, answer=answer, by=officer, via=AnsweredVia.OFFICER)
    closed = close()
    assert closed.outcome == CaseOutcome.LOST
    # Other outcomes never needed enquiries.
    other = case_close(
        case=world.case_at_b,
        outcome=CaseOutcome.ON_ROLL,
        by=officer,
        note="Found on roll",
        school=world.school_b,
    )
    assert other.status == CaseStatus.CLOSED


def test_the_close_page_says_why_beside_the_outcome(client, world: World) -> None:
    client.force_login(world.users["officer"])
    case = world.case_at_a
    response = client.post(
        f"/register/cases/{case.pk}/close/",
        {"outcome": "lost", "note": "Not found", "version": case.version},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "only after reasonable enquiries" in body and "There is a problem" in body
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED


def test_the_api_lets_the_cme_team_record_an_answer_that_came_by_post(world: World) -> None:
    enquiry = enquiry_send(
        case=world.case_at_a,
        kind=Kind.CME3A,
        recipients=[Recipient(school=world.school_a)],
        by=world.users["officer"],
    )[0]
    done = enquiry_answer(
        enquiry=enquiry,
        answer=Answer(outcome=Outcome.APPLICATION_RECEIVED),
        by=world.users["officer"],
        via=AnsweredVia.API,
    )
    assert done.answered_via == AnsweredVia.API
