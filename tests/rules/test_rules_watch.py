"""The watch list's clocks (cme.rules.watch), counted on Liverpool's 2024/25 term dates."""

from __future__ import annotations

from datetime import date as D

import pytest

from cme.rules import SchoolCalendar
from cme.rules.errors import InvalidArgument, OutsideCalendar
from cme.rules.watch import (
    absence_clocks,
    attendance_return_interval,
    is_pattern_over_returns,
    sickness_clocks,
)


def test_day_10_and_day_20_skip_the_february_half_term(liverpool: SchoolCalendar) -> None:
    # Monday 3 Feb 2025: day 10 is Friday 14 Feb; half term is 17-21 Feb; day 20 is 7 March.
    clocks = absence_clocks(
        calendar=liverpool, first_day_absent=D(2025, 2, 3), today=D(2025, 2, 24)
    )
    day10, day20 = clocks.clocks
    assert (day10.day, day10.due) == (10, D(2025, 2, 14))
    assert (day20.day, day20.due) == (20, D(2025, 3, 7))
    assert "reg 13(7)(b)" in day10.citation and day20.citation == "SI 2024/208 reg 9(1)(i)(iii)"
    assert "jointly" in day20.rule
    assert clocks.days_so_far == 11
    assert clocks.reached(D(2025, 2, 24)) == (day10,)
    assert clocks.next_clock(D(2025, 2, 24)) == day20
    assert clocks.next_clock(D(2025, 3, 7)) is None  # the day the clock falls is reached


def test_the_count_on_the_day_before_a_clock_and_before_the_absence(
    liverpool: SchoolCalendar,
) -> None:
    clocks = absence_clocks(
        calendar=liverpool, first_day_absent=D(2025, 2, 3), today=D(2025, 2, 13)
    )
    assert clocks.days_so_far == 9 and clocks.reached(D(2025, 2, 13)) == ()
    # A weekend adds no school day.
    assert (
        absence_clocks(
            calendar=liverpool, first_day_absent=D(2025, 2, 3), today=D(2025, 2, 16)
        ).days_so_far
        == 10
    )
    assert (
        absence_clocks(
            calendar=liverpool, first_day_absent=D(2025, 2, 3), today=D(2025, 2, 1)
        ).days_so_far
        == 0
    )


def test_a_first_day_that_is_no_school_day_counts_from_the_next(liverpool: SchoolCalendar) -> None:
    clocks = absence_clocks(calendar=liverpool, first_day_absent=D(2025, 2, 1), today=D(2025, 2, 3))
    assert clocks.clocks[0].due == D(2025, 2, 14)
    assert clocks.days_so_far == 1


def test_clocks_past_the_known_term_dates_refuse_to_guess(liverpool: SchoolCalendar) -> None:
    with pytest.raises(OutsideCalendar):
        absence_clocks(calendar=liverpool, first_day_absent=D(2025, 7, 14), today=D(2025, 7, 15))
    # Today outside the calendar: the clocks are known, the count so far is not.
    clocks = absence_clocks(
        calendar=liverpool, first_day_absent=D(2025, 6, 2), today=D(2025, 8, 20)
    )
    assert clocks.days_so_far is None and clocks.clocks[1].due == D(2025, 6, 27)


def test_the_sickness_clock_is_day_15(liverpool: SchoolCalendar) -> None:
    clocks = sickness_clocks(calendar=liverpool, absent_from=D(2025, 2, 3), today=D(2025, 2, 28))
    (day15,) = clocks.clocks
    assert day15.due == D(2025, 2, 28) and day15.reached(D(2025, 2, 28))
    assert "13(9)(b)(i)" in day15.citation and "s.19" in day15.citation


def test_a_pattern_is_three_returns_in_one_school_year() -> None:
    three = [D(2024, 9, 30), D(2024, 10, 31), D(2025, 1, 31)]
    assert is_pattern_over_returns(three, on=D(2025, 2, 1))
    assert not is_pattern_over_returns(three[1:], on=D(2025, 2, 1))
    # A return of last school year does not count towards this year's pattern.
    assert not is_pattern_over_returns([D(2024, 7, 19), *three[1:]], on=D(2025, 2, 1))
    assert not is_pattern_over_returns(three, on=D(2025, 8, 1))  # a new school year


def test_an_attendance_return_is_late_the_day_after_the_interval() -> None:
    on_time = attendance_return_interval(
        last_made_on=D(2025, 1, 31), today=D(2025, 3, 3), interval_days=31
    )
    assert on_time.due == D(2025, 3, 3) and not on_time.overdue
    assert on_time.citation == "SI 2024/208 reg 13(8)"
    assert attendance_return_interval(
        last_made_on=D(2025, 1, 31), today=D(2025, 3, 4), interval_days=31
    ).overdue
    never = attendance_return_interval(last_made_on=None, today=D(2025, 3, 4), interval_days=31)
    assert never.overdue and never.due is None


@pytest.mark.parametrize("interval", [0, -1, True, 1.5])
def test_the_interval_must_be_whole_days(interval: object) -> None:
    with pytest.raises(InvalidArgument):
        attendance_return_interval(
            last_made_on=D(2025, 1, 31),
            today=D(2025, 3, 4),
            interval_days=interval,  # type: ignore[arg-type]
        )
