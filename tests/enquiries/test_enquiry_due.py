"""When an enquiry falls due: school days from a calendar, working days for councils."""

from __future__ import annotations

import datetime as dt

import pytest

from cme.rules.calendar import SchoolCalendar
from cme.rules.enquiry_due import (
    DayCount,
    add_working_days,
    enquiry_due,
    is_working_day,
    should_escalate,
)
from cme.rules.errors import InvalidArgument

D = dt.date


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    # Friday 22 May 2026 + 1 working day: the weekend and the spring bank holiday (25 May)
    # are skipped, so Tuesday 26 May.
    assert add_working_days(D(2026, 5, 22), 1) == D(2026, 5, 26)
    assert add_working_days(D(2026, 5, 22), 5) == D(2026, 6, 1)
    assert not is_working_day(D(2026, 5, 25))
    assert is_working_day(D(2026, 5, 26))


def test_working_days_cross_christmas_and_the_new_year() -> None:
    # 24 Dec 2026 (Thu) + 2: 25 Dec and 28 Dec (Boxing Day substitute) are bank holidays.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_school_days_count_in_the_calendar_given() -> None:
    calendar = SchoolCalendar(terms=[(D(2026, 4, 13), D(2026, 7, 21))], closures=[D(2026, 4, 14)])
    due = enquiry_due(
        sent_on=D(2026, 4, 13), count=2, counting=DayCount.SCHOOL_DAYS, calendar=calendar
    )
    # The 14th is the school's closure day: the 15th and 16th are the next two school days.
    assert due.due == D(2026, 4, 16) and due.counting is DayCount.SCHOOL_DAYS and not due.note


def test_school_days_beyond_the_term_dates_fall_back_to_working_days_and_say_so() -> None:
    calendar = SchoolCalendar(terms=[(D(2026, 4, 13), D(2026, 7, 21))])
    due = enquiry_due(
        sent_on=D(2026, 12, 2), count=10, counting=DayCount.SCHOOL_DAYS, calendar=calendar
    )
    assert due.due == add_working_days(D(2026, 12, 2), 10)
    assert due.counting is DayCount.WORKING_DAYS and "term dates" in due.note
    no_calendar = enquiry_due(
        sent_on=D(2026, 12, 2), count=10, counting=DayCount.SCHOOL_DAYS, calendar=None
    )
    assert no_calendar.due == due.due


def test_working_days_for_councils_ignore_the_school_calendar() -> None:
    calendar = SchoolCalendar(terms=[(D(2026, 4, 13), D(2026, 7, 21))])
    due = enquiry_due(
        sent_on=D(2026, 5, 22), count=1, counting=DayCount.WORKING_DAYS, calendar=calendar
    )
    assert due.due == D(2026, 5, 26) and due.counting is DayCount.WORKING_DAYS


@pytest.mark.parametrize("bad", [0, -1, True])
def test_a_count_must_be_a_positive_whole_number(bad: int) -> None:
    with pytest.raises(InvalidArgument):
        add_working_days(D(2026, 5, 22), bad)


def test_escalation_after_the_second_chase() -> None:
    assert [should_escalate(n) for n in (0, 1, 2, 3)] == [False, False, True, True]
    with pytest.raises(InvalidArgument):
        should_escalate(-1)
