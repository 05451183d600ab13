"""What every case service shares: the row lock with its stale-form check and the version bump."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from cme.core.errors import StaleEdit

from .. import due
from ..models import Case, CaseStatus, CaseStatusChange


def refuse_if_closed(case: Case, doing: str) -> None:
    """A closed case changes only by being reopened: say so, in the words of what was tried."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(f"This case is closed. Reopen it before {doing}.", code="closed")


def locked(case: Case, expected_version: int | None) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        changes = list(current.events.values_list("text", flat=True)[:3])
        raise StaleEdit(
            "Someone else changed this case while you were working on it. "
            "Check what changed, then make your change again."
            + (f" Changes: {'; '.join(c for c in changes if c)}" if any(changes) else ""),
            code="stale",
        )
    return current


def bump(case: Case, *fields: str) -> None:
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db(fields=["version"])
    due.refresh(case)


def record_status(case: Case, *, on: date, outcome: str = "") -> CaseStatusChange:
    """Add the case's new status to its history, effective from `on` (cme.cases.models)."""
    change = CaseStatusChange(
        case=case,
        status=case.status,
        outcome=outcome,
        effective_on=max(on, case.opened_on),
        recorded_at=timezone.now(),
    )
    change.full_clean(exclude=["case"])
    change.save()
    return change
