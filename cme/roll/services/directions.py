"""Reinstatement directions: a deletion assessed unlawful is answered at once with a letter
to the school (the reasons and the regulation), the pupil is watched as at risk, and the
officer's queue holds the direction until the school confirms the pupil is back on roll
(docs/roll.md, "Reinstatement directions").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.record_access import SchoolLetterAct
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.rules import ground_for_reference

from ..direction_models import DirectionStatus, ReinstatementDirection
from ..letters_access import letter_acts
from ..models import ActionStatus, DeletionReturn
from ..watch import watch_from_direction, watch_stopped
from ..watch_models import WatchStatus


def direction_issue(
    *, record: DeletionReturn, first_day_absent: date | None
) -> ReinstatementDirection:
    """Direct the school to reinstate the pupil its deletion return removed unlawfully.
    Called inside the deletion return's transaction: the return, its direction and the watch
    are kept together or not at all."""
    ground = ground_for_reference(record.ground)
    watched = watch_from_direction(record, first_day=first_day_absent)
    direction = ReinstatementDirection(
        deletion_return=record,
        school=record.school,
        child=record.child,
        issued_at=timezone.now(),
        regulation=ground.citation,
        reasons=record.reasons,
        watched=watched,
    )
    direction.full_clean()
    direction.save()
    audit_record(
        actor=record.sent_by,
        verb=Verb.CREATE,
        subject=direction,
        child_id=record.child_id,
        details={"reinstatement_direction": True, "deletion_return": record.pk},
    )
    return direction


def _confirm_problems(
    direction: ReinstatementDirection, reinstated_on: date | None
) -> dict[str, list[str]]:
    if reinstated_on is None:
        return {"reinstated_on": ["Enter the date the pupil was put back on your roll"]}
    deleted_on = direction.deletion_return.deleted_on
    if reinstated_on > timezone.localdate():
        return {
            "reinstated_on": ["The date the pupil was put back on roll must be today or earlier"]
        }
    if reinstated_on < deleted_on:
        return {
            "reinstated_on": [
                "The pupil cannot be put back on roll before they were deleted "
                f"({deleted_on:%-d %B %Y})"
            ]
        }
    return {}


@transaction.atomic
def reinstatement_confirm(
    *,
    direction: ReinstatementDirection,
    by: Any,
    reinstated_on: date | None,
    channel: str,
    note: str = "",
) -> ReinstatementDirection:
    """The school says the pupil is back on its admission register: the direction leaves the
    officer's queue, the watch ends, and the deletion return's action is done."""
    locked = (
        # Only the direction's own row is locked: PostgreSQL refuses FOR UPDATE over the
        # nullable side of the outer join that `watched` needs.
        ReinstatementDirection.objects.select_for_update(of=("self",))
        .select_related("deletion_return", "school", "watched")
        .get(pk=direction.pk)
    )
    if SchoolLetterAct.ANSWER not in letter_acts(by, locked.school):
        raise NotAllowed
    if not locked.awaiting:
        raise ValidationError(
            f"This direction is already closed: {locked.get_status_display().lower()}."
        )
    problems = _confirm_problems(locked, reinstated_on)
    if problems or reinstated_on is None:
        raise ValidationError(problems)
    now = timezone.now()
    locked.status = DirectionStatus.REINSTATED
    locked.reinstated_on = reinstated_on
    locked.confirmed_by = by
    locked.confirmed_at = now
    locked.confirmed_via = channel
    locked.note = note.strip()
    locked.full_clean()
    locked.save()
    back = f"Back on roll at {locked.school.name} from {reinstated_on:%-d %B %Y} (reinstated)."
    if locked.watched is not None and locked.watched.status == WatchStatus.WATCHING:
        watch_stopped(locked.watched, by=by, reason=back)
    record = DeletionReturn.objects.select_for_update().get(pk=locked.deletion_return_id)
    if record.action_status != ActionStatus.DONE:
        record.action_status = ActionStatus.DONE
        record.action_done_by = by
        record.action_done_at = now
        record.action_note = back
        record.save(
            update_fields=["action_status", "action_done_by", "action_done_at", "action_note"]
        )
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=locked,
        child_id=locked.child_id,
        details={"status": locked.status, "channel": channel},
    )
    return locked
