"""Closing a case: which outcomes each state allows, on roll names the school, and a closing
with the action plan unfinished (or missing past engagement) must say why."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from factories import ClosedCaseFactory, OpenCaseFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.closing import ALLOWED_FROM, outcome_refusal, reason_needed
from cme.cases.models import Case, CaseEvent, CaseStatus, Outcome
from cme.cases.services import case_close, case_close_on_roll, case_name_school
from cme.core.errors import NotAllowed
from cme.plans.models import ActionPlan, PlanAction

if TYPE_CHECKING:
    from conftest import World

OPEN = [s for s in CaseStatus if s != CaseStatus.CLOSED]


def _plan(case: Case, world: World, *, open_actions: int, done_actions: int = 0) -> None:
    plan = ActionPlan.objects.create(
        case=case, started_on=case.opened_on, started_by=world.users["officer"]
    )
    for n in range(open_actions):
        PlanAction.objects.create(plan=plan, title=f"Open {n}", due_on=date(2026, 1, 9))
    for n in range(done_actions):
        PlanAction.objects.create(
            plan=plan, title=f"Done {n}", due_on=date(2026, 1, 9), done_on=case.opened_on
        )


@pytest.mark.parametrize("status", OPEN)
@pytest.mark.parametrize("outcome", list(Outcome))
def test_each_outcome_closes_only_from_the_states_it_makes_sense_in(
    world: World, status: CaseStatus, outcome: Outcome
) -> None:
    case = OpenCaseFactory.create(status=status, key_worker=world.users["keyworker"])
    officer = world.users["officer"]
    school, reason = world.school_a, "Plan not needed: found at once"
    if status in ALLOWED_FROM[outcome] and outcome in (Outcome.LOST, Outcome.IN_PROVISION):
        # The state allows it; the step's own requirement decides (the enquiries made,
        # tests/enquiries; the provision recorded and attended, tests/provision).
        assert outcome_refusal(case, outcome) == ""
    elif status in ALLOWED_FROM[outcome]:
        closed = case_close(
            case=case, outcome=outcome, note="Done", by=officer, school=school, reason=reason
        )
        assert closed.status == CaseStatus.CLOSED and closed.outcome == outcome
    else:
        with pytest.raises(ValidationError) as error:
            case_close(
                case=case, outcome=outcome, note="Done", by=officer, school=school, reason=reason
            )
        assert list(error.value.message_dict) == ["outcome"]
        case.refresh_from_db()
        assert case.status == status and not case.events.exists()


def test_the_refusals_say_what_to_do(world: World) -> None:
    checking = OpenCaseFactory.create(status=CaseStatus.CHECKING)
    assert "Record the provision first" in outcome_refusal(checking, Outcome.IN_PROVISION)
    referred = OpenCaseFactory.create(status=CaseStatus.REFERRED)
    assert "make the enquiries first" in outcome_refusal(referred, Outcome.LOST)
    assert "cannot close as “left england”" in outcome_refusal(referred, Outcome.LEFT_COUNTRY)
    assert outcome_refusal(referred, Outcome.DUPLICATE) == ""


def test_closing_as_on_roll_needs_the_school_and_names_it_on_the_case(world: World) -> None:
    officer, case = world.users["officer"], world.case_at_a
    with pytest.raises(ValidationError) as error:
        case_close(case=case, outcome=Outcome.ON_ROLL, note="Found", by=officer)
    assert error.value.message_dict == {"school": ["Choose the school the child is on roll at"]}
    closed = case_close(
        case=case, outcome=Outcome.ON_ROLL, note="Found", by=officer, school=world.school_b
    )
    assert closed.school == world.school_b
    event = CaseEvent.objects.get(case=case, kind="closed")
    assert f"Found on a school roll at {world.school_b.name} (URN {world.school_b.urn})" in (
        event.text
    )
    audit = AuditEvent.objects.get(verb=Verb.CLOSE, subject_id=str(case.pk))
    assert audit.details["school_urn"] == world.school_b.urn


def test_another_outcome_does_not_change_the_school(world: World) -> None:
    case = world.case_at_a
    case_close(
        case=case,
        outcome=Outcome.TRANSFERRED,
        note="Moved",
        by=world.users["officer"],
        school=world.school_b,
    )
    case.refresh_from_db()
    assert case.school == world.school_a


@pytest.mark.parametrize(
    ("open_actions", "expected"), [(1, "1 open action."), (5, "5 open actions.")]
)
def test_open_plan_actions_need_a_reason_which_is_kept(
    world: World, open_actions: int, expected: str
) -> None:
    officer, case = world.users["officer"], world.case_at_a
    _plan(case, world, open_actions=open_actions, done_actions=2)
    assert expected in reason_needed(case)
    with pytest.raises(ValidationError) as error:
        case_close_on_roll(case=case, school=world.school_a, by=officer)
    assert list(error.value.message_dict) == ["reason"]
    assert expected in error.value.message_dict["reason"][0]
    case_close_on_roll(
        case=case, school=world.school_a, by=officer, reason="The school will finish them"
    )
    text = CaseEvent.objects.get(case=case, kind="closed").text
    assert "Closed with the action plan unfinished because: The school will finish them" in text
    audit = AuditEvent.objects.get(verb=Verb.CLOSE, subject_id=str(case.pk))
    assert audit.details["reason"] == "The school will finish them"
    assert audit.details["open_actions"] == open_actions


def test_a_plan_with_every_action_done_needs_no_reason(world: World) -> None:
    case = OpenCaseFactory.create(status=CaseStatus.ENGAGING, key_worker=world.users["keyworker"])
    _plan(case, world, open_actions=0, done_actions=3)
    assert reason_needed(case) == ""
    case_close(case=case, outcome=Outcome.HOME_EDUCATED, note="Suitable", by=world.users["officer"])


@pytest.mark.parametrize(
    ("status", "needs"),
    [
        (CaseStatus.REFERRED, False),
        (CaseStatus.CHECKING, False),
        (CaseStatus.LOCATING, False),
        (CaseStatus.ENGAGING, True),
        (CaseStatus.IN_PROVISION, True),
    ],
)
def test_no_plan_past_engagement_needs_a_reason(
    world: World, status: CaseStatus, needs: bool
) -> None:
    case = OpenCaseFactory.create(status=status, key_worker=world.users["keyworker"])
    assert bool(reason_needed(case)) is needs
    if needs:
        assert "no action plan" in reason_needed(case)
        with pytest.raises(ValidationError) as error:
            case_close(case=case, outcome=Outcome.DUPLICATE, note="Dup", by=world.users["officer"])
        assert list(error.value.message_dict) == ["reason"]
    else:
        case_close(case=case, outcome=Outcome.DUPLICATE, note="Dup", by=world.users["officer"])


def test_close_on_roll_is_refused_for_a_closed_case_and_for_a_school(world: World) -> None:
    closed = ClosedCaseFactory.create()
    with pytest.raises(ValidationError, match="already closed"):
        case_close_on_roll(case=closed, school=world.school_a, by=world.users["officer"])
    with pytest.raises(NotAllowed):
        case_close_on_roll(case=world.case_at_a, school=world.school_a, by=world.users["school_a"])


def test_close_on_roll_says_where_by_default(world: World) -> None:
    case = case_close_on_roll(
        case=world.case_at_b, school=world.school_a, by=world.users["manager"]
    )
    assert case.outcome == Outcome.ON_ROLL and case.school == world.school_a
    text = CaseEvent.objects.get(case=case, kind="closed").text
    assert text.endswith(f"On roll at {world.school_a.name}.")


def test_naming_the_school_is_kept_on_the_timeline_and_audited_once(world: World) -> None:
    officer, case = world.users["officer"], world.case_at_a
    version = case.version
    case_name_school(case=case, school=world.school_b, by=officer, why="EMS match confirmed.")
    case.refresh_from_db()
    assert case.school == world.school_b and case.version == version + 1
    event = CaseEvent.objects.get(case=case)
    assert event.text.startswith(f"School named: {world.school_b.name}")
    assert f"(was {world.school_a.name})" in event.text
    case_name_school(case=case, school=world.school_b, by=officer, why="again")
    assert CaseEvent.objects.filter(case=case).count() == 1
    audits = AuditEvent.objects.filter(verb=Verb.UPDATE, subject_id=str(case.pk))
    assert audits.count() == 1
    assert audits.get().details["previous_school_urn"] == world.school_a.urn
    with pytest.raises(ValidationError, match="closed"):
        case_name_school(case=ClosedCaseFactory.create(), school=world.school_b, by=officer, why="")


# The close page ------------------------------------------------------------------------------


def _client(world: World, who: str = "officer") -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_the_close_page_offers_the_school_and_asks_a_reason_only_when_needed(world: World) -> None:
    case = world.case_at_a
    url = reverse("cases:close", args=[case.pk])
    page = _client(world).get(url).content.decode()
    assert f'value="{world.school_a.urn}"' in page
    assert 'name="reason"' not in page
    _plan(case, world, open_actions=2)
    page = _client(world).get(url).content.decode()
    assert 'name="reason"' in page and "2 open actions" in page


def test_the_close_page_shows_a_missing_school_beside_the_field_and_keeps_what_was_typed(
    world: World,
) -> None:
    case = world.case_at_b
    response = _client(world).post(
        reverse("cases:close", args=[case.pk]),
        {"version": case.version, "outcome": "on_roll", "school": "", "note": "Seen on roll"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count("Choose the school the child is on roll at") == 2  # summary and field
    assert "Seen on roll" in page
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "Enter the school&#x27;s URN as 6 digits"),
        ("999999", "No school has the URN 999999"),
    ],
)
def test_a_bad_urn_is_refused_by_name(world: World, typed: str, message: str) -> None:
    case = world.case_at_b
    response = _client(world).post(
        reverse("cases:close", args=[case.pk]),
        {"version": case.version, "outcome": "on_roll", "school": typed, "note": "On roll"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and f'value="{typed}"' in page


def test_the_close_page_closes_on_roll_at_the_school_typed(world: World) -> None:
    case = world.case_at_b
    response = _client(world).post(
        reverse("cases:close", args=[case.pk]),
        {
            "version": case.version,
            "outcome": "on_roll",
            "school": str(world.school_a.urn),
            "note": "On the roll",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == Outcome.ON_ROLL and case.school == world.school_a
