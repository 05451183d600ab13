"""The case's states and the services that move it: who may, from where, and what they leave."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from factories import ClosedCaseFactory, OpenCaseFactory, ReferralFactory

from cme.cases.models import Case, CaseEvent, CaseStatus
from cme.cases.services import (
    TRANSITIONS,
    case_assign,
    case_close,
    case_reopen,
    case_transition,
)
from cme.core.errors import NotAllowed, StaleEdit
from cme.referrals.models import ReferralStatus
from cme.referrals.services import referral_accept

if TYPE_CHECKING:
    from conftest import World


def test_opening_a_case_makes_the_child_from_the_referral(world: World) -> None:
    referral = ReferralFactory.create(
        described={
            "forename": "Izzy",
            "surname": "Referred",
            "date_of_birth": "2014-08-31",
            "postcode": "L8 1AB",
            "address_line_1": "1 Fictional Street",
        }
    )
    case = referral_accept(referral=referral, by=world.users["officer"]).case
    referral.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    assert case.child.forename == "Izzy" and str(case.child.date_of_birth) == "2014-08-31"
    assert case.child.addresses.get().postcode == "L8 1AB"
    assert referral.status == ReferralStatus.ACCEPTED and referral.case == case
    # The referral keeps the child as described, even when the record is corrected later.
    case.child.forename = "Isabella"
    case.child.save()
    referral.refresh_from_db()
    assert referral.described["forename"] == "Izzy"


def test_a_second_referral_for_a_child_with_an_open_case_joins_it(world: World) -> None:
    officer = world.users["officer"]
    case = world.case_at_a
    second = ReferralFactory.create()
    joined = referral_accept(referral=second, by=officer, child=case.child).case
    second.refresh_from_db()
    assert joined.pk == case.pk
    assert second.status == ReferralStatus.ATTACHED
    assert Case.objects.filter(child=case.child).count() == 1


def test_only_the_cme_team_triages(world: World) -> None:
    for role in ("school_a", "keyworker", "paews", "agency", "admin"):
        with pytest.raises(NotAllowed):
            referral_accept(referral=ReferralFactory.create(), by=world.users[role])


@pytest.mark.parametrize(
    ("start", "to"),
    [(s, t) for s in TRANSITIONS for t in CaseStatus.values if t not in TRANSITIONS[s]],
)
def test_every_move_outside_the_process_is_refused(world: World, start: str, to: str) -> None:
    case = OpenCaseFactory.create(status=start, key_worker=world.users["keyworker"])
    with pytest.raises(ValidationError):
        case_transition(case=case, to=to, by=world.users["officer"])
    case.refresh_from_db()
    assert case.status == start


def test_engagement_needs_a_key_worker(world: World) -> None:
    case = OpenCaseFactory.create(status=CaseStatus.CHECKING)
    with pytest.raises(ValidationError, match="key worker"):
        case_transition(case=case, to=CaseStatus.ENGAGING, by=world.users["officer"])
    case_assign(case=case, key_worker=world.users["keyworker"], by=world.users["officer"])
    moved = case_transition(case=case, to=CaseStatus.ENGAGING, by=world.users["officer"])
    assert moved.status == CaseStatus.ENGAGING
    assert list(moved.events.values_list("kind", flat=True)) == ["status", "key_worker"]


def test_closing_needs_an_outcome_a_reason_and_a_sensible_date(world: World) -> None:
    officer, case = world.users["officer"], world.case_at_a
    with pytest.raises(ValidationError) as error:
        case_close(
            case=case,
            outcome="bogus",
            note=" ",
            by=officer,
            closed_on=case.opened_on.replace(year=case.opened_on.year - 1),
        )
    assert set(error.value.message_dict) == {"outcome", "note", "closed_on"}
    closed = case_close(case=case, outcome="transferred", note="Moved to Sefton", by=officer)
    assert closed.status == CaseStatus.CLOSED and closed.closed_on == timezone.localdate()
    with pytest.raises(ValidationError, match="already closed"):
        case_close(case=closed, outcome="on_roll", note="again", by=officer)


def test_the_database_refuses_a_closed_case_without_an_outcome(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=world.case_at_a.pk).update(status=CaseStatus.CLOSED)


def test_reopening_needs_a_reason_and_returns_to_checking(world: World) -> None:
    officer = world.users["officer"]
    case = ClosedCaseFactory.create()
    with pytest.raises(ValidationError):
        case_reopen(case=case, reason="", by=officer)
    reopened = case_reopen(case=case, reason="Seen in the city again", by=officer)
    assert reopened.status == CaseStatus.CHECKING and reopened.outcome == ""
    assert CaseEvent.objects.filter(case=case, kind="reopened").count() == 1


def test_a_stale_form_is_told_the_case_changed(world: World) -> None:
    officer = world.users["officer"]
    case = world.case_at_a
    seen_version = case.version
    case_transition(
        case=case, to=CaseStatus.LOCATING, by=world.users["manager"], note="PAEWS visit"
    )
    with pytest.raises(StaleEdit, match="Someone else changed this case"):
        case_close(
            case=case, outcome="on_roll", note="x", by=officer, expected_version=seen_version
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.LOCATING
