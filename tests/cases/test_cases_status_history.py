"""The case's status history: written by every lifecycle service with the day each change took
effect, rebuilt from the timeline for cases written before it existed, and answering as at a
past day (cme.reports.history)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from factories import ChildFactory, ReferralFactory

from cme.cases.history import Step, steps_from_timeline
from cme.cases.models import CaseEventKind, CaseStatus, CaseStatusChange
from cme.cases.services import case_close, case_reopen, case_transition
from cme.referrals.services import referral_accept
from cme.reports.history import child_state_on, cme_cases_on, register_cases_on

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _history(case) -> list[tuple[str, str, date]]:
    return [
        (c.status, c.outcome, c.effective_on)
        for c in CaseStatusChange.objects.filter(case=case).order_by("effective_on", "id")
    ]


def test_each_service_adds_the_change_on_the_day_it_takes_effect(world: World) -> None:
    officer = world.users["officer"]
    child = ChildFactory.create()
    referral = ReferralFactory.create(child=child, received_on=date(2025, 9, 1))
    with time_machine.travel(date(2025, 9, 1), tick=False):
        case = referral_accept(referral=referral, by=officer).case
    opened = case.opened_on
    with time_machine.travel(date(2025, 9, 3), tick=False):
        case_transition(case=case, to=CaseStatus.CHECKING, by=officer)
    with time_machine.travel(date(2025, 9, 20), tick=False):
        # Closed today, but taking effect on the day the child was found on roll.
        case_close(
            case=case,
            outcome="on_roll",
            by=officer,
            note="On roll",
            closed_on=date(2025, 9, 15),
            school=world.school_a,
        )
    with time_machine.travel(date(2025, 10, 1), tick=False):
        case_reopen(case=case, by=officer, reason="Left that school")
    assert _history(case) == [
        ("referred", "", opened),
        ("checking", "", date(2025, 9, 3)),
        ("closed", "on_roll", date(2025, 9, 15)),
        ("checking", "", date(2025, 10, 1)),
    ]
    # As at each day: missing education, off the register while closed, back again.
    assert cme_cases_on(date(2025, 9, 2)).filter(pk=case.pk).exists()
    assert not register_cases_on(date(2025, 9, 16)).filter(pk=case.pk).exists()
    assert cme_cases_on(date(2025, 10, 1)).filter(pk=case.pk).exists()
    assert not register_cases_on(opened - timedelta(days=1)).filter(pk=case.pk).exists()


def test_a_refused_change_adds_nothing(world: World) -> None:
    case = world.case_at_b
    before = _history(case)
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        case_transition(case=case, to=CaseStatus.IN_PROVISION, by=world.users["officer"])
    assert _history(case) == before


def test_a_childs_state_as_at_a_day(world: World) -> None:
    case = world.case_at_a
    state = child_state_on(case.child, case.opened_on)
    assert state.on_register and state.missing_education
    assert state.case_status == CaseStatus.CHECKING
    assert not state.home_educated and not state.on_roll
    before = child_state_on(case.child, case.opened_on - timedelta(days=1))
    assert not before.on_register and before.case_status == ""


def test_steps_from_a_timeline() -> None:
    d = date
    steps = steps_from_timeline(
        opened_on=d(2025, 1, 10),
        status=CaseStatus.CLOSED,
        outcome="lost",
        closed_on=d(2025, 3, 1),
        events=[
            (CaseEventKind.OPENED, d(2025, 1, 12), ""),
            (CaseEventKind.NOTE, d(2025, 1, 13), ""),
            (CaseEventKind.STATUS, d(2025, 1, 14), CaseStatus.CHECKING),
            (CaseEventKind.CLOSED, d(2025, 2, 1), CaseStatus.CLOSED),
            (CaseEventKind.REOPENED, d(2025, 2, 5), CaseStatus.CHECKING),
            (CaseEventKind.STATUS, d(2025, 2, 6), CaseStatus.LOCATING),
            # Recorded on 3 March, effective on the closing date.
            (CaseEventKind.CLOSED, d(2025, 3, 3), CaseStatus.CLOSED),
        ],
    )
    assert steps == [
        Step("referred", "", d(2025, 1, 10)),
        Step("checking", "", d(2025, 1, 14)),
        Step("closed", "lost", d(2025, 2, 1)),
        Step("checking", "", d(2025, 2, 5)),
        Step("locating", "", d(2025, 2, 6)),
        Step("closed", "lost", d(2025, 3, 1)),
    ]


def test_a_case_written_without_a_timeline_ends_in_its_current_state() -> None:
    steps = steps_from_timeline(
        opened_on=date(2025, 1, 10),
        status=CaseStatus.CLOSED,
        outcome="on_roll",
        closed_on=date(2025, 2, 1),
        events=[],
    )
    assert steps == [
        Step("referred", "", date(2025, 1, 10)),
        Step("closed", "on_roll", date(2025, 2, 1)),
    ]
    # An entry dated before the opening (a backdated opening) counts from the opening.
    early = steps_from_timeline(
        opened_on=date(2025, 1, 10),
        status=CaseStatus.CHECKING,
        outcome="",
        closed_on=None,
        events=[(CaseEventKind.STATUS, date(2025, 1, 1), CaseStatus.CHECKING)],
    )
    assert early[-1] == Step("checking", "", date(2025, 1, 10))
