"""Reading returns: scoped to the user and audited in one step.

A school's staff read the returns their own school sent; the CME team reads every return and
works the queue; nobody else reads them (NotAllowed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cme.accounts.models import Role
from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user
from cme.audit.models import Verb
from cme.audit.services import audit_record_many
from cme.core.errors import NotAllowed
from cme.schools.models import Establishment

from .models import (
    ActionStatus,
    AttendancePupil,
    AttendanceReturn,
    DeletionReturn,
    NewPupilReturn,
    SicknessReturn,
)

PUPIL_RETURNS: dict[str, Any] = {
    "new_pupil": NewPupilReturn,
    "deletion": DeletionReturn,
    "attendance": AttendancePupil,
    "sickness": SicknessReturn,
}


def is_cme_team(user: Any) -> bool:
    return is_staff_user(user) and user.role in WHOLE_REGISTER


def own_school(user: Any) -> Establishment | None:
    """The school whose staff this user is, or None."""
    if not is_staff_user(user) or user.role != Role.SCHOOL_STAFF or user.organisation is None:
        return None
    return user.organisation.establishment


def may_make_returns(user: Any) -> bool:
    return own_school(user) is not None


def _scoped(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    if is_cme_team(user):
        return qs
    school = own_school(user)
    if school is None:
        raise NotAllowed
    return qs.filter(school=school)


def returns_sent(*, user: Any, kind: str) -> QuerySet[Any]:
    """The returns of one kind this user may read, newest first (not yet audited: see
    `audit_listed`, called on the rows actually shown)."""
    if kind == "attendance_return":
        return _scoped(
            user, AttendanceReturn.objects.prefetch_related("pupils").select_related("school")
        )
    if kind == "deletion":
        # A deletion's reinstatement direction, if it has one, is shown beside it.
        return _scoped(user, DeletionReturn.objects.select_related("school", "direction"))
    return _scoped(user, PUPIL_RETURNS[kind].objects.select_related("school"))


def audit_listed(*, user: Any, kind: str, rows: list[Any]) -> None:
    """One LIST event per pupil shown."""
    if kind == "attendance_return":
        shown = [(p.pk, p.child_id) for r in rows for p in r.pupils.all()]
        subject = "attendancepupil"
    else:
        shown = [(r.pk, r.child_id) for r in rows]
        subject = PUPIL_RETURNS[kind]._meta.model_name
    audit_record_many(actor=user, verb=Verb.LIST, subject_type=subject, rows=shown)


@dataclass(frozen=True)
class QueueItem:
    kind: str
    label: str
    record: Any


LABELS = {
    "new_pupil": "New pupil return",
    "deletion": "Deletion return",
    "attendance": "Attendance return",
    "sickness": "Sickness return",
}


def roll_queue(*, user: Any, limit: int = 50) -> list[QueueItem]:
    """The returns waiting for the CME team, oldest first; the children named are audited."""
    if not is_cme_team(user):
        raise NotAllowed
    items: list[QueueItem] = []
    for kind, model in PUPIL_RETURNS.items():
        waiting = model.objects.filter(action_status=ActionStatus.TO_DO).select_related("school")
        items += [QueueItem(kind, LABELS[kind], r) for r in waiting.order_by("received_at")[:limit]]
    items.sort(key=lambda item: (item.record.received_at, item.kind, item.record.pk))
    items = items[:limit]
    for kind, model in PUPIL_RETURNS.items():
        rows = [(i.record.pk, i.record.child_id) for i in items if i.kind == kind]
        audit_record_many(
            actor=user, verb=Verb.LIST, subject_type=model._meta.model_name, rows=rows
        )
    return items


def upload_schools(user: Any) -> list[Establishment]:
    """The schools whose returns this user may upload as a CSV: a school's staff, their own;
    a PAEWS officer (the attendance officer of the schools they serve), those schools."""
    school = own_school(user)
    if school is not None:
        return [school]
    if is_staff_user(user) and user.role == Role.PAEWS_OFFICER:
        return list(Establishment.objects.filter(paews_officer=user).order_by("name"))
    return []


def school_returns_page(*, user: Any, limit: int = 20) -> dict[str, list[Any]]:
    """What the user's school has sent, newest first, by kind; the pupils shown are audited."""
    if own_school(user) is None:
        raise NotAllowed
    shown: dict[str, list[Any]] = {}
    for kind in ("new_pupil", "deletion", "attendance_return", "sickness"):
        rows = list(returns_sent(user=user, kind=kind).order_by("-received_at", "-id")[:limit])
        audit_listed(user=user, kind=kind, rows=rows)
        shown[kind] = rows
    from .direction_models import RollNotice

    notices = list(RollNotice.objects.filter(school=own_school(user))[:limit])
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="rollnotice",
        rows=[(n.pk, n.child_id) for n in notices],
    )
    shown["notices"] = notices
    return shown
