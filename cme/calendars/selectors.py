"""The school-day calendars the deadlines count in: the LA's, and each school's own."""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache

from cme.rules import CalendarError, SchoolCalendar
from cme.rules.csv_cells import SafeCsvWriter

from .models import Closure, TermDates

Span = tuple[str, date, date]


def _rows() -> tuple[tuple[Span, ...], tuple[tuple[date, date], ...]]:
    # The rows themselves are the cache key: a few dozen, cheap to read on every call, and
    # any edit (not only an added or removed row) gives a different key.
    terms = tuple(
        TermDates.objects.order_by("first_day", "kind").values_list("kind", "first_day", "last_day")
    )
    closures = tuple(
        Closure.objects.filter(establishment__isnull=True)
        .order_by("first_day")
        .values_list("first_day", "last_day")
    )
    return terms, closures


@lru_cache(maxsize=4)
def _la_calendar(
    terms: tuple[Span, ...], closures: tuple[tuple[date, date], ...]
) -> SchoolCalendar:
    if not terms:
        raise CalendarError("No term dates are loaded: run `cme import-term-dates FILE`")
    # The rules engine's own loader takes the half terms out of the terms, one way for all.
    text = io.StringIO()
    writer = SafeCsvWriter(text)
    writer.writerow(["kind", "first_day", "last_day"])
    writer.writerows(terms)
    text.seek(0)
    return SchoolCalendar.from_csv(text, closures=list(closures))


def la_calendar() -> SchoolCalendar:
    return _la_calendar(*_rows())


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
