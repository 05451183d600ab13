"""Reading transfer duties: scoped to the user and audited in one step.

Who sees them: the CME team all of them; a school's staff the duties of their own school as
the school the pupil left; nobody else (403 for the pages, 404 for a duty outside scope).
The scope is built from `cme.accounts.permissions` here, in one place, so the field-level
access model can replace it without touching the views.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cme.accounts.models import Role
from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.core.errors import NotAllowed
from cme.schools.models import Establishment

from .models import OPEN_TRANSFER_STATUSES, Transfer, TransferStatus


def is_cme_team(user: Any) -> bool:
    return is_staff_user(user) and user.role in WHOLE_REGISTER


def _own_school_id(user: Any) -> int | None:
    if not is_staff_user(user) or user.role != Role.SCHOOL_STAFF or user.organisation is None:
        return None
    return user.organisation.establishment_id


def may_act_for_school(user: Any, establishment_id: int) -> bool:
    own = _own_school_id(user)
    return own is not None and own == establishment_id


def may_see_transfers(user: Any) -> bool:
    return is_cme_team(user) or _own_school_id(user) is not None


def transfer_scope(user: Any) -> Q:
    if is_cme_team(user):
        return Q()
    own = _own_school_id(user)
    return Q(from_school_id=own) if own is not None else Q(pk__in=[])


def _visible(user: Any) -> QuerySet[Transfer]:
    if not may_see_transfers(user):
        raise NotAllowed
    return Transfer.objects.filter(transfer_scope(user)).select_related(
        "child", "from_school", "case", "file"
    )


def transfer_get(*, user: Any, transfer_id: int) -> Transfer:
    transfer = _visible(user).filter(pk=transfer_id).first()
    if transfer is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=transfer, child_id=transfer.child_id)
    return transfer


@dataclass
class SchoolTransfers:
    school: Establishment
    overdue: list[Transfer] = field(default_factory=list)
    due: list[Transfer] = field(default_factory=list)
    sent: list[Transfer] = field(default_factory=list)


def transfers_by_school(*, user: Any, today: date) -> list[SchoolTransfers]:
    """Open duties grouped by the school that owes them, schools with most overdue first."""
    rows = list(_visible(user).filter(status__in=OPEN_TRANSFER_STATUSES).order_by("due_on", "id"))
    groups: dict[int, SchoolTransfers] = defaultdict(lambda: SchoolTransfers(school=None))  # type: ignore[arg-type]
    for transfer in rows:
        group = groups[transfer.from_school_id]
        group.school = transfer.from_school
        if transfer.status == TransferStatus.SENT:
            group.sent.append(transfer)
        elif transfer.is_overdue(today):
            group.overdue.append(transfer)
        else:
            group.due.append(transfer)
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="transfer",
        rows=[(t.pk, t.child_id) for t in rows],
    )
    return sorted(groups.values(), key=lambda g: (-len(g.overdue), g.school.name))


def transfers_closed(*, user: Any, limit: int = 50) -> list[Transfer]:
    rows = list(
        _visible(user)
        .exclude(status__in=OPEN_TRANSFER_STATUSES)
        .order_by("-confirmed_at", "-id")[:limit]
    )
    audit_record_many(
        actor=user, verb=Verb.LIST, subject_type="transfer", rows=[(t.pk, t.child_id) for t in rows]
    )
    return rows


def case_transfers(*, case: Any) -> list[Transfer]:
    """A case's duties, for a page that has already read (and audited) the case."""
    return list(Transfer.objects.filter(case=case).select_related("from_school"))
