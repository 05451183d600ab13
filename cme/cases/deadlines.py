"""Every due date on a case, from cme.rules, counted in the school's own calendar.

A case's work items: the statutory and policy clocks that apply to it, the key worker's
update interval, and its action plan's actions. Each item names the rule behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.conf import settings

from cme.calendars.selectors import school_calendar
from cme.rules import (
    RulesError,
    SchoolCalendar,
    continuous_absence_trigger,
    ctf_due_after_leaving,
    policy_enquiries_complete,
)

from .models import Case, CaseStatus

UPDATE_RULE = (
    "Liverpool CME policy, FAQ 1: the key worker keeps the CME officer regularly updated "
    "(interval set by the council: CME_STALE_AFTER_SCHOOL_DAYS)"
)


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"
    UNKNOWN = "unknown"  # the calendar does not cover it yet


@dataclass(frozen=True)
class WorkItem:
    case_id: int
    what: str
    due: date | None
    rule: str
    urgency: Urgency
    problem: str = ""


def _urgency(due: date, today: date, calendar: SchoolCalendar | None) -> Urgency:
    if due < today:
        return Urgency.OVERDUE
    try:
        soon = (
            calendar.add_school_days(today, settings.CME_DUE_SOON_SCHOOL_DAYS) if calendar else None
        )
    except RulesError:
        soon = None
    if soon is None or due <= soon:
        return Urgency.DUE_SOON
    return Urgency.LATER


def _clocks(case: Case, calendar: SchoolCalendar) -> Iterable[tuple[str, date, str]]:
    if case.status in {CaseStatus.REFERRED, CaseStatus.CHECKING, CaseStatus.LOCATING}:
        enquiries = policy_enquiries_complete(enquiries_started_on=case.opened_on)
        yield "Four weeks of enquiries complete", enquiries.due, enquiries.citation
    if case.left_roll_on:
        ctf = ctf_due_after_leaving(calendar=calendar, ceased_on=case.left_roll_on)
        yield "Common Transfer File due from the last school", ctf.due, ctf.citation
    if case.first_day_absent:
        absence = continuous_absence_trigger(
            calendar=calendar, first_day_absent=case.first_day_absent
        )
        yield "20 school days of continuous absence reached", absence.due, absence.citation
    # From the key worker's last update, not the case's last change of any kind: an officer
    # running a check must not make the key worker look up to date.
    last_update = case.last_key_worker_update_on or case.opened_on
    yield (
        "Next update from the key worker",
        calendar.add_school_days(last_update, settings.CME_STALE_AFTER_SCHOOL_DAYS),
        UPDATE_RULE,
    )


def case_work_items(case: Case, *, today: date) -> list[WorkItem]:
    """The open case's clocks and open actions, soonest first."""
    if not case.is_open:
        return []
    items: list[WorkItem] = []
    try:
        calendar: SchoolCalendar | None = school_calendar(case.school_id)
        for what, due, rule in _clocks(case, calendar):  # type: ignore[arg-type]
            items.append(WorkItem(case.pk, what, due, rule, _urgency(due, today, calendar)))
    except RulesError as error:
        calendar = None
        items.append(
            WorkItem(case.pk, "School-day deadlines", None, "", Urgency.UNKNOWN, problem=str(error))
        )
    plan = getattr(case, "plan", None)
    for action in plan.actions.all() if plan else []:
        if action.done_on is None:
            items.append(
                WorkItem(
                    case.pk,
                    f"Action: {action.title}",
                    action.due_on,
                    "The child's action plan",
                    _urgency(action.due_on, today, calendar),
                )
            )
    return sorted(items, key=lambda item: (item.due is None, item.due or today))
