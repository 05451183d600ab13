"""The officer's queue: a return waits until the officer has done what it asks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from ..models import ActionStatus, SchoolReturn


@transaction.atomic
def roll_action_done(*, record: SchoolReturn, by: Any, note: str = "") -> SchoolReturn:
    """Mark what a return asked of the council as done (the CME team only)."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    model: Any = type(record)
    locked = model.objects.select_for_update().get(pk=record.pk)
    if locked.action_status == ActionStatus.DONE:
        raise ValidationError("This return has already been dealt with.")
    locked.action_status = ActionStatus.DONE
    locked.action_done_by = by
    locked.action_done_at = timezone.now()
    locked.action_note = note.strip()
    locked.save(update_fields=["action_status", "action_done_by", "action_done_at", "action_note"])
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=locked,
        child_id=locked.child_id,
        details={"action": "done"},
    )
    return locked
