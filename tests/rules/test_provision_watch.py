"""The watch on attendance in new provision: its end in school days, and the fallbacks."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from cme.rules.calendar import SchoolCalendar
from cme.rules.errors import InvalidArgument
from cme.rules.provision_watch import watch_ends

CSV = """academic_year,term,kind,first_day,last_day
2026/27,autumn,term,2026-09-03,2026-12-18
2026/27,spring,term,2027-01-05,2027-03-26
"""


@pytest.fixture
def calendar() -> SchoolCalendar:
    return SchoolCalendar.from_csv(io.StringIO(CSV))


def test_counted_in_school_days_from_the_day_after_the_start(calendar: SchoolCalendar) -> None:
    # Monday 7 December 2026: the 1st school day after is Tuesday 8th; the 10th is Friday 18th.
    assert watch_ends(start_on=dt.date(2026, 12, 7), school_days=1, calendar=calendar).ends_on == (
        dt.date(2026, 12, 8)
    )
    ten = watch_ends(start_on=dt.date(2026, 12, 7), school_days=9, calendar=calendar)
    assert ten.ends_on == dt.date(2026, 12, 18) and ten.counting == "9 school days"


def test_the_christmas_holiday_is_not_counted(calendar: SchoolCalendar) -> None:
    # From Friday 18 December the next school day is Tuesday 5 January.
    assert watch_ends(start_on=dt.date(2026, 12, 18), school_days=1, calendar=calendar).ends_on == (
        dt.date(2027, 1, 5)
    )


def test_beyond_the_term_dates_it_counts_working_days_and_says_so(
    calendar: SchoolCalendar,
) -> None:
    end = watch_ends(start_on=dt.date(2027, 3, 22), school_days=20, calendar=calendar)
    assert "working days" in end.counting
    # 20 working days after Monday 22 March 2027, with Good Friday and Easter Monday skipped.
    assert end.ends_on == dt.date(2027, 4, 21)


def test_no_calendar_counts_working_days() -> None:
    end = watch_ends(start_on=dt.date(2026, 12, 21), school_days=5, calendar=None)
    # 25 and 28 December 2026 are bank holidays (Boxing Day, a Saturday, is observed on 28th).
    assert end.ends_on == dt.date(2026, 12, 30)


@pytest.mark.parametrize("days", [0, -1, True, 2.5])
def test_a_watch_of_no_days_is_refused(days: object, calendar: SchoolCalendar) -> None:
    with pytest.raises(InvalidArgument):
        watch_ends(start_on=dt.date(2026, 12, 7), school_days=days, calendar=calendar)  # type: ignore[arg-type]
