"""Compulsory school age, Education Act 1996 s.8: prescribed days, leaving dates, leap days."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules import (
    InvalidDate,
    RulesError,
    compulsory_school_age,
    is_compulsory_school_age,
    prescribed_days,
    school_leaving_date,
)
from cme.rules import school_age as school_age_module

D = dt.date


@pytest.mark.parametrize(
    ("dob", "start"),
    [
        (D(2019, 3, 31), D(2024, 3, 31)),  # 5th birthday on a prescribed day: that day
        (D(2019, 8, 31), D(2024, 8, 31)),
        (D(2019, 12, 31), D(2024, 12, 31)),
        (D(2019, 1, 1), D(2024, 3, 31)),
        (D(2019, 2, 10), D(2024, 3, 31)),  # IPSEA's example
        (D(2019, 4, 1), D(2024, 8, 31)),  # day after a prescribed day
        (D(2019, 9, 1), D(2024, 12, 31)),
        (D(2020, 2, 29), D(2025, 3, 31)),  # leap-day birthday, 5th in a common year
        (D(2019, 2, 28), D(2024, 3, 31)),
        (D(2015, 3, 1), D(2020, 3, 31)),  # 5th birthday 1 Mar in a leap year
    ],
)
def test_start_is_first_prescribed_day_on_or_after_fifth_birthday(dob, start):
    assert compulsory_school_age(dob).start == start


@pytest.mark.parametrize(
    ("year", "leaving"),
    [
        (2023, D(2023, 6, 30)),
        (2024, D(2024, 6, 28)),
        (2025, D(2025, 6, 27)),
        (2026, D(2026, 6, 26)),
    ],
)
def test_school_leaving_date_is_last_friday_in_june(year, leaving):
    assert school_leaving_date(year) == leaving


@pytest.mark.parametrize(
    ("dob", "end"),
    [
        (D(2007, 9, 23), D(2024, 6, 28)),  # IPSEA's example
        (D(2008, 6, 27), D(2024, 6, 28)),  # 16 the day before the leaving date: s.8(3)(c)
        (D(2008, 6, 28), D(2024, 6, 28)),  # 16 on the leaving date: s.8(3)(b)
        (D(2008, 6, 29), D(2024, 6, 28)),  # 16 just after it, in the holiday: s.8(3)(a)
        (D(2008, 7, 15), D(2024, 6, 28)),  # turns 16 in July
        (D(2008, 8, 31), D(2024, 6, 28)),  # turns 16 on the last day of August
        (D(2008, 9, 1), D(2025, 6, 27)),  # turns 16 as the new school year begins
        (D(2008, 12, 25), D(2025, 6, 27)),
        (D(2008, 2, 29), D(2024, 6, 28)),  # leap-day birthday, 16th in a leap year
    ],
)
def test_end_is_leaving_date_of_the_school_year_the_child_turns_16(dob, end):
    assert compulsory_school_age(dob).end == end


class _LateStartingSchool:
    """A school whose autumn term begins on 4 September."""

    def school_year_start(self, year):
        return D(year, 9, 4)


def test_calendar_decides_when_the_next_school_year_begins():
    dob = D(2008, 9, 2)  # 16 on Monday 2 September 2024
    assert compulsory_school_age(dob).end == D(2025, 6, 27)
    assert compulsory_school_age(dob, calendar=_LateStartingSchool()).end == D(2024, 6, 28)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2024, 3, 30), False),
        (D(2024, 3, 31), True),
        (D(2030, 1, 1), True),
        (D(2035, 6, 29), True),
        (D(2035, 6, 30), False),
    ],
)
def test_is_compulsory_school_age_at_the_edges(on, expected):
    # Born 1 Jan 2019: starts 31 Mar 2024; 16 on 1 Jan 2035, leaving date Fri 29 Jun 2035.
    assert is_compulsory_school_age(D(2019, 1, 1), on) is expected


@pytest.mark.parametrize(
    "bad",
    ["2019-01-01", None, 20190101, dt.datetime(2019, 1, 1, tzinfo=dt.UTC), D(1990, 1, 1)],
)
def test_bad_dates_raise_a_named_error(bad):
    with pytest.raises(InvalidDate, match="date of birth"):
        compulsory_school_age(bad)


def test_bad_on_date_raises():
    with pytest.raises(RulesError, match="on must be a date"):
        # A string where the date belongs, on purpose: callers outside mypy can still do it.
        is_compulsory_school_age(D(2019, 1, 1), "today")  # type: ignore[arg-type]


def test_prescribed_days_before_1999_lack_31_march():
    assert prescribed_days(1998) == (D(1998, 8, 31), D(1998, 12, 31))
    assert D(1999, 3, 31) in prescribed_days(1999)


dobs = st.dates(min_value=D(1994, 1, 1), max_value=D(2095, 12, 31))


@given(dobs)
def test_start_is_a_prescribed_day_within_five_months_of_fifth_birthday(dob):
    csa = compulsory_school_age(dob)
    fifth = school_age_module.anniversary(dob, 5)
    assert csa.start in prescribed_days(csa.start.year)
    assert fifth <= csa.start < fifth + dt.timedelta(days=153)


@given(dobs)
def test_end_is_a_june_friday_when_the_child_is_15_or_16(dob):
    end = compulsory_school_age(dob).end
    assert end.month == 6 and end.weekday() == 4 and end.day > 23
    assert end.year - dob.year in (16, 17)
    assert school_age_module.anniversary(dob, 17) > end  # never kept past 17


@given(st.integers(min_value=1996, max_value=2096).filter(lambda y: y % 4 == 0))
def test_leap_day_convention_never_changes_the_answer(year):
    """Whether a 29 Feb child ages on 28 Feb or 1 Mar in common years, s.8 gives one answer."""
    leapling = D(year, 2, 29)
    on_feb_28 = compulsory_school_age(D(year, 2, 28))
    on_mar_1 = compulsory_school_age(D(year, 3, 1))
    assert compulsory_school_age(leapling) == on_feb_28 == on_mar_1


def _csa(dob: dt.date, on: dt.date) -> bool:
    return school_age_module.compulsory_school_age(dob).includes(on)


@given(st.dates(min_value=D(2010, 1, 1), max_value=D(2040, 12, 31)))
def test_born_between_is_exactly_the_children_of_compulsory_school_age(on):
    earliest, latest = school_age_module.born_between(on)
    assert _csa(earliest, on) and _csa(latest, on)
    assert not _csa(earliest - dt.timedelta(days=1), on)
    assert not _csa(latest + dt.timedelta(days=1), on)


@pytest.mark.parametrize(
    "on",
    [
        D(2026, 3, 30),
        D(2026, 3, 31),
        D(2026, 6, 26),
        D(2026, 6, 27),
        D(2026, 8, 31),
        D(2028, 2, 29),
    ],
)
def test_born_between_on_the_edges_checked_against_every_birthday(on):
    # Every date of birth over eighteen years, on the days compulsory school age starts and
    # ends (31 March, the last Friday in June and the day after, 31 August, a leap day).
    earliest, latest = school_age_module.born_between(on)
    dob = D(on.year - 18, 1, 1)
    while dob <= on:
        assert _csa(dob, on) == (earliest <= dob <= latest), dob
        dob += dt.timedelta(days=1)
