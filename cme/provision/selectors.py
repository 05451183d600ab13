"""Reading provision: a case's placements for the officer (the "plan" part of the record,
cme.accounts.record_access), and the facts the monitoring reports count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Min, QuerySet
from django.http import Http404

from cme.accounts.permissions import Action, Part, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import Case
from cme.cases.scopes import case_scope
from cme.people.record_view import case_access

from .attendance import Evidence, attendance_evidence
from .models import Placement, PlacementState


@dataclass(frozen=True)
class PlacementLine:
    placement: Placement
    # The attendance the register holds now, for a placement being watched.
    evidence: list[Evidence]


@dataclass(frozen=True)
class CaseProvision:
    case: Case
    lines: list[PlacementLine]
    can_record: bool
    watch_days: int

    @property
    def open_placement(self) -> bool:
        return any(line.placement.is_open for line in self.lines)


def case_provision(*, user: Any, case_id: int) -> CaseProvision:
    """A case's provision; 404 outside the user's scope or where they may not read the plan."""
    case = Case.objects.filter(case_scope(user), pk=case_id).select_related("child").first()
    if case is None or not case_access(user, case).reads(Part.PLAN):
        raise Http404
    placements = list(
        Placement.objects.filter(case=case).select_related("school", "reviewed_by", "recorded_by")
    )
    audit_record(
        actor=user,
        verb=Verb.VIEW,
        subject=case,
        child_id=case.child_id,
        details={"part": "provision"},
    )
    return CaseProvision(
        case=case,
        lines=[
            PlacementLine(p, attendance_evidence(p) if p.state == PlacementState.WATCHING else [])
            for p in placements
        ],
        can_record=can(user, Action.TRIAGE) and case.is_open,
        watch_days=settings.CME_PROVISION_WATCH_SCHOOL_DAYS,
    )


def placement_get(*, user: Any, placement_id: int) -> Placement:
    placement = Placement.objects.filter(pk=placement_id).select_related("case").first()
    if placement is None:
        raise Http404
    case_provision(user=user, case_id=placement.case_id)  # scope, part and audit
    return placement


@dataclass(frozen=True)
class ProvisionStart:
    """One child's progress into provision: for the monitoring reports."""

    case_id: int
    child_id: int
    referred_on: date  # the first referral on the case (the day the case opened if none)
    offered_on: date
    start_on: date
    provider_kind: str
    state: str  # watching, attending, not_attending, withdrawn (started, then ended)

    @property
    def days_to_start(self) -> int:
        return (self.start_on - self.referred_on).days


def provision_starts(
    *, started_from: date | None = None, started_to: date | None = None
) -> list[ProvisionStart]:
    """Every start in provision (optionally those starting in a period), with the time from
    referral to the start: a fact the reports count, read-only. The first start of each case
    counts; the caller decides whom a figure's children may be shown to."""
    qs: QuerySet[Placement] = Placement.objects.filter(start_on__isnull=False)
    if started_from is not None:
        qs = qs.filter(start_on__gte=started_from)
    if started_to is not None:
        qs = qs.filter(start_on__lte=started_to)
    qs = qs.select_related("case").annotate(first_referral=Min("case__referrals__received_on"))
    seen: set[int] = set()
    rows = []
    for placement in qs.order_by("start_on", "id"):
        if placement.case_id in seen:
            continue
        seen.add(placement.case_id)
        assert placement.start_on is not None  # noqa: S101 - filtered above
        rows.append(
            ProvisionStart(
                case_id=placement.case_id,
                child_id=placement.case.child_id,
                referred_on=placement.first_referral or placement.case.opened_on,
                offered_on=placement.offered_on,
                start_on=placement.start_on,
                provider_kind=placement.provider_kind,
                state=placement.state,
            )
        )
    return rows


def median_days_to_provision(starts: list[ProvisionStart]) -> float | None:
    """The median days from referral to the start in provision; None with no starts."""
    days = sorted(s.days_to_start for s in starts)
    if not days:
        return None
    middle = len(days) // 2
    return float(days[middle]) if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
