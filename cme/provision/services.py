"""Recording a child's provision: the place offered, the start, the review at the end of the
watch on attendance, or the place declined. Each write is one transaction with the case's
timeline entry and an audit event; the case moves to In provision when the child starts
(and back to Engaging if, after the watch, the child is not attending)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.calendars.selectors import school_calendar
from cme.cases.models import Case, CaseEventKind, CaseStatus
from cme.cases.scopes import case_in_scope
from cme.cases.services import case_event_add, case_transition
from cme.core.errors import NotAllowed, StaleEdit
from cme.rules import RulesError
from cme.rules.provision_watch import watch_ends
from cme.schools.models import Establishment

from .attendance import attendance_evidence
from .models import OPEN_STATES, Placement, PlacementState, ProviderKind

MAX_NOTE = 2000


def _require(by: Any, case: Case) -> None:
    """The CME team records provision, on a case it can see."""
    if not can(by, Action.TRIAGE) or not case_in_scope(by, case):
        raise NotAllowed


def _locked(placement: Placement, expected_version: int | None) -> Placement:
    # Only inner joins under FOR UPDATE: PostgreSQL refuses to lock the nullable side of an
    # outer join (the school), which is read afterwards.
    current = (
        Placement.objects.select_for_update()
        .select_related("case", "case__child")
        .get(pk=placement.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            "Someone else changed this placement while you were working on it. "
            "Check what changed, then try again.",
            code="stale",
        )
    return current


def _timeline(placement: Placement, by: Any, text: str) -> None:
    case_event_add(case=placement.case, kind=CaseEventKind.PROVISION, by=by, text=text)


def _audit(placement: Placement, by: Any, verb: Verb, **details: Any) -> None:
    audit_record(
        actor=by,
        verb=verb,
        subject=placement,
        child_id=placement.case.child_id,
        details={"state": placement.state, **details},
    )


@dataclass(frozen=True)
class Offer:
    provider_kind: str
    offered_on: date | None
    school: Establishment | None = None
    provider_name: str = ""
    start_on: date | None = None


def _offer_problems(offer: Offer, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if offer.provider_kind not in ProviderKind.values:
        errors["provider_kind"] = ["Choose a school, alternative provision or tuition"]
    if offer.provider_kind == ProviderKind.SCHOOL and offer.school is None:
        errors["school"] = ["Choose the school by its name or URN"]
    unnamed = offer.school is None and not offer.provider_name.strip()
    if offer.provider_kind != ProviderKind.SCHOOL and unnamed:
        errors["provider_name"] = ["Enter the name of the provider"]
    if len(offer.provider_name) > 200:
        errors["provider_name"] = ["Use 200 characters or fewer"]
    if offer.offered_on is None:
        errors["offered_on"] = ["Enter the date the place was offered"]
    elif offer.offered_on > today:
        errors["offered_on"] = ["The date offered must be today or earlier"]
    if offer.start_on is not None and offer.offered_on and offer.start_on < offer.offered_on:
        errors["start_on"] = ["The start date cannot be before the place was offered"]
    if offer.start_on is not None and offer.start_on > today:
        errors["start_on"] = ["Record the start on or after the day the child starts"]
    return errors


@transaction.atomic
def placement_offer(*, case: Case, offer: Offer, by: Any) -> Placement:
    """A place offered; with a start date, the child has also started (see placement_start)."""
    _require(by, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError("This case is closed. Reopen it before recording provision.")
    errors = _offer_problems(offer, timezone.localdate())
    if errors or offer.offered_on is None:
        raise ValidationError(errors)
    if Placement.objects.filter(case=case, state__in=OPEN_STATES).exists():
        raise ValidationError(
            "This case already has a place offered or being watched. Record how that one ended "
            "first."
        )
    placement = Placement.objects.create(
        case=case,
        provider_kind=offer.provider_kind,
        school=offer.school,
        provider_name=(offer.school.name if offer.school else offer.provider_name.strip()),
        offered_on=offer.offered_on,
        recorded_by=by,
    )
    _timeline(
        placement,
        by,
        f"{ProviderKind(placement.provider_kind).label} offered: {placement.provider_name}, "
        f"on {placement.offered_on:%-d %B %Y}.",
    )
    _audit(placement, by, Verb.PROVISION_OFFERED, kind=placement.provider_kind)
    if offer.start_on is not None:
        placement = placement_start(placement=placement, start_on=offer.start_on, by=by)
    return placement


def _watch(placement: Placement, start_on: date) -> tuple[int, date, str]:
    days = settings.CME_PROVISION_WATCH_SCHOOL_DAYS
    try:
        calendar = school_calendar(placement.school_id)
    except RulesError:
        calendar = None
    end = watch_ends(start_on=start_on, school_days=days, calendar=calendar)
    return days, end.ends_on, end.counting


@transaction.atomic
def placement_start(
    *, placement: Placement, start_on: date | None, by: Any, expected_version: int | None = None
) -> Placement:
    """The child has started: the watch on attendance runs from here, and the case moves to
    In provision (from Engaging, with its key worker; the policy's "in provision (monitor)")."""
    _require(by, placement.case)
    placement = _locked(placement, expected_version)
    if placement.state != PlacementState.OFFERED:
        raise ValidationError("Only a place offered and not yet taken up can start.")
    if start_on is None:
        raise ValidationError({"start_on": ["Enter the date the child started"]})
    if start_on < placement.offered_on:
        raise ValidationError(
            {"start_on": ["The start date cannot be before the place was offered"]}
        )
    if start_on > timezone.localdate():
        raise ValidationError({"start_on": ["Record the start on or after the day it happens"]})
    case = placement.case
    if case.status not in {CaseStatus.ENGAGING, CaseStatus.IN_PROVISION}:
        raise ValidationError(
            "A child starts in provision from engagement: move the case to Engaging, with its "
            "key worker named, first."
        )
    placement.watch_school_days, placement.watch_until, placement.watch_counting = _watch(
        placement, start_on
    )
    placement.start_on, placement.state = start_on, PlacementState.WATCHING
    placement.version += 1
    placement.save()
    if case.status == CaseStatus.ENGAGING:
        case_transition(
            case=case,
            to=CaseStatus.IN_PROVISION,
            by=by,
            note=f"Started at {placement.provider_name} on {start_on:%-d %B %Y}.",
        )
    _timeline(
        placement,
        by,
        f"Started at {placement.provider_name} on {start_on:%-d %B %Y}. Attendance is watched "
        f"until {placement.watch_until:%-d %B %Y} ({placement.watch_counting}).",
    )
    _audit(placement, by, Verb.PROVISION_STARTED)
    return placement


@transaction.atomic
def placement_review(
    *,
    placement: Placement,
    attending: bool | None,
    note: str,
    by: Any,
    expected_version: int | None = None,
) -> Placement:
    """At the end of the watch, the officer's finding from the attendance seen: attending
    (the case may close as back in education) or not (the case goes back to Engaging). The
    attendance the register held is kept with the review."""
    _require(by, placement.case)
    placement = _locked(placement, expected_version)
    if placement.state != PlacementState.WATCHING:
        raise ValidationError("Only a placement being watched can be reviewed.")
    today = timezone.localdate()
    if placement.watch_until and placement.watch_until > today:
        raise ValidationError(
            f"The watch on attendance runs until {placement.watch_until:%-d %B %Y}. Review it then."
        )
    errors: dict[str, list[str]] = {}
    if attending is None:
        errors["attending"] = ["Say whether the child is attending"]
    if attending is False and not note.strip():
        errors["note"] = ["Say what the attendance shows, and what happens next"]
    if len(note) > MAX_NOTE:
        errors["note"] = [f"Use {MAX_NOTE} characters or fewer"]
    if errors:
        raise ValidationError(errors)
    placement.attendance_seen = [e.as_dict() for e in attendance_evidence(placement)]
    placement.state = PlacementState.ATTENDING if attending else PlacementState.NOT_ATTENDING
    placement.reviewed_on, placement.reviewed_by = today, by
    placement.review_note = note.strip()
    placement.version += 1
    placement.save()
    case = placement.case
    if not attending and case.status == CaseStatus.IN_PROVISION:
        case_transition(
            case=case,
            to=CaseStatus.ENGAGING,
            by=by,
            note=f"Not attending {placement.provider_name} after the watch.",
        )
    _timeline(
        placement,
        by,
        f"Attendance at {placement.provider_name} after the watch: "
        + ("attending." if attending else f"not attending. {placement.review_note}"),
    )
    _audit(placement, by, Verb.PROVISION_REVIEWED, attending=bool(attending))
    return placement


@transaction.atomic
def placement_withdraw(
    *, placement: Placement, reason: str, by: Any, expected_version: int | None = None
) -> Placement:
    """A place declined, withdrawn, or that ended during the watch (a move, an exclusion)."""
    _require(by, placement.case)
    placement = _locked(placement, expected_version)
    if placement.state not in OPEN_STATES:
        raise ValidationError("Only a place offered or being watched can be withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the place was declined or withdrawn"]})
    was_watching = placement.state == PlacementState.WATCHING
    placement.state, placement.withdrawn_reason = PlacementState.WITHDRAWN, reason.strip()[:300]
    placement.version += 1
    placement.save()
    if was_watching and placement.case.status == CaseStatus.IN_PROVISION:
        case_transition(
            case=placement.case,
            to=CaseStatus.ENGAGING,
            by=by,
            note=f"The place at {placement.provider_name} ended.",
        )
    _timeline(placement, by, f"Place at {placement.provider_name} withdrawn: {reason.strip()}")
    _audit(placement, by, Verb.PROVISION_WITHDRAWN)
    return placement


__all__ = ["Offer", "placement_offer", "placement_review", "placement_start", "placement_withdraw"]
