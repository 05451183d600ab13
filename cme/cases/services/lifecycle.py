"""A case's life: opened, moved through the process, closed, reopened.

Each service checks who is acting and the case's current state, changes it under a row lock,
bumps its version (so a stale form is refused), adds to its timeline and writes the audit
event, all in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.people.models import Child
from cme.schools.models import Establishment

from .. import due
from ..closing import close_refusals, open_action_count, outcome_refusal, reason_needed
from ..models import OPEN_STATUSES, Case, CaseEventKind, CaseStatus, FlagKind, Outcome
from ._shared import bump as _bump
from ._shared import locked as _locked
from ._shared import record_status, refuse_if_closed
from .timeline import case_event_add

# The process of DESIGN.md section 2. Closing is its own service, open to every open state.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.REFERRED: frozenset({CaseStatus.CHECKING}),
    CaseStatus.CHECKING: frozenset({CaseStatus.LOCATING, CaseStatus.ENGAGING}),
    CaseStatus.LOCATING: frozenset({CaseStatus.CHECKING, CaseStatus.ENGAGING}),
    CaseStatus.ENGAGING: frozenset({CaseStatus.LOCATING, CaseStatus.IN_PROVISION}),
    CaseStatus.IN_PROVISION: frozenset({CaseStatus.ENGAGING}),
}


def next_statuses(case: Case) -> list[CaseStatus]:
    return [CaseStatus(s) for s in CaseStatus.values if s in TRANSITIONS.get(case.status, ())]


@transaction.atomic
def case_open(
    *,
    child: Child,
    school: Establishment | None,
    by: Any,
    opened_on: date | None = None,
    why: str = "",
    verb: Verb = Verb.CREATE,
    details: dict[str, Any] | None = None,
) -> Case:
    """Open a case for a child who has no open case.

    The caller says why it opened (the timeline's words) and which act it was (the audit
    verb and its details): the act that opens a case writes one entry and one event.
    """
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    if child.cases.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError("This child already has an open case; add to that one instead.")
    case = Case(child=child, opened_on=opened_on or timezone.localdate(), school=school)
    case.full_clean()
    case.save()
    record_status(case, on=case.opened_on)
    case_event_add(case=case, kind=CaseEventKind.OPENED, by=by, text=why)
    due.refresh(case)
    audit_record(actor=by, verb=verb, subject=case, child_id=child.pk, details=details)
    return case


@transaction.atomic
def case_transition(
    *, case: Case, to: str, by: Any, note: str = "", expected_version: int | None = None
) -> Case:
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    case = _locked(case, expected_version)
    refuse_if_closed(case, "moving it on")
    if to not in TRANSITIONS.get(case.status, ()):
        raise ValidationError(
            f"A case that is {case.get_status_display().lower()} cannot move to "
            f"{CaseStatus(to).label.lower() if to in CaseStatus.values else to}."
        )
    if to in {CaseStatus.ENGAGING, CaseStatus.IN_PROVISION} and case.key_worker_id is None:
        raise ValidationError("Name a key worker before the case moves to engagement.")
    before = case.status
    case.status = to
    _bump(case, "status")
    record_status(case, on=timezone.localdate())
    case_event_add(
        case=case, kind=CaseEventKind.STATUS, by=by, text=note, from_status=before, to_status=to
    )
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=case,
        child_id=case.child_id,
        details={"from": before, "to": to},
    )
    return case


@transaction.atomic
def case_close(
    *,
    case: Case,
    outcome: str,
    by: Any,
    note: str,
    closed_on: date | None = None,
    school: Establishment | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """Close an open case with an outcome (the rules are cme.cases.closing).

    `school` is the school the child is on roll at, needed to close as "Found on a school
    roll" (it becomes the case's school). `reason` explains a closing that needs one: open
    action plan actions, or no plan once the case is past engagement.
    """
    if not can(by, Action.CLOSE_CASE):
        raise NotAllowed
    case = _locked(case, expected_version)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is already closed.")
    if case.flags.filter(kind=FlagKind.SAFEGUARDING, resolved_at__isnull=True).exists():
        raise ValidationError(
            "This case has an unresolved safeguarding concern. Resolve it, with children's "
            "social care, before closing the case."
        )
    closed_on = closed_on or timezone.localdate()
    errors = _close_errors(case, outcome, note, closed_on, school, reason)
    if errors:
        raise ValidationError(errors)
    before = case.status
    case.status, case.outcome, case.closed_on = CaseStatus.CLOSED, outcome, closed_on
    fields = ["status", "outcome", "closed_on"]
    if outcome == Outcome.ON_ROLL and school is not None and school.pk != case.school_id:
        case.school = school
        fields.append("school")
    _bump(case, *fields)
    record_status(case, on=closed_on, outcome=outcome)
    text = f"{Outcome(outcome).label}"
    if outcome == Outcome.ON_ROLL and school is not None:
        text += f" at {school.name} (URN {school.urn})"
    text += f". {note.strip()}"
    if reason.strip():
        text += f" Closed with the action plan unfinished because: {reason.strip()}"
    case_event_add(
        case=case,
        kind=CaseEventKind.CLOSED,
        by=by,
        text=text,
        from_status=before,
        to_status=CaseStatus.CLOSED,
    )
    details: dict[str, Any] = {"outcome": outcome, "from": before}
    if outcome == Outcome.ON_ROLL and school is not None:
        details["school_urn"] = school.urn
    if reason.strip():
        details["reason"] = reason.strip()
        details["open_actions"] = open_action_count(case)
    audit_record(actor=by, verb=Verb.CLOSE, subject=case, child_id=case.child_id, details=details)
    return case


def _close_errors(
    case: Case,
    outcome: str,
    note: str,
    closed_on: date,
    school: Establishment | None,
    reason: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = ["Choose how the case ended"]
    elif refusal := outcome_refusal(case, outcome):
        errors["outcome"] = [refusal]
    elif outcome == Outcome.ON_ROLL and school is None:
        errors["school"] = ["Choose the school the child is on roll at"]
    # What the steps above the register require (an enquiry made before "lost", say).
    if "outcome" not in errors and (refusals := close_refusals(case, outcome)):
        errors["outcome"] = refusals
    if not note.strip():
        errors["note"] = ["Say briefly why the case can close"]
    if closed_on < case.opened_on:
        errors["closed_on"] = ["The closing date must be on or after the day the case opened"]
    if closed_on > timezone.localdate():
        errors["closed_on"] = ["The closing date must be today or earlier"]
    if (prompt := reason_needed(case)) and not reason.strip():
        errors["reason"] = [prompt]
    return errors


@transaction.atomic
def case_reopen(*, case: Case, by: Any, reason: str, expected_version: int | None = None) -> Case:
    """A closed case comes back to checking: whatever closed it is no longer true."""
    if not can(by, Action.REOPEN_CASE):
        raise NotAllowed
    case = _locked(case, expected_version)
    if case.status != CaseStatus.CLOSED:
        raise ValidationError("Only a closed case can be reopened.")
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the case is being reopened"]})
    if case.child.cases.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError("This child already has an open case; add to that one instead.")
    case.status, case.outcome, case.closed_on = CaseStatus.CHECKING, "", None
    _bump(case, "status", "outcome", "closed_on")
    record_status(case, on=timezone.localdate())
    case_event_add(
        case=case,
        kind=CaseEventKind.REOPENED,
        by=by,
        text=reason.strip(),
        from_status=CaseStatus.CLOSED,
        to_status=CaseStatus.CHECKING,
    )
    audit_record(actor=by, verb=Verb.REOPEN, subject=case, child_id=case.child_id)
    return case
