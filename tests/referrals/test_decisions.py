"""Triage's decisions on a referral: each says what it did and writes one timeline entry and
one audit event; the open-case page refuses what it cannot read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from factories import ChildFactory, ClosedCaseFactory, ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import Case, CaseEvent, CaseEventKind
from cme.cases.services import case_open
from cme.referrals.models import ReferralStatus
from cme.referrals.services import (
    referral_accept,
    referral_attach,
    referral_decline,
    staff_referral_terms,
)

if TYPE_CHECKING:
    from conftest import World


def _acts(child_id: int) -> list[str]:
    """The audit verbs written for the child, leaving out reads."""
    reads = [Verb.VIEW, Verb.LIST, Verb.SEARCH]
    events = AuditEvent.objects.filter(child_id=child_id).exclude(verb__in=reads)
    return list(events.order_by("id").values_list("verb", flat=True))


def test_accepting_opens_a_case_and_says_so(world: World) -> None:
    child = ChildFactory.create()
    referral = ReferralFactory.create()
    decision = referral_accept(referral=referral, by=world.users["officer"], child=child)
    assert decision.opened_a_case and decision.case.child == child
    assert decision.referral.status == ReferralStatus.ACCEPTED
    assert decision.referral.case == decision.case
    assert _acts(child.pk) == [Verb.REFERRAL_ACCEPTED]
    event = AuditEvent.objects.get(verb=Verb.REFERRAL_ACCEPTED)
    assert event.details == {"referral": referral.pk} and event.subject_type == "case"
    kinds = list(CaseEvent.objects.filter(case=decision.case).values_list("kind", flat=True))
    assert kinds == [CaseEventKind.OPENED]


def test_accepting_for_a_child_with_an_open_case_adds_to_it_and_says_so(world: World) -> None:
    case = world.case_at_a
    decision = referral_accept(
        referral=ReferralFactory.create(), by=world.users["officer"], child=case.child
    )
    assert not decision.opened_a_case and decision.case == case
    assert decision.referral.status == ReferralStatus.ATTACHED
    assert _acts(case.child_id) == [Verb.REFERRAL_ATTACHED]
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        CaseEventKind.REFERRAL
    ]


def test_attaching_needs_an_open_case_and_an_undecided_referral(world: World) -> None:
    officer = world.users["officer"]
    closed = ClosedCaseFactory.create()
    referral = ReferralFactory.create()
    with pytest.raises(ValidationError, match="closed"):
        referral_attach(referral=referral, case=closed, by=officer)
    decision = referral_attach(referral=referral, case=world.case_at_b, by=officer)
    assert decision.referral.status == ReferralStatus.ATTACHED
    with pytest.raises(ValidationError, match="already been decided"):
        referral_attach(referral=referral, case=world.case_at_b, by=officer)


def test_declining_keeps_the_reason_under_its_own_verb(world: World) -> None:
    referral = ReferralFactory.create()
    declined = referral_decline(referral=referral, by=world.users["officer"], note="On roll")
    assert declined.status == ReferralStatus.DECLINED and declined.decision_note == "On roll"
    event = AuditEvent.objects.get(subject_type="referral", subject_id=referral.pk)
    assert event.verb == Verb.REFERRAL_DECLINED


def test_a_case_opens_only_for_a_child_with_no_open_case(world: World) -> None:
    with pytest.raises(ValidationError, match="already has an open case"):
        case_open(child=world.case_at_a.child, school=None, by=world.users["officer"])
    child = ChildFactory.create()
    case = case_open(child=child, school=world.school_a, by=world.users["officer"], why="Found")
    assert case.school == world.school_a and _acts(child.pk) == [Verb.CREATE]


def _officer(world: World) -> Client:
    client = Client()
    client.force_login(world.users["officer"])
    return client


@pytest.mark.parametrize(
    "posted",
    [
        {"child": "abc"},
        {"child": "1.5"},
        {"child": "9" * 30},
        {"matches_shown": "x"},
        {"matches_shown": "-1"},
    ],
)
def test_the_open_case_page_refuses_what_it_cannot_read_and_changes_nothing(
    world: World, posted
) -> None:
    referral = ReferralFactory.create()
    cases = Case.objects.count()
    response = _officer(world).post(reverse("referrals:open-case", args=[referral.pk]), posted)
    assert response.status_code == 400
    assert "could not read" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED and Case.objects.count() == cases


@pytest.mark.parametrize(
    ("role", "route", "organisation"),
    [
        ("school_a", "school", "School A staff"),
        ("agency", "agency", "Police"),
        ("otherla", "other_la", "Sefton Council"),
        ("officer", "phone", None),
    ],
)
def test_one_rule_sets_each_roles_route_school_and_referrer(
    world: World, role, route, organisation
) -> None:
    user = world.users[role]
    terms, problems = staff_referral_terms(
        by=user, route="" if role != "officer" else "phone", referrer={"phone": "0151 000 0000"}
    )
    assert problems == {}
    assert terms.route == route
    assert (str(terms.referring_organisation) if terms.referring_organisation else None) == (
        organisation
    )
    assert terms.school == (world.school_a if role == "school_a" else None)
    assert terms.referrer["name"] == user.get_full_name()
    assert terms.referrer["phone"] == "0151 000 0000"


def test_the_rule_names_what_conflicts_with_the_account(world: World) -> None:
    _, school_problems = staff_referral_terms(
        by=world.users["school_a"], route="phone", school=world.school_b
    )
    assert set(school_problems) == {"route", "school"}
    _, officer_problems = staff_referral_terms(by=world.users["officer"])
    assert "how the referral reached you" in officer_problems["route"][0]
