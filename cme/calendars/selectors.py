"""The school-day calendars the deadlines count in: the LA's, and each school's own."""

from __future__ import annotations

import csv
import io
from functools import lru_cache

from cme.rules import CalendarError, SchoolCalendar

from .models import Closure, TermDates


def _stamp() -> tuple[int, int]:
    # Cheap to read on every call; changes whenever term dates or closures are added or removed.
    return (TermDates.objects.count(), Closure.objects.count())


@lru_cache(maxsize=1)
def _la_calendar(stamp: tuple[int, int]) -> SchoolCalendar:
    rows = list(TermDates.objects.values_list("kind", "first_day", "last_day"))
    if not rows:
        raise CalendarError("No term dates are loaded: run `cme import-term-dates FILE`")
    # The rules engine's own loader takes the half terms out of the terms, one way for all.
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["kind", "first_day", "last_day"])
    writer.writerows(rows)
    text.seek(0)
    closures = Closure.objects.filter(establishment__isnull=True).values_list(
        "first_day", "last_day"
    )
    return SchoolCalendar.from_csv(text, closures=list(closures))


def la_calendar() -> SchoolCalendar:
    return _la_calendar(_stamp())


def forget_calendars() -> None:
    _la_calendar.cache_clear()


def school_calendar(establishment_id: int | None) -> SchoolCalendar:
    """The LA's calendar plus the school's own closures (the LA's alone when no school)."""
    calendar = la_calendar()
    if establishment_id is None:
        return calendar
    own = list(
        Closure.objects.filter(establishment_id=establishment_id).values_list(
            "first_day", "last_day"
        )
    )
    return calendar.with_closures(own) if own else calendar
