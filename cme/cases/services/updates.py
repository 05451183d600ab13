"""Keeping an open case up to date: naming its workers, the dates its clocks start from, and
notes from the people working it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role
from cme.accounts.permissions import Action, can, case_scope
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from ..models import OPEN_STATUSES, Case, CaseEvent, CaseEventKind
from ..notifications import notify_assigned
from ._shared import bump as _bump
from ._shared import locked as _locked
from .timeline import case_event_add


@transaction.atomic
def case_assign(
    *,
    case: Case,
    by: Any,
    key_worker: Any = None,
    paews_officer: Any = None,
    expected_version: int | None = None,
) -> Case:
    """Name the case's key worker, its PAEWS officer, or both: one act, one timeline entry."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    case = _locked(case, expected_version)
    if paews_officer is not None and paews_officer.role != Role.PAEWS_OFFICER:
        raise ValidationError({"paews_officer": ["Choose someone from the PAEWS team"]})
    changed, said = [], []
    if key_worker is not None and key_worker.pk != case.key_worker_id:
        case.key_worker = key_worker
        changed.append("key_worker")
        said.append(f"Key worker: {key_worker}")
    if paews_officer is not None and paews_officer.pk != case.paews_officer_id:
        case.paews_officer = paews_officer
        changed.append("paews_officer")
        said.append(f"PAEWS officer: {paews_officer}")
    if not changed:
        return case
    _bump(case, *changed)
    named_key_worker = "key_worker" in changed
    case_event_add(
        case=case,
        kind=CaseEventKind.KEY_WORKER if named_key_worker else CaseEventKind.PAEWS_OFFICER,
        by=by,
        text=". ".join(said),
    )
    audit_record(
        actor=by,
        verb=Verb.KEY_WORKER_NAMED if named_key_worker else Verb.PAEWS_OFFICER_NAMED,
        subject=case,
        child_id=case.child_id,
        details={"assigned": changed},
    )
    if named_key_worker:
        notify_assigned(case=case, user=key_worker, as_what="key worker")
    if "paews_officer" in changed:
        notify_assigned(case=case, user=paews_officer, as_what="PAEWS officer")
    return case


@transaction.atomic
def case_refer_to_paews(*, case: Case, by: Any, paews_officer: Any, why: str) -> Case:
    """Refer the case to a PAEWS officer, naming them on it; `why` goes on the timeline."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    if paews_officer is None or paews_officer.role != Role.PAEWS_OFFICER:
        raise ValidationError({"paews_officer": ["Choose someone from the PAEWS team"]})
    case = _locked(case, None)
    if not case.is_open:
        raise ValidationError("This case is closed. Reopen it before referring it to PAEWS.")
    newly_named = paews_officer.pk != case.paews_officer_id
    if newly_named:
        case.paews_officer = paews_officer
        _bump(case, "paews_officer")
    case_event_add(case=case, kind=CaseEventKind.PAEWS_REFERRAL, by=by, text=why)
    audit_record(
        actor=by,
        verb=Verb.PAEWS_REFERRED,
        subject=case,
        child_id=case.child_id,
        details={"paews_referral": paews_officer.pk},
    )
    if newly_named:
        notify_assigned(case=case, user=paews_officer, as_what="PAEWS officer")
    return case


def _refuse_if_closed(case: Case, what: str) -> None:
    if not Case.objects.filter(pk=case.pk, status__in=OPEN_STATUSES).exists():
        raise ValidationError(f"This case is closed. Reopen it before adding {what}.")


@transaction.atomic
def case_add_note(*, case: Case, by: Any, text: str) -> CaseEvent:
    """An update from someone working the case; from the key worker it resets their clock."""
    if not can(by, Action.ADD_NOTE) or not Case.objects.filter(case_scope(by), pk=case.pk).exists():
        raise NotAllowed
    _refuse_if_closed(case, "a note")
    if not text.strip():
        raise ValidationError({"text": ["Enter the update"]})
    event = case_event_add(
        case=case, kind=CaseEventKind.NOTE, by=by, text=text.strip(), key_worker_update=True
    )
    audit_record(
        actor=by,
        verb=Verb.NOTE_ADDED,
        subject=case,
        child_id=case.child_id,
        details={"note": event.pk},
    )
    return event


@transaction.atomic
def case_set_clock_starts(
    *,
    case: Case,
    by: Any,
    first_day_absent: date | None,
    left_roll_on: date | None,
    expected_version: int | None = None,
) -> Case:
    """Record the dates the statutory clocks count from (see cme.cases.deadlines)."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    case = _locked(case, expected_version)
    today = timezone.localdate()
    errors = {
        name: ["The date must be today or earlier"]
        for name, value in (("first_day_absent", first_day_absent), ("left_roll_on", left_roll_on))
        if value is not None and value > today
    }
    if errors:
        raise ValidationError(errors)
    case.first_day_absent, case.left_roll_on = first_day_absent, left_roll_on
    _bump(case, "first_day_absent", "left_roll_on")
    case_event_add(
        case=case, kind=CaseEventKind.NOTE, by=by, text="Absence and leaving dates recorded"
    )
    audit_record(
        actor=by,
        verb=Verb.DATES_RECORDED,
        subject=case,
        child_id=case.child_id,
        details={"clock_starts": True},
    )
    return case
