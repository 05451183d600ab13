"""Deadlines: every clock in school days (or days where the law says days), with its rule."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules import InvalidDate, OutsideCalendar
from cme.rules import deadlines as dl
from cme.rules.deadlines import Counting, DeadlineKind

D = dt.date


@pytest.fixture(scope="module")
def cal(liverpool):
    return liverpool


def test_ctf_after_leaving_counts_15_school_days_over_easter(cal):
    deadline = dl.ctf_due_after_leaving(calendar=cal, ceased_on=D(2024, 3, 20))
    # 21, 22, 25, 26, 27, 28 Mar (6); Easter holiday; 15-19 Apr (11); 22-25 Apr (15)
    assert deadline.due == D(2024, 4, 25)
    assert deadline.counting is Counting.SCHOOL_DAYS
    assert "SI 2005/1437 reg 9(3)" in deadline.citation
    assert "XXXXXXX" in deadline.note


def test_ctf_after_request(cal):
    deadline = dl.ctf_due_after_request(calendar=cal, requested_on=D(2023, 10, 20))
    assert deadline.kind is DeadlineKind.CTF_AFTER_REQUEST
    assert deadline.due == D(2023, 11, 17)  # 5 days to half term, then two weeks


@pytest.mark.parametrize(
    ("entered", "due", "cite"),
    [
        (D(2024, 8, 16), D(2024, 8, 21), "SI 2006/1751 reg 12(3)"),
        (D(2024, 8, 18), D(2024, 8, 23), "SI 2006/1751 reg 12(3)"),  # last day of 2006 rules
        (D(2024, 8, 19), D(2024, 8, 24), "SI 2024/208 reg 13(1)"),  # first day of 2024 rules
        (D(2024, 9, 6), D(2024, 9, 11), "SI 2024/208 reg 13(1)"),  # Friday: due a Wednesday
        (D(2024, 9, 4), D(2024, 9, 9), "SI 2024/208 reg 13(1)"),
    ],
)
def test_new_pupil_return_counts_calendar_days(entered, due, cite):
    deadline = dl.new_pupil_return_due(entered_on=entered)
    assert (deadline.due, deadline.counting) == (due, Counting.DAYS)
    assert cite in deadline.citation


def test_new_pupil_return_before_2016_has_no_duty():
    with pytest.raises(InvalidDate, match="1 Sep 2016"):
        dl.new_pupil_return_due(entered_on=D(2016, 8, 31))


@pytest.mark.parametrize(
    ("deleted", "cite"),
    [(D(2024, 8, 18), "SI 2006/1751 reg 12(6)"), (D(2024, 8, 19), "SI 2024/208 reg 13(4)")],
)
def test_deletion_return_is_due_on_the_deletion(deleted, cite):
    deadline = dl.deletion_return_due(deleted_on=deleted)
    assert deadline.due == deleted and deadline.counting is Counting.SAME_DAY
    assert cite in deadline.citation


@pytest.mark.parametrize(
    ("function", "first", "due"),
    [
        # Absent from Mon 2 Oct 2023: day 10 is Fri 13 Oct.
        (dl.attendance_return_trigger, D(2023, 10, 2), D(2023, 10, 13)),
        # Absent from a Saturday: day 1 is the Monday.
        (dl.attendance_return_trigger, D(2023, 9, 30), D(2023, 10, 13)),
        # 20 days from Mon 16 Oct 2023: 10 days to 27 Oct, half term, 10 more to 17 Nov.
        (dl.continuous_absence_trigger, D(2023, 10, 16), D(2023, 11, 17)),
        # 15 days of illness from Mon 29 Apr 2024, over the May Day bank holiday.
        (dl.sickness_return_trigger, D(2024, 4, 29), D(2024, 5, 20)),
    ],
)
def test_absence_clocks_count_the_first_day(cal, function, first, due):
    field = "first_day_ill" if function is dl.sickness_return_trigger else "first_day_absent"
    assert function(calendar=cal, **{field: first}).due == due


def test_continuous_absence_cites_the_rule_set_in_force(cal):
    assert (
        "8(1)(h)"
        in dl.continuous_absence_trigger(calendar=cal, first_day_absent=D(2024, 7, 1)).citation
    )
    assert (
        "9(1)(i)"
        in dl.continuous_absence_trigger(calendar=cal, first_day_absent=D(2024, 9, 2)).citation
    )


def test_leave_not_returned(cal):
    deadline = dl.leave_not_returned_trigger(calendar=cal, leave_ended_on=D(2024, 9, 13))
    assert deadline.due == D(2024, 9, 27)
    assert "9(1)(h)" in deadline.citation


def test_policy_clocks_are_four_calendar_weeks():
    assert dl.policy_enquiries_complete(enquiries_started_on=D(2024, 9, 2)).due == D(2024, 9, 30)
    assert dl.traveller_checklist_due(left_on=D(2024, 5, 1)).due == D(2024, 5, 29)


def test_deadline_past_the_calendar_raises(cal):
    with pytest.raises(OutsideCalendar):
        dl.ctf_due_after_leaving(calendar=cal, ceased_on=D(2025, 7, 15))


school_clocks = st.sampled_from(
    [
        lambda c, d: dl.ctf_due_after_leaving(calendar=c, ceased_on=d),
        lambda c, d: dl.ctf_due_after_request(calendar=c, requested_on=d),
        lambda c, d: dl.attendance_return_trigger(calendar=c, first_day_absent=d),
        lambda c, d: dl.sickness_return_trigger(calendar=c, first_day_ill=d),
        lambda c, d: dl.continuous_absence_trigger(calendar=c, first_day_absent=d),
        lambda c, d: dl.leave_not_returned_trigger(calendar=c, leave_ended_on=d),
    ]
)


@given(clock=school_clocks, day=st.dates(min_value=D(2023, 9, 1), max_value=D(2025, 5, 1)))
def test_a_school_day_deadline_is_never_on_a_non_school_day(cal, clock, day):
    deadline = clock(cal, day)
    assert deadline.counting is Counting.SCHOOL_DAYS
    assert cal.is_school_day(deadline.due)
    assert deadline.due > deadline.counted_from or (
        deadline.due == deadline.counted_from and cal.is_school_day(day)
    )
    assert deadline.citation
