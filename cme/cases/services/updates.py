"""Keeping an open case up to date: naming its workers, the dates its clocks start from, and
notes from the people working it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.key_work import key_work_refusal
from cme.accounts.models import Role
from cme.accounts.permissions import Action, Part, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from ..models import OPEN_STATUSES, Case, CaseEvent, CaseEventKind, CaseStatus, SharedWith
from ..notifications import notify_assigned
from ..record_view import case_access
from ..scopes import case_in_scope
from ._shared import bump as _bump
from ._shared import locked as _locked
from ._shared import refuse_if_closed
from .timeline import case_event_add

# Passed for a worker the caller is not changing; None un-names.
UNCHANGED: Any = object()

# A case being engaged or in provision has a key worker (policy: one is named for every
# child, and keeps the officer updated until the child is in provision).
NEEDS_KEY_WORKER = frozenset({CaseStatus.ENGAGING, CaseStatus.IN_PROVISION})


def _check_workers(case: Case, key_worker: Any, paews_officer: Any) -> None:
    errors: dict[str, list[str]] = {}
    if key_worker is None and case.status in NEEDS_KEY_WORKER and case.key_worker_id:
        errors["key_worker"] = [
            "A case that is engaging or in provision must have a key worker. "
            "Choose someone else instead of leaving it blank."
        ]
    elif key_worker not in (None, UNCHANGED) and key_worker.pk != case.key_worker_id:
        refusal = key_work_refusal(key_worker)
        if refusal:
            errors["key_worker"] = [refusal]
    if paews_officer not in (None, UNCHANGED) and paews_officer.role != Role.PAEWS_OFFICER:
        errors["paews_officer"] = ["Choose someone from the PAEWS team"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_assign(
    *,
    case: Case,
    by: Any,
    key_worker: Any = UNCHANGED,
    paews_officer: Any = UNCHANGED,
    expected_version: int | None = None,
) -> Case:
    """Name the case's key worker, its PAEWS officer, or both (None un-names one): one act,
    one timeline entry. Only someone from an organisation approved for key work can be key
    worker, never another council's staff."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    case = _locked(case, expected_version)
    refuse_if_closed(case, "naming its workers")
    _check_workers(case, key_worker, paews_officer)
    changed, said = [], []
    if key_worker is not UNCHANGED and getattr(key_worker, "pk", None) != case.key_worker_id:
        case.key_worker = key_worker
        changed.append("key_worker")
        said.append(f"Key worker: {key_worker}" if key_worker else "Key worker no longer named")
    if (
        paews_officer is not UNCHANGED
        and getattr(paews_officer, "pk", None) != case.paews_officer_id
    ):
        case.paews_officer = paews_officer
        changed.append("paews_officer")
        said.append(
            f"PAEWS officer: {paews_officer}" if paews_officer else "PAEWS officer no longer named"
        )
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
    if named_key_worker and key_worker is not None:
        notify_assigned(case=case, user=key_worker, as_what="key worker")
    if "paews_officer" in changed and paews_officer is not None:
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
def case_add_note(
    *, case: Case, by: Any, text: str, shared_with: str = SharedWith.CME_TEAM
) -> CaseEvent:
    """An update from someone working the case, read by the CME team and by whoever it is
    `shared_with` (the named workers, or the school as well); by default the CME team only.
    From the key worker it resets their clock."""
    if not case_in_scope(by, case) or not case_access(by, case).writes(Part.NOTES):
        raise NotAllowed
    _refuse_if_closed(case, "a note")
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = ["Enter the update"]
    if shared_with not in SharedWith.values:
        errors["shared_with"] = ["Choose who the update is shared with"]
    if errors:
        raise ValidationError(errors)
    event = case_event_add(
        case=case,
        kind=CaseEventKind.NOTE,
        by=by,
        text=text.strip(),
        key_worker_update=True,
        shared_with=shared_with,
    )
    audit_record(
        actor=by,
        verb=Verb.NOTE_ADDED,
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
    refuse_if_closed(case, "recording its absence and leaving dates")
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
