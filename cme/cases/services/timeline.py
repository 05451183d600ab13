"""The one writer of a case's timeline, for every app that acts on a case.

Every act on a case adds one entry here, beside the one audit event its own service writes.
The entry also keeps the case's `updated_at` current, and records the key worker's update
when the act is one and the key worker did it: that date, not the last change of any kind,
is what the "next update" clock counts from (cme.cases.deadlines).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import due
from ..models import Case, CaseEvent, CaseStatus, SharedWith


def case_event_add(
    *,
    case: Case,
    kind: str,
    by: Any,
    text: str = "",
    at: datetime | None = None,
    from_status: CaseStatus | str = "",
    to_status: CaseStatus | str = "",
    key_worker_update: bool = False,
    shared_with: SharedWith | str = SharedWith.CME_TEAM,
) -> CaseEvent:
    """Add an entry to the case's timeline.

    `key_worker_update` marks an act that counts as the key worker keeping the CME officer
    updated (a note, work on the action plan); it moves the key worker's clock only when
    `by` is the case's named key worker.
    """
    at = at or timezone.now()
    entry = CaseEvent(
        case=case,
        kind=kind,
        by=by,
        at=at,
        text=text,
        from_status=from_status,
        to_status=to_status,
        shared_with=shared_with,
    )
    # Checked before anything is written, so a refusal leaves the caller's transaction usable.
    entry.full_clean(exclude=["case", "by"])
    changes: dict[str, Any] = {"updated_at": timezone.now()}
    by_id = getattr(by, "pk", None)
    if key_worker_update and by_id is not None and by_id == case.key_worker_id:
        day = timezone.localdate(at)
        if case.last_key_worker_update_on is None or day > case.last_key_worker_update_on:
            changes["last_key_worker_update_on"] = day
    # Inside the caller's transaction (no savepoint of its own: this is one step of its act).
    with transaction.atomic(savepoint=False):
        entry.save()
        Case.objects.filter(pk=case.pk).update(**changes)
        if "last_key_worker_update_on" in changes:
            due.refresh(case.pk)
    for name, value in changes.items():
        setattr(case, name, value)
    return entry
