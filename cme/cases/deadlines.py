"""Every due date on a case, from cme.rules, counted in the school's own calendar.

A case's work items: the statutory and policy clocks that apply to it, the key worker's
update interval, and its action plan's actions. Each item names the rule behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def update_rule(school_days: int) -> str:
    """The key worker's update rule in words: the interval the council set, never the name
    of the setting that holds it."""
    return (
        "Liverpool CME policy, FAQ 1: the key worker keeps the CME officer regularly updated "
        f"(the council asks for an update at least every {school_days} school "
        f"day{'' if school_days == 1 else 's'})"
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


@dataclass(frozen=True)
class Clock:
    """A due date as the facts set it, before any day's urgency: what cme.cases.due stores.

    `soon_on` is the first day it counts as due soon (SchoolCalendar.due_soon_from), so a
    queue can tell overdue from due soon by comparing dates.
    """

    what: str
    due: date | None
    rule: str
    soon_on: date | None
    problem: str = ""

    def urgency(self, today: date) -> Urgency:
        if self.due is None:
            return Urgency.UNKNOWN
        if self.due < today:
            return Urgency.OVERDUE
        if self.soon_on is None or self.soon_on <= today:
            return Urgency.DUE_SOON
        return Urgency.LATER


def _soon_on(due: date, calendar: SchoolCalendar | None) -> date | None:
    # None (always due soon) when there is no calendar to count in, as before storing.
    if calendar is None:
        return None
    try:
        return calendar.due_soon_from(due, settings.CME_DUE_SOON_SCHOOL_DAYS)
    except RulesError:
        return None


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
        update_rule(settings.CME_STALE_AFTER_SCHOOL_DAYS),
    )


def case_clocks(
    case: Case, calendar_for: Callable[[int | None], SchoolCalendar] = school_calendar
) -> list[Clock]:
    """The open case's clocks and open actions, soonest first; none for a closed case.
    Independent of today, so they can be stored when the facts change (cme.cases.due)."""
    # The status, not `is_open`: a data migration passes its historical model, which has
    # no methods.
    if case.status == CaseStatus.CLOSED:
        return []
    clocks: list[Clock] = []
    calendar: SchoolCalendar | None
    try:
        calendar = calendar_for(case.school_id)
        for what, due, rule in _clocks(case, calendar):
            clocks.append(Clock(what, due, rule, _soon_on(due, calendar)))
    except RulesError as error:
        calendar = None
        clocks.append(Clock("School-day deadlines", None, "", None, problem=str(error)))
    plan = getattr(case, "plan", None)
    for action in plan.actions.all() if plan else []:
        if action.done_on is None:
            clocks.append(
                Clock(
                    f"Action: {action.title}",
                    action.due_on,
                    "The child's action plan",
                    _soon_on(action.due_on, calendar),
                )
            )
    return sorted(clocks, key=lambda c: (c.due is None, c.due or date.min, c.what))


def case_work_items(case: Case, *, today: date) -> list[WorkItem]:
    """The open case's clocks and open actions, soonest first, as they stand today."""
    return [
        WorkItem(case.pk, c.what, c.due, c.rule, c.urgency(today), c.problem)
        for c in case_clocks(case)
    ]
