"""Provision recorded: the place, the start, the watch on attendance, the review, and only then
the close as back in education; the facts the reports count; who may see and record it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from factories import ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus, Outcome
from cme.cases.services import case_close
from cme.checks.models import PupilOnRoll
from cme.core.errors import NotAllowed
from cme.provision.models import Placement, PlacementState, ProviderKind
from cme.provision.selectors import median_days_to_provision, provision_starts
from cme.provision.services import (
    Offer,
    placement_offer,
    placement_review,
    placement_start,
    placement_withdraw,
)
from cme.roll.models import AttendancePupil, AttendanceReturn

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _as(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


@pytest.fixture
def engaging(world: World) -> Case:
    """Case A, engaging with its key worker (the state a child starts in provision from)."""
    Case.objects.filter(pk=world.case_at_a.pk).update(status=CaseStatus.ENGAGING)
    world.case_at_a.refresh_from_db()
    return world.case_at_a


def _offer(world: World, case: Case, *, days_ago: int = 0, started: int | None = None) -> Placement:
    today = timezone.localdate()
    return placement_offer(
        case=case,
        offer=Offer(
            provider_kind=ProviderKind.SCHOOL,
            school=world.school_b,
            offered_on=today - timedelta(days=days_ago),
            start_on=today - timedelta(days=started) if started is not None else None,
        ),
        by=world.users["officer"],
    )


def test_a_place_offered_not_yet_taken_up(world: World, engaging: Case) -> None:
    placement = _offer(world, engaging, days_ago=3)
    assert placement.state == PlacementState.OFFERED and placement.start_on is None
    assert placement.provider_name == world.school_b.name
    engaging.refresh_from_db()
    assert engaging.status == CaseStatus.ENGAGING
    assert CaseEvent.objects.filter(case=engaging, kind=CaseEventKind.PROVISION).exists()
    assert AuditEvent.objects.filter(
        verb=Verb.PROVISION_OFFERED, subject_id=placement.pk, child_id=engaging.child_id
    ).exists()
    with pytest.raises(ValidationError, match="already has a place"):
        _offer(world, engaging)


def test_the_start_moves_the_case_into_provision_and_starts_the_watch(
    world: World, engaging: Case, term_dates: None, settings
) -> None:
    settings.CME_PROVISION_WATCH_SCHOOL_DAYS = 5
    placement = _offer(world, engaging, days_ago=10)
    started = placement_start(
        placement=placement,
        start_on=timezone.localdate() - timedelta(days=2),
        by=world.users["officer"],
    )
    assert started.state == PlacementState.WATCHING and started.watch_school_days == 5
    assert started.watch_until is not None and started.start_on is not None
    assert started.watch_until > started.start_on
    assert started.watch_counting.startswith("5 ")
    engaging.refresh_from_db()
    assert engaging.status == CaseStatus.IN_PROVISION
    assert AuditEvent.objects.filter(verb=Verb.PROVISION_STARTED, subject_id=placement.pk).exists()


def test_a_start_before_engagement_is_refused(world: World) -> None:
    placement = _offer(world, world.case_at_a)  # still checking
    with pytest.raises(ValidationError, match="move the case to Engaging"):
        placement_start(
            placement=placement, start_on=timezone.localdate(), by=world.users["officer"]
        )


@pytest.mark.parametrize(
    ("offer", "field"),
    [
        (Offer(provider_kind="school", offered_on=timezone.localdate()), "school"),
        (Offer(provider_kind="tuition", offered_on=timezone.localdate()), "provider_name"),
        (Offer(provider_kind="tuition", offered_on=None, provider_name="Tutors"), "offered_on"),
        (
            Offer(
                provider_kind="tuition",
                provider_name="Tutors",
                offered_on=timezone.localdate(),
                start_on=timezone.localdate() - timedelta(days=1),
            ),
            "start_on",
        ),
        (
            Offer(
                provider_kind="alternative",
                provider_name="AP",
                offered_on=timezone.localdate() + timedelta(days=1),
            ),
            "offered_on",
        ),
    ],
)
def test_bad_offers_are_refused_naming_the_field(
    world: World, engaging: Case, offer: Offer, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        placement_offer(case=engaging, offer=offer, by=world.users["officer"])
    assert field in refused.value.message_dict
    assert not Placement.objects.exists()


def test_no_closing_as_back_in_education_until_the_watch_is_reviewed(
    world: World, engaging: Case
) -> None:
    officer = world.users["officer"]
    # Started today: the watch runs on, so neither the review nor the close is allowed yet.
    placement = _offer(world, engaging, days_ago=5, started=0)
    with pytest.raises(ValidationError, match="Review it then"):
        placement_review(placement=placement, attending=True, note="", by=officer)
    with pytest.raises(ValidationError) as refused:
        case_close(case=engaging, outcome=Outcome.IN_PROVISION, by=officer, note="Settled")
    assert "watched until" in str(refused.value)


def test_no_closing_as_back_in_education_with_a_place_not_yet_taken_up(
    world: World, engaging: Case
) -> None:
    Case.objects.filter(pk=engaging.pk).update(status=CaseStatus.IN_PROVISION)
    engaging.refresh_from_db()
    _offer(world, engaging, days_ago=2)
    with pytest.raises(ValidationError) as refused:
        case_close(
            case=engaging, outcome=Outcome.IN_PROVISION, by=world.users["officer"], note="x",
            reason="No plan",
        )  # fmt: skip
    assert "has not started" in str(refused.value)


def test_no_closing_as_back_in_education_with_no_provision_recorded(
    world: World, engaging: Case
) -> None:
    Case.objects.filter(pk=engaging.pk).update(status=CaseStatus.IN_PROVISION)
    engaging.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        case_close(
            case=engaging, outcome=Outcome.IN_PROVISION, by=world.users["officer"], note="x",
            reason="No plan",
        )  # fmt: skip
    assert "only with its provision recorded" in str(refused.value)
    engaging.refresh_from_db()
    assert engaging.is_open


def test_reviewed_attending_after_the_watch_then_closed(world: World, engaging: Case) -> None:
    officer = world.users["officer"]
    child = engaging.child
    PupilOnRoll.objects.create(
        establishment=world.school_b,
        upn=child.upn,
        forename=child.forename,
        surname=child.surname,
        date_of_birth=child.date_of_birth,
        admission_date=timezone.localdate() - timedelta(days=60),
        sessions_possible=80,
        sessions_attended=76,
        loaded_at=timezone.now(),
    )
    placement = _offer(world, engaging, days_ago=70, started=60)
    with pytest.raises(ValidationError) as no_answer:
        placement_review(placement=placement, attending=None, note="", by=officer)
    assert "attending" in no_answer.value.message_dict
    done = placement_review(placement=placement, attending=True, note="", by=officer)
    assert done.state == PlacementState.ATTENDING
    assert any("attendance this year 95.0%" in e["says"] for e in done.attendance_seen)
    closed = case_close(
        case=engaging, outcome=Outcome.IN_PROVISION, by=officer, note="Settled", reason="No plan"
    )
    assert closed.status == CaseStatus.CLOSED and closed.outcome == Outcome.IN_PROVISION


def test_not_attending_goes_back_to_engagement_with_a_note(world: World, engaging: Case) -> None:
    officer = world.users["officer"]
    placement = _offer(world, engaging, days_ago=70, started=60)
    ret = AttendanceReturn.objects.create(
        school=world.school_b,
        channel="form",
        received_at=timezone.now(),
        period_from=timezone.localdate() - timedelta(days=30),
        period_to=timezone.localdate() - timedelta(days=1),
    )
    AttendancePupil.objects.create(
        attendance_return=ret,
        school=world.school_b,
        channel="form",
        received_at=timezone.now(),
        child=engaging.child,
        reason="ten_days",
        school_days_absent=12,
        action="Check the child's attendance",
    )
    with pytest.raises(ValidationError) as no_note:
        placement_review(placement=placement, attending=False, note=" ", by=officer)
    assert "note" in no_note.value.message_dict
    done = placement_review(
        placement=placement,
        attending=False,
        note="Absent since week two; PAEWS to visit.",
        by=officer,
    )
    assert done.state == PlacementState.NOT_ATTENDING
    assert any(e["concern"] and "12 school days absent" in e["says"] for e in done.attendance_seen)
    engaging.refresh_from_db()
    assert engaging.status == CaseStatus.ENGAGING


def test_a_place_declined_says_why(world: World, engaging: Case) -> None:
    placement = _offer(world, engaging)
    with pytest.raises(ValidationError) as no_reason:
        placement_withdraw(placement=placement, reason="", by=world.users["officer"])
    assert "reason" in no_reason.value.message_dict
    done = placement_withdraw(
        placement=placement, reason="Family declined", by=world.users["officer"]
    )
    assert done.state == PlacementState.WITHDRAWN


@pytest.mark.parametrize("name", ["paews", "keyworker", "school_a", "agency", "otherla", "admin"])
def test_only_the_cme_team_records_provision(world: World, engaging: Case, name: str) -> None:
    with pytest.raises(NotAllowed):
        placement_offer(
            case=engaging,
            offer=Offer(
                provider_kind="tuition", provider_name="Tutors", offered_on=timezone.localdate()
            ),
            by=world.users[name],
        )


# The page, by role: the plan part of the record (docs/access.md) reads it; the CME team writes.
PAGE = {"officer": "write", "manager": "write", "paews": "read", "keyworker": "read"}


@pytest.mark.parametrize(
    "name",
    ["officer", "manager", "paews", "paews_other", "keyworker", "keyworker_other", "school_a",
     "agency", "otherla", "admin"],
)  # fmt: skip
def test_every_role_on_the_provision_page(world: World, engaging: Case, name: str) -> None:
    placement = _offer(world, engaging, days_ago=2)
    client = _as(world, name)
    url = f"/provision/cases/{engaging.pk}/"
    page = client.get(url)
    posted = client.post(
        f"/provision/{placement.pk}/withdraw/", {"reason": "Posted", "version": placement.version}
    )
    expected = PAGE.get(name)
    placement.refresh_from_db()
    if expected is None:
        assert page.status_code in {403, 404} and posted.status_code in {403, 404}
        assert world.school_b.name not in page.content.decode()
    else:
        body = page.content.decode()
        assert page.status_code == 200 and world.school_b.name in body
        assert ("Record the start" in body) == (expected == "write")
        assert posted.status_code == (302 if expected == "write" else 403)
    assert (placement.state == PlacementState.WITHDRAWN) == (expected == "write")


def test_the_page_keeps_what_was_typed_on_error(world: World, engaging: Case) -> None:
    response = _as(world, "officer").post(
        f"/provision/cases/{engaging.pk}/",
        {"provider_kind": "tuition", "provider_name": "Typed Tutors"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Enter the date the place was offered" in body
    assert 'value="Typed Tutors"' in body


def test_the_reports_count_time_from_referral_to_the_start(world: World, engaging: Case) -> None:
    today = timezone.localdate()
    ReferralFactory.create(
        case=engaging,
        child=engaging.child,
        status="accepted",
        received_on=today - timedelta(days=40),
    )
    _offer(world, engaging, days_ago=20, started=10)
    [start] = provision_starts()
    assert start.case_id == engaging.pk and start.days_to_start == 30
    assert start.referred_on == today - timedelta(days=40)
    assert provision_starts(started_from=today) == []
    assert median_days_to_provision([start]) == 30.0
    assert median_days_to_provision([]) is None
