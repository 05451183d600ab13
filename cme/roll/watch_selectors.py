"""Reading the watch list, with each pupil's clocks worked out for today, and the schools
whose attendance return is late. Scoped and audited in one step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from cme.accounts.models import Role
from cme.accounts.permissions import is_staff_user
from cme.audit.models import Verb
from cme.audit.services import audit_record_many
from cme.calendars.selectors import school_calendar
from cme.core.errors import NotAllowed
from cme.rules import RulesError, SchoolCalendar
from cme.rules.traveller import traveller_clock
from cme.rules.watch import (
    ReturnInterval,
    WatchClock,
    WatchClocks,
    absence_clocks,
    attendance_return_interval,
    sickness_clocks,
)
from cme.schools.models import Establishment

from .models import AttendanceReturn
from .selectors import is_cme_team
from .watch_models import WatchedPupil, WatchReason, WatchStatus


def may_read_watch_list(user: Any) -> bool:
    """The CME team reads it all; a PAEWS officer, the pupils of the schools they serve."""
    return is_cme_team(user) or (is_staff_user(user) and user.role == Role.PAEWS_OFFICER)


def _scoped(user: Any) -> QuerySet[WatchedPupil]:
    if not may_read_watch_list(user):
        raise NotAllowed
    qs = WatchedPupil.objects.filter(status=WatchStatus.WATCHING).select_related("school")
    if is_cme_team(user):
        return qs
    return qs.filter(school__paews_officer=user)


@dataclass(frozen=True)
class WatchRow:
    watched: WatchedPupil
    clocks: WatchClocks | None
    # Why the clocks could not be counted (no term dates for those days), else "".
    problem: str
    today: date

    @property
    def next_clock(self) -> Any:
        return self.clocks.next_clock(self.today) if self.clocks else None

    @property
    def reached(self) -> Any:
        return self.clocks.reached(self.today) if self.clocks else ()


def clocks_for(
    watched: WatchedPupil, *, calendar: SchoolCalendar, today: date
) -> tuple[WatchClocks | None, str]:
    if watched.first_day_absent is None:
        return None, ""
    if watched.reason == WatchReason.TRAVELLER:
        return _traveller_clocks(watched, left_on=watched.first_day_absent, today=today), ""
    try:
        if watched.reason == WatchReason.SICKNESS:
            return sickness_clocks(
                calendar=calendar, absent_from=watched.first_day_absent, today=today
            ), ""
        return absence_clocks(
            calendar=calendar, first_day_absent=watched.first_day_absent, today=today
        ), ""
    except RulesError as error:
        return None, f"The clocks cannot be counted: {error}."


def _traveller_clocks(watched: WatchedPupil, *, left_on: date, today: date) -> WatchClocks:
    """The traveller's one clock: when the CME1 checklist starts (calendar days, FAQ 7)."""
    now = traveller_clock(left_on=left_on, return_date=watched.return_date, today=today)
    started = traveller_clock(left_on=left_on, return_date=watched.return_date, today=now.cme1_from)
    title = (
        "After the return date: the CME1 checklist"
        if watched.return_date
        else "Four weeks away with no return date: the CME1 checklist"
    )
    clock = WatchClock(
        day=(now.cme1_from - left_on).days,
        due=now.cme1_from,
        title=title,
        rule=started.rule,
        citation=now.citation,
    )
    return WatchClocks(left_on, None, (clock,))


def watch_list(*, user: Any, today: date, limit: int = 200) -> list[WatchRow]:
    """The pupils watched, the longest absent first; each one shown is audited."""
    rows = list(_scoped(user).order_by("first_day_absent", "pk")[:limit])
    calendars: dict[int, SchoolCalendar] = {}
    shown = []
    for watched in rows:
        try:
            calendar = calendars.setdefault(watched.school_id, school_calendar(watched.school_id))
        except RulesError as error:
            shown.append(WatchRow(watched, None, f"No term dates: {error}.", today))
            continue
        clocks, problem = clocks_for(watched, calendar=calendar, today=today)
        shown.append(WatchRow(watched, clocks, problem, today))
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="watchedpupil",
        rows=[(r.pk, r.child_id) for r in rows],
    )
    return shown


@dataclass(frozen=True)
class LateSchool:
    school: Establishment
    interval: ReturnInterval


def attendance_returns_late(*, user: Any, today: date) -> list[LateSchool]:
    """The council's open schools whose last attendance return is older than the agreed
    interval (CME_ATTENDANCE_RETURN_INTERVAL_DAYS), or that never made one."""
    if not may_read_watch_list(user):
        raise NotAllowed
    schools = Establishment.objects.filter(
        la_code=settings.CME_LA_CODE, status__istartswith="open"
    ).order_by("name")
    if not is_cme_team(user):
        schools = schools.filter(paews_officer=user)
    last = dict(
        AttendanceReturn.objects.filter(school__in=schools)
        .values("school")
        .annotate(last=Max("received_at"))
        .values_list("school", "last")
    )
    late = []
    for school in schools:
        made = last.get(school.pk)
        interval = attendance_return_interval(
            last_made_on=timezone.localdate(made) if made else None,
            today=today,
            interval_days=settings.CME_ATTENDANCE_RETURN_INTERVAL_DAYS,
        )
        if interval.overdue:
            late.append(LateSchool(school, interval))
    return late


def new_pupil_matches(*, user: Any) -> list[Any]:
    """The matches waiting for the officer, newest return first; each child shown audited."""
    from .watch_models import MatchDecision, NewPupilMatch

    if not is_cme_team(user):
        raise NotAllowed
    rows = list(
        NewPupilMatch.objects.filter(decision=MatchDecision.PENDING)
        .select_related("new_pupil_return__school", "case__child", "watched__school")
        .order_by("-new_pupil_return__received_at", "-probability", "pk")[:200]
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="newpupilmatch",
        rows=[(m.pk, m.child_id) for m in rows],
    )
    return rows
