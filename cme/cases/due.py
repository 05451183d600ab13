"""Stored due dates: every service that changes a fact a deadline counts from calls
`refresh(case)` in its own transaction, so the home page and the work queues read dates
(cme.cases.models.DueItem) instead of working out every case's clocks on every view.

The facts are the case's status, opening day, school (whose calendar counts the days), the
clock starts, the key worker's last update and the action plan's open actions; the LA's term
dates and the schools' closures change every case's dates (`refresh_all`, queued when they
change: cme.cases.apps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django_tasks import task

from cme.calendars.selectors import school_calendar
from cme.rules import RulesError, SchoolCalendar

from .deadlines import case_clocks
from .models import OPEN_STATUSES, Case, DueItem

# Cases worked out per batch in refresh_all: bounds memory, not correctness.
BATCH = 500


def _calendars() -> Callable[[int | None], SchoolCalendar]:
    """school_calendar, read once per school for a batch of cases (a refusal kept too)."""
    known: dict[int | None, SchoolCalendar | RulesError] = {}

    def calendar_for(school_id: int | None) -> SchoolCalendar:
        if school_id not in known:
            try:
                known[school_id] = school_calendar(school_id)
            except RulesError as error:
                known[school_id] = error
        found = known[school_id]
        if isinstance(found, RulesError):
            raise found
        return found

    return calendar_for


def _rows(case: Any, item: Any, calendar_for: Callable[[int | None], SchoolCalendar]) -> list[Any]:
    return [
        item(
            case_id=case.pk,
            what=clock.what[:250],
            rule=clock.rule,
            due_on=clock.due,
            soon_on=clock.soon_on,
            problem=clock.problem,
        )
        for clock in case_clocks(case, calendar_for)
    ]


def refresh(case: Case | int) -> None:
    """Store the case's due dates as its facts now stand (none once it is closed)."""
    refresh_many([case.pk if isinstance(case, Case) else case])


def refresh_many(case_ids: Iterable[int], *, case_model: Any = Case, item: Any = DueItem) -> None:
    """`refresh` for several cases at once. A data migration passes its historical models."""
    ids = sorted(set(case_ids))
    # Read again, not taken from the caller: a service's in-memory case may hold F()
    # expressions or miss the plan action it has just changed.
    cases = (
        case_model.objects.filter(pk__in=ids)
        .select_related("plan")
        .prefetch_related("plan__actions")
        .order_by("pk")
    )
    with transaction.atomic(savepoint=False):
        item.objects.filter(case_id__in=ids).delete()
        calendar_for = _calendars()
        item.objects.bulk_create([row for case in cases for row in _rows(case, item, calendar_for)])


def refresh_all(*, case_model: Any = Case, item: Any = DueItem) -> int:
    """Work out every open case's dates again (after the calendar changed, or to backfill);
    returns how many cases it worked out. Closed cases' rows go."""
    with transaction.atomic():
        item.objects.exclude(case__status__in=OPEN_STATUSES).delete()
        ids = list(
            case_model.objects.filter(status__in=OPEN_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), BATCH):
            refresh_many(ids[start : start + BATCH], case_model=case_model, item=item)
    return len(ids)


@task()
def refresh_all_task() -> int:
    return refresh_all()


def refresh_all_later(**_: Any) -> None:
    """Queue `refresh_all` once the calendar change that called it is committed: once, however
    many rows the change wrote (an import of term dates saves one row at a time)."""
    # The callbacks waiting for this transaction's commit (emptied if it rolls back).
    waiting = transaction.get_connection().run_on_commit
    if any(callback is _enqueue for _, callback, *_ in waiting):
        return
    transaction.on_commit(_enqueue)


def _enqueue() -> None:
    refresh_all_task.enqueue()
