"""The retention job: a child's record is removed once the council's retention period ends.

DESIGN.md section 6: retention periods are configurable, per category (cme/rules/retention.py:
by default 25 years from birth, 31 for a child who has ever had an EHC plan, 75 for one ever
looked after; the longest that applies), with a deletion job. A child with an open case is kept
whatever their age; a child with no date of birth is never removed automatically (it is
counted for a person to review). The audit trail outlives the record: its events keep the
child's number, and the removal itself is one more event, with no personal data in it. The job
audits itself too: each run (a dry run included) is one event with its counts and the schedule
it applied, written even when a removal fails part-way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES
from cme.people.models import Child
from cme.rules.age import latest_date_of_birth
from cme.rules.retention import RetentionSchedule, retention_schedule

from .registry import child_record_parts

# Each category but the default, and the Child field that says the child is in it.
_CATEGORY_FIELD = {"ehcp": "ever_ehcp", "looked_after": "ever_looked_after"}


def current_schedule() -> RetentionSchedule:
    """The schedule the settings give (checked at start-up by cme/records/checks.py)."""
    return retention_schedule(settings)


@dataclass(frozen=True)
class RetentionResult:
    removed: int
    no_date_of_birth: int
    by_category: dict[str, int] = field(default_factory=dict)


def _period_ended(schedule: RetentionSchedule, today: date) -> Q:
    """Children whose period has ended: in each category they are in, born on or before the
    day that ends it; in none, the default's."""
    born_by = {
        key: latest_date_of_birth(age=years, on=today) for key, years in schedule.years.items()
    }
    in_any = Q()
    ended = Q()
    for key, name in _CATEGORY_FIELD.items():
        in_it = Q(**{name: True})
        in_any |= in_it
        ended &= ~in_it | Q(date_of_birth__lte=born_by[key])
    return ended & (in_any | Q(date_of_birth__lte=born_by["default"]))


def retention_due(*, today: date, schedule: RetentionSchedule | None = None) -> QuerySet[Child]:
    """Children whose retention period has ended and who have no open case."""
    schedule = schedule or current_schedule()
    return (
        Child.objects.filter(date_of_birth__isnull=False)
        .filter(_period_ended(schedule, today))
        .exclude(cases__status__in=OPEN_STATUSES)
    )


@transaction.atomic
def _remove(child: Child, by: Any, category: str, years: int) -> None:
    """Every app's rows about the child (each app's `records.py`), referrers first."""
    child_id = child.pk
    for part in child_record_parts():
        part.remove(child)
    audit_record(
        actor=by,
        verb=Verb.REMOVE,
        subject_type="child",
        child_id=child_id,
        details={"rule": f"retained {years} years from birth", "category": category},
    )


def retention_apply(*, today: date, by: Any = None, dry_run: bool = False) -> RetentionResult:
    """Remove every child whose retention period has ended, one transaction each, and record
    the run in the audit trail."""
    schedule = current_schedule()
    due = list(retention_due(today=today, schedule=schedule).values_list("pk", flat=True))
    by_category: Counter[str] = Counter()
    done = 0
    finished = False
    try:
        for child in Child.objects.filter(pk__in=due).iterator():
            category, years = schedule.period_for(
                ehcp=child.ever_ehcp, looked_after=child.ever_looked_after
            )
            by_category[category] += 1
            if not dry_run:
                _remove(child, by, category, years)
                done += 1
        finished = True
    finally:
        audit_record(
            actor=by,
            verb=Verb.RETENTION_RUN,
            subject_type="retention",
            details={
                "on": today.isoformat(),
                "dry_run": dry_run,
                "finished": finished,
                "due": len(due),
                "removed": done,
                "by_category": dict(by_category),
                "years": dict(schedule.years),
            },
        )
    return RetentionResult(
        removed=len(due),
        no_date_of_birth=Child.objects.filter(date_of_birth__isnull=True).count(),
        by_category=dict(by_category),
    )
