"""Reading reinstatement directions: scoped by the school-letter decision
(`cme.roll.letters_access`) and audited in the same step."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from cme.accounts.record_access import SchoolLetterAct
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.core.errors import NotAllowed

from .direction_models import DirectionStatus, ReinstatementDirection
from .letters_access import letter_acts, may_work_letters

RECENT = 20
LIMIT = 200


def direction_get(*, user: Any, direction_id: int) -> tuple[ReinstatementDirection, frozenset[Any]]:
    """The direction and what this user may do with it; 404 for one they may not read,
    exactly as for one that does not exist. The read is audited."""
    direction = (
        ReinstatementDirection.objects.select_related("deletion_return", "school", "confirmed_by")
        .filter(pk=direction_id)
        .first()
    )
    if direction is None:
        raise Http404
    acts = letter_acts(user, direction.school)
    if SchoolLetterAct.READ not in acts:
        raise Http404
    audit_record(
        actor=user,
        verb=Verb.VIEW,
        subject=direction,
        child_id=direction.child_id,
        details={"reinstatement_direction": True},
    )
    return direction, acts


def directions_queue(*, user: Any) -> dict[str, list[ReinstatementDirection]]:
    """The officer's queue: every direction awaiting the school's confirmation, oldest first,
    and the latest closed ones. Each pupil shown is audited."""
    if not may_work_letters(user):
        raise NotAllowed
    base = ReinstatementDirection.objects.select_related("deletion_return", "school")
    awaiting = list(
        base.filter(status=DirectionStatus.AWAITING).order_by("issued_at", "pk")[:LIMIT]
    )
    closed = list(
        base.exclude(status=DirectionStatus.AWAITING).order_by("-confirmed_at", "-pk")[:RECENT]
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="reinstatementdirection",
        rows=[(d.pk, d.child_id) for d in awaiting + closed],
    )
    return {"awaiting": awaiting, "closed": closed}
