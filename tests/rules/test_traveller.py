"""A traveller's CME1 clock (policy FAQ 7; SI 2024/208 reg 9(1)(i)(i)), on its edges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules.errors import InvalidArgument
from cme.rules.traveller import traveller_clock

LEFT = dt.date(2026, 2, 2)


def test_no_return_date_four_weeks_exactly_is_still_on_roll() -> None:
    clock = traveller_clock(left_on=LEFT, return_date=None, today=LEFT + dt.timedelta(days=28))
    assert clock.stays_on_roll and not clock.cme1_started
    assert clock.cme1_from == dt.date(2026, 3, 3)
    assert "starts on 3 March 2026" in clock.rule


def test_no_return_date_more_than_four_weeks_starts_the_cme1_clock() -> None:
    clock = traveller_clock(left_on=LEFT, return_date=None, today=LEFT + dt.timedelta(days=29))
    assert clock.cme1_started and not clock.stays_on_roll
    assert "CME1 checklist starts" in clock.rule
    assert "FAQ 7" in clock.citation and "reg 9(1)(i)(i)" in clock.citation


def test_a_return_date_keeps_the_pupil_on_roll_through_that_day() -> None:
    back = dt.date(2026, 4, 20)  # more than four weeks away: the return date decides
    on_the_day = traveller_clock(left_on=LEFT, return_date=back, today=back)
    assert on_the_day.stays_on_roll and on_the_day.cme1_from == dt.date(2026, 4, 21)
    assert "until 20 April 2026" in on_the_day.rule
    after = traveller_clock(left_on=LEFT, return_date=back, today=back + dt.timedelta(days=1))
    assert after.cme1_started and "Past the return date" in after.rule


def test_a_return_date_before_leaving_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="before the day the family left"):
        traveller_clock(left_on=LEFT, return_date=LEFT - dt.timedelta(days=1), today=LEFT)


@given(
    left=st.dates(dt.date(2024, 9, 1), dt.date(2027, 7, 31)),
    away=st.integers(0, 400),
    back=st.one_of(st.none(), st.integers(0, 200)),
)
def test_the_clock_starts_only_after_the_period_the_family_is_away(
    left: dt.date, away: int, back: int | None
) -> None:
    return_date = None if back is None else left + dt.timedelta(days=back)
    today = left + dt.timedelta(days=away)
    clock = traveller_clock(left_on=left, return_date=return_date, today=today)
    assert clock.cme1_started == (today >= clock.cme1_from)
    assert clock.cme1_from > (return_date or left + dt.timedelta(weeks=4))
