"""Flags on a case: risk, safeguarding, do not contact. Raised and resolved, never deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can, case_scope
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from ..models import OPEN_STATUSES, Case, CaseEventKind, Flag, FlagKind
from ..notifications import notify_safeguarding_concern
from .timeline import case_event_add


def _may_flag(user: Any, case: Case) -> bool:
    return can(user, Action.ADD_NOTE) and Case.objects.filter(case_scope(user), pk=case.pk).exists()


def _flag_problems(
    kind: str, description: str, escalated_to: str, escalated_on: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in FlagKind.values:
        errors["kind"] = ["Choose the kind of flag"]
    if not description.strip():
        errors["description"] = ["Describe the concern"]
    if kind == FlagKind.SAFEGUARDING:
        if not escalated_to.strip():
            errors["escalated_to"] = ["Say who in children's social care you told"]
        if escalated_on is None:
            errors["escalated_on"] = ["Enter the date you told children's social care"]
        elif escalated_on > timezone.localdate():
            errors["escalated_on"] = ["The date you told them must be today or earlier"]
    return errors


@transaction.atomic
def flag_raise(
    *,
    case: Case,
    kind: str,
    description: str,
    by: Any,
    escalated_to: str = "",
    escalated_on: date | None = None,
    escalation_reference: str = "",
) -> Flag:
    """Raise a flag. A safeguarding concern must say who in children's social care was told."""
    if not _may_flag(by, case):
        raise NotAllowed
    if not Case.objects.filter(pk=case.pk, status__in=OPEN_STATUSES).exists():
        raise ValidationError("This case is closed. Reopen it before raising a flag.")
    errors = _flag_problems(kind, description, escalated_to, escalated_on)
    if errors:
        raise ValidationError(errors)
    flag = Flag(
        case=case,
        kind=kind,
        description=description.strip(),
        raised_by=by,
        raised_at=timezone.now(),
        escalated_to=escalated_to.strip(),
        escalated_on=escalated_on,
        escalation_reference=escalation_reference.strip(),
    )
    flag.full_clean()
    flag.save()
    case_event_add(
        case=case,
        kind=CaseEventKind.FLAG,
        by=by,
        at=flag.raised_at,
        text=f"{flag.get_kind_display()}: {flag.description}",
    )
    audit_record(
        actor=by,
        verb=Verb.FLAG_RAISED,
        subject=flag,
        child_id=case.child_id,
        details={"kind": kind},
    )
    if kind == FlagKind.SAFEGUARDING:
        notify_safeguarding_concern(case=case)
    return flag


@transaction.atomic
def flag_resolve(*, flag: Flag, by: Any, resolution: str) -> Flag:
    flag = Flag.objects.select_for_update().select_related("case").get(pk=flag.pk)
    if not _may_flag(by, flag.case):
        raise NotAllowed
    if flag.resolved_at is not None:
        raise ValidationError("This flag is already resolved.")
    if not resolution.strip():
        raise ValidationError({"resolution": ["Say why the flag can be resolved"]})
    flag.resolved_by, flag.resolved_at, flag.resolution = by, timezone.now(), resolution.strip()
    flag.save(update_fields=["resolved_by", "resolved_at", "resolution"])
    case_event_add(
        case=flag.case,
        kind=CaseEventKind.FLAG_RESOLVED,
        by=by,
        at=flag.resolved_at,
        text=f"{flag.get_kind_display()} resolved: {flag.resolution}",
    )
    audit_record(
        actor=by,
        verb=Verb.FLAG_RESOLVED,
        subject=flag,
        child_id=flag.case.child_id,
        details={"resolved": True},
    )
    return flag
