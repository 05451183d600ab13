"""What one reader may see of a case: a record view carrying only the permitted parts.

cme.accounts.record_access decides the parts from the reader's role and relationship to the
case; this module copies exactly those parts out of the models into plain values. A part the
reader may not read is None here, not hidden later by a template `if`, so no page, API
response or export built from a view can show it. Templates get the view, never the Case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cme.accounts.permissions import WHOLE_REGISTER, Access, Action, Part, can
from cme.people.record_view import (
    AddressLine,
    CarerLine,
    Identity,
    Needs,
    addresses_of,
    carers_of,
    case_access,
    case_relations,
    identity_of,
    needs_of,
)

from .deadlines import WorkItem, case_work_items
from .models import Case, CaseEvent, CaseEventKind, SharedWith

# Timeline entries that are safeguarding detail whatever they were shared with.
SAFEGUARDING_EVENTS = frozenset({CaseEventKind.FLAG, CaseEventKind.FLAG_RESOLVED})


@dataclass(frozen=True)
class Status:
    case_id: int
    status: str
    status_display: str
    outcome_display: str
    opened_on: date
    closed_on: date | None
    is_open: bool


@dataclass(frozen=True)
class FlagLine:
    pk: int
    kind_display: str
    description: str
    raised_at: datetime
    raised_by: str
    escalated_to: str
    escalated_on: date | None
    escalation_reference: str
    is_open: bool
    resolved_at: datetime | None
    resolution: str


@dataclass(frozen=True)
class Safeguarding:
    child_protection_plan: bool
    flags: list[FlagLine]

    @property
    def open_flags(self) -> list[FlagLine]:
        return [f for f in self.flags if f.is_open]


@dataclass(frozen=True)
class EventLine:
    kind_display: str
    to_status_display: str
    at: datetime
    by: str
    text: str
    shared_with: str
    shared_with_display: str


@dataclass(frozen=True)
class Workers:
    key_worker: str | None
    paews_officer: str | None
    work_items: list[WorkItem]


@dataclass(frozen=True)
class ReferralLine:
    referral_id: int
    reference: str
    route_display: str
    received_on: date
    reason_display: str


@dataclass(frozen=True)
class CaseRecord:
    """One case as this reader may see it. A part they may not read is None."""

    access: Access
    status: Status
    identity: Identity | None = None
    addresses: list[AddressLine] | None = None
    carers: list[CarerLine] | None = None
    needs: Needs | None = None
    safeguarding: Safeguarding | None = None
    notes: list[EventLine] | None = None
    workers: Workers | None = None
    referrals: list[ReferralLine] | None = None
    # The reader's own organisation's referrals on this case: a referrer sees what it referred.
    own_referrals: list[ReferralLine] = field(default_factory=list)
    has_plan: bool = False
    has_checks: bool = False
    has_enquiries: bool = False
    has_audit: bool = False
    can_note: bool = False
    can_flag: bool = False
    can_triage: bool = False
    can_close: bool = False
    can_reopen: bool = False

    @property
    def title(self) -> str:
        """How a page names the case: the child's name only for those who may know it."""
        return self.identity.full_name if self.identity else "The child you referred"


def status_of(case: Case) -> Status:
    return Status(
        case_id=case.pk,
        status=case.status,
        status_display=case.get_status_display(),
        outcome_display=case.get_outcome_display() if case.outcome else "",
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        is_open=case.is_open,
    )


def _flags(case: Case) -> list[FlagLine]:
    return [
        FlagLine(
            pk=flag.pk,
            kind_display=flag.get_kind_display(),
            description=flag.description,
            raised_at=flag.raised_at,
            raised_by=str(flag.raised_by),
            escalated_to=flag.escalated_to,
            escalated_on=flag.escalated_on,
            escalation_reference=flag.escalation_reference,
            is_open=flag.is_open,
            resolved_at=flag.resolved_at,
            resolution=flag.resolution,
        )
        for flag in case.flags.all()
    ]


def note_visible(event: CaseEvent, *, user: Any, access: Access) -> bool:
    """May this reader see this timeline entry? The CME team sees all; others what was shared
    with them, and what they wrote themselves; safeguarding entries only with that part."""
    if event.kind in SAFEGUARDING_EVENTS and not access.reads(Part.SAFEGUARDING):
        return False
    if access.whole_record:
        return True
    return event.shared_with in access.notes_shared_with or (
        event.by_id is not None and event.by_id == user.pk
    )


def _notes(case: Case, user: Any, access: Access) -> list[EventLine]:
    return [
        EventLine(
            kind_display=event.get_kind_display(),
            to_status_display=event.get_to_status_display() if event.to_status else "",
            at=event.at,
            by=str(event.by) if event.by else "",
            text=event.text,
            shared_with=event.shared_with,
            shared_with_display=SharedWith(event.shared_with).label,
        )
        for event in case.events.all()
        if note_visible(event, user=user, access=access)
    ]


def _referral_lines(referrals: Any) -> list[ReferralLine]:
    return [
        ReferralLine(
            referral_id=r.pk,
            reference=r.reference,
            route_display=r.get_route_display(),
            received_on=r.received_on,
            reason_display=r.get_reason_display(),
        )
        for r in referrals
    ]


def case_record(*, user: Any, case: Case, access: Access | None = None) -> CaseRecord:
    """The reader's view of a case they may reach (the caller has applied the scope)."""
    access = access or case_access(user, case)
    reads = access.reads
    child = case.child
    referrals = list(case.referrals.all())
    own = [
        r
        for r in referrals
        if user.organisation_id and r.referring_organisation_id == user.organisation_id
    ]
    return CaseRecord(
        access=access,
        status=status_of(case),
        identity=identity_of(child, last_school=case.school.name if case.school else "")
        if reads(Part.IDENTITY)
        else None,
        addresses=addresses_of(child, access) if reads(Part.CONTACT) else None,
        carers=carers_of(child, access) if reads(Part.CARERS) else None,
        needs=needs_of(child) if reads(Part.NEEDS) else None,
        safeguarding=Safeguarding(child.child_protection_plan, _flags(case))
        if reads(Part.SAFEGUARDING)
        else None,
        notes=_notes(case, user, access) if reads(Part.NOTES) else None,
        workers=Workers(
            key_worker=str(case.key_worker) if case.key_worker else None,
            paews_officer=str(case.paews_officer) if case.paews_officer else None,
            work_items=case_work_items(case, today=timezone.localdate()),
        )
        if reads(Part.WORKERS)
        else None,
        referrals=_referral_lines(referrals) if reads(Part.REFERRALS) else None,
        own_referrals=_referral_lines(own),
        has_plan=reads(Part.PLAN),
        has_checks=reads(Part.CHECKS),
        has_enquiries=reads(Part.ENQUIRIES),
        has_audit=reads(Part.AUDIT) and can(user, Action.VIEW_AUDIT),
        can_note=access.writes(Part.NOTES) and case.is_open,
        can_flag=access.writes(Part.SAFEGUARDING) and case.is_open,
        can_triage=can(user, Action.TRIAGE) and case.is_open,
        can_close=can(user, Action.CLOSE_CASE) and case.is_open,
        can_reopen=can(user, Action.REOPEN_CASE) and not case.is_open,
    )


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register, as this reader may see it."""

    status: Status
    name: str | None  # "SURNAME, Forename" with the identity part, else None
    date_of_birth: date | None
    last_school: str | None
    key_worker: str | None
    risk_factors: list[str] | None


def accesses(*, user: Any, cases: list[Case]) -> dict[int, Access]:
    """`case_access` for a page of cases, with one query for which of them the reader's
    organisation referred rather than one a case."""
    referred: set[int] = set()
    if user.role not in WHOLE_REGISTER and user.organisation_id:
        referred = set(
            Case.objects.filter(
                pk__in=[c.pk for c in cases],
                referrals__referring_organisation_id=user.organisation_id,
            ).values_list("pk", flat=True)
        )
    return {case.pk: case_access(user, case, referred=case.pk in referred) for case in cases}


def register_rows(*, user: Any, cases: list[Case]) -> list[RegisterRow]:
    by_case = accesses(user=user, cases=cases)
    rows = []
    for case in cases:
        access = by_case[case.pk]
        identity = access.reads(Part.IDENTITY)
        rows.append(
            RegisterRow(
                status=status_of(case),
                name=f"{case.child.surname.upper()}, {case.child.forename}" if identity else None,
                date_of_birth=case.child.date_of_birth if identity else None,
                last_school=(case.school.name if case.school else "") if identity else None,
                key_worker=(str(case.key_worker) if case.key_worker else "")
                if access.reads(Part.WORKERS)
                else None,
                risk_factors=[r.label for r in case.child.current_risk_factors()][:2]
                if access.reads(Part.NEEDS)
                else None,
            )
        )
    return rows


__all__ = [
    "AddressLine",
    "CarerLine",
    "CaseRecord",
    "Identity",
    "Needs",
    "RegisterRow",
    "accesses",
    "case_access",
    "case_record",
    "case_relations",
    "register_rows",
]
