"""The retention job: a child's record is removed once the council's retention period ends.

DESIGN.md section 6: retention periods are configurable (by default until the child's 25th
birthday, CME_RETAIN_UNTIL_AGE) with a deletion job. A child with an open case is kept
whatever their age; a child with no date of birth is never removed automatically (it is
counted for a person to review). The audit trail outlives the record: its events keep the
child's number, and the removal itself is one more event, with no personal data in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES
from cme.people.models import Child
from cme.rules.age import latest_date_of_birth

from .registry import child_record_parts


@dataclass(frozen=True)
class RetentionResult:
    removed: int
    no_date_of_birth: int


def retention_due(*, today: date) -> QuerySet[Child]:
    """Children past the retention age with no open case."""
    return Child.objects.filter(
        date_of_birth__lte=latest_date_of_birth(age=settings.CME_RETAIN_UNTIL_AGE, on=today)
    ).exclude(cases__status__in=OPEN_STATUSES)


@transaction.atomic
def _remove(child: Child, by: Any) -> None:
    """Every app's rows about the child (each app's `records.py`), referrers first."""
    child_id = child.pk
    for part in child_record_parts():
        part.remove(child)
    audit_record(
        actor=by,
        verb=Verb.REMOVE,
        subject_type="child",
        child_id=child_id,
        details={"rule": f"retained until age {settings.CME_RETAIN_UNTIL_AGE}"},
    )


def retention_apply(*, today: date, by: Any = None, dry_run: bool = False) -> RetentionResult:
    """Remove every child whose retention period has ended, one transaction each."""
    due = list(retention_due(today=today).values_list("pk", flat=True))
    if not dry_run:
        for child in Child.objects.filter(pk__in=due).iterator():
            _remove(child, by)
    return RetentionResult(
        removed=len(due), no_date_of_birth=Child.objects.filter(date_of_birth__isnull=True).count()
    )
