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

from ..models import Case, CaseEvent, CaseEventKind
from ..notifications import notify_assigned
from ._shared import bump as _bump
from ._shared import event as _event
from ._shared import locked as _locked


@transaction.atomic
def case_assign(
    *,
    case: Case,
    by: Any,
    key_worker: Any = None,
    paews_officer: Any = None,
    expected_version: int | None = None,
) -> Case:
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    case = _locked(case, expected_version)
    if paews_officer is not None and paews_officer.role != Role.PAEWS_OFFICER:
        raise ValidationError({"paews_officer": ["Choose someone from the PAEWS team"]})
    changed = []
    if key_worker is not None and key_worker.pk != case.key_worker_id:
        case.key_worker = key_worker
        changed.append("key_worker")
        _event(case, kind=CaseEventKind.KEY_WORKER, by=by, text=f"Key worker: {key_worker}")
        notify_assigned(case=case, user=key_worker, as_what="key worker")
    if paews_officer is not None and paews_officer.pk != case.paews_officer_id:
        case.paews_officer = paews_officer
        changed.append("paews_officer")
        _event(case, kind=CaseEventKind.NOTE, by=by, text=f"PAEWS officer: {paews_officer}")
        notify_assigned(case=case, user=paews_officer, as_what="PAEWS officer")
    if changed:
        _bump(case, *changed)
        audit_record(
            actor=by,
            verb=Verb.UPDATE,
            subject=case,
            child_id=case.child_id,
            details={"assigned": changed},
        )
    return case


@transaction.atomic
def case_add_note(*, case: Case, by: Any, text: str) -> CaseEvent:
    if not can(by, Action.ADD_NOTE) or not Case.objects.filter(case_scope(by), pk=case.pk).exists():
        raise NotAllowed
    if not text.strip():
        raise ValidationError({"text": ["Enter the update"]})
    event = CaseEvent.objects.create(
        case=case, kind=CaseEventKind.NOTE, by=by, at=timezone.now(), text=text.strip()
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    audit_record(
        actor=by, verb=Verb.UPDATE, subject=case, child_id=case.child_id, details={"note": event.pk}
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
    _event(case, kind=CaseEventKind.NOTE, by=by, text="Absence and leaving dates recorded")
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=case,
        child_id=case.child_id,
        details={"clock_starts": True},
    )
    return case
