"""Keeping an open case up to date: naming its workers, the dates its clocks start from, and
notes from the people working it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role
from cme.accounts.permissions import Action, Part, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from ..models import Case, CaseEvent, CaseEventKind, SharedWith
from ..notifications import notify_assigned
from ..record_view import case_access
from ..scopes import case_in_scope
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
def case_add_note(
    *, case: Case, by: Any, text: str, shared_with: str = SharedWith.CME_TEAM
) -> CaseEvent:
    """A note on the timeline, read by the CME team and by whoever it is `shared_with`
    (the named workers, or the school as well); by default the CME team only."""
    if not case_in_scope(by, case) or not case_access(by, case).writes(Part.NOTES):
        raise NotAllowed
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = ["Enter the update"]
    if shared_with not in SharedWith.values:
        errors["shared_with"] = ["Choose who the update is shared with"]
    if errors:
        raise ValidationError(errors)
    event = CaseEvent(
        case=case,
        kind=CaseEventKind.NOTE,
        by=by,
        at=timezone.now(),
        text=text.strip(),
        shared_with=shared_with,
    )
    event.full_clean()
    event.save()
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=case,
        child_id=case.child_id,
        details={"note": event.pk, "shared_with": shared_with},
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
