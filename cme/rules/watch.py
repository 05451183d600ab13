"""Pupils seen at risk while still on a roll: the clocks of the watch list.

A school's attendance return (SI 2024/208 reg 13(7)) names a pupil absent for ten continuous
school days coded G, N, O or U, or one who fails to attend regularly; its sickness return
(reg 13(9)) names one who will miss 15 school days through sickness. Each starts clocks the
council watches so it acts while the child is still on a roll:

- day 10 of continuous absence: the pupil must be on the attendance return (reg 13(7)(b)),
  and the school's own enquiries should be under way (Liverpool policy: "reasonable
  enquiries" before any removal; councils' practice, the school refers to the CME team by the
  10th school day);
- day 20: reg 9(1)(i) comes into reach, but only with enquiries made jointly by the school
  and the council that failed to find the pupil (reg 9(1)(i)(iii)); without them a deletion
  is unlawful;
- day 15 of sickness: the sickness return's 15 school days (reg 13(9)(b)(i)), and the
  council's decision on education otherwise (Education Act 1996 s.19).

Counting is in school days on the school's calendar, the first day missed as day 1.
Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cme.rules._dates import require_date
from cme.rules.calendar import SchoolCalendar, academic_year_of
from cme.rules.errors import InvalidArgument, OutsideCalendar

SCHOOL_ENQUIRIES_DAY = 10
JOINT_ENQUIRIES_DAY = 20
SICKNESS_DAY = 15
# Named in this many attendance returns in one school year: a pattern (a local rule: reg
# 13(7)(a) "failed to attend the school regularly", seen over returns rather than in one).
PATTERN_RETURNS = 3
POLICY = "Liverpool City Council, Children Missing Education policy"


@dataclass(frozen=True)
class WatchClock:
    """One clock: the `day`-th school day of the absence falls on `due`."""

    day: int
    due: dt.date
    title: str
    rule: str
    citation: str

    def reached(self, today: dt.date) -> bool:
        return today >= self.due


@dataclass(frozen=True)
class WatchClocks:
    first_day: dt.date
    # School days from the first day missed up to today, the first day as day 1, if the
    # pupil is still absent (None when today is outside the term dates the calendar knows).
    days_so_far: int | None
    clocks: tuple[WatchClock, ...]

    def next_clock(self, today: dt.date) -> WatchClock | None:
        """The first clock not yet reached, or None when all have been."""
        return next((c for c in self.clocks if not c.reached(today)), None)

    def reached(self, today: dt.date) -> tuple[WatchClock, ...]:
        return tuple(c for c in self.clocks if c.reached(today))


def _days_so_far(calendar: SchoolCalendar, first: dt.date, today: dt.date) -> int | None:
    if today < first:
        return 0
    try:
        return calendar.school_days_between(first - dt.timedelta(days=1), today)
    except OutsideCalendar:
        return None


def _clock(
    calendar: SchoolCalendar, first: dt.date, day: int, title: str, rule: str, citation: str
) -> WatchClock:
    return WatchClock(
        day=day,
        due=calendar.nth_school_day_from(first, day),
        title=title,
        rule=rule,
        citation=citation,
    )


def absence_clocks(
    *, calendar: SchoolCalendar, first_day_absent: dt.date, today: dt.date
) -> WatchClocks:
    """Day 10 and day 20 of continuous unauthorised absence (codes G, N, O, U).

    SI 2024/208 reg 13(7)(b) (the attendance return at ten school days) and reg 9(1)(i)
    (deletion after twenty school days, with limb (iii): the proprietor and the local
    authority "have jointly made reasonable efforts to find out the pupil's location and
    circumstances"). OutsideCalendar if the term dates do not reach the clocks.
    """
    first = require_date(first_day_absent, "first day of absence")
    today = require_date(today, "today")
    clocks = (
        _clock(
            calendar,
            first,
            SCHOOL_ENQUIRIES_DAY,
            "Day 10: the school's enquiries",
            "Ten continuous school days absent: the pupil is on the attendance return, and "
            "the school should be making its own enquiries and telling the CME team.",
            f"SI 2024/208 reg 13(7)(b); {POLICY}",
        ),
        _clock(
            calendar,
            first,
            JOINT_ENQUIRIES_DAY,
            "Day 20: ground 9(1)(i) only with joint enquiries",
            "Twenty continuous school days absent: the school may delete under reg 9(1)(i) "
            "only if it and the council have jointly made reasonable efforts to find the "
            "pupil and failed. The council must be making enquiries with the school by now.",
            "SI 2024/208 reg 9(1)(i)(iii)",
        ),
    )
    return WatchClocks(first, _days_so_far(calendar, first, today), clocks)


def sickness_clocks(
    *, calendar: SchoolCalendar, absent_from: dt.date, today: dt.date
) -> WatchClocks:
    """Day 15 of absence through sickness (code I).

    SI 2024/208 reg 13(9)(b)(i): 15 consecutive school days. From then the council decides
    whether it must arrange suitable education otherwise than at school (Education Act 1996
    s.19(1)).
    """
    first = require_date(absent_from, "first day of absence")
    today = require_date(today, "today")
    clocks = (
        _clock(
            calendar,
            first,
            SICKNESS_DAY,
            "Day 15: education otherwise than at school",
            "Fifteen school days absent through sickness: decide whether the council must "
            "arrange suitable education (s.19) and agree it with the school.",
            "SI 2024/208 reg 13(9)(b)(i); Education Act 1996 s.19(1)",
        ),
    )
    return WatchClocks(first, _days_so_far(calendar, first, today), clocks)


def is_pattern_over_returns(named_in: Iterable[dt.date], *, on: dt.date) -> bool:
    """Named in `PATTERN_RETURNS` or more attendance returns (by the last day each covers)
    in the school year holding `on`: a pupil who keeps failing to attend, though never ten
    days in a row. A local rule, read from SI 2024/208 reg 13(7)(a)."""
    year = academic_year_of(require_date(on, "date"))
    return sum(1 for day in named_in if academic_year_of(day) == year) >= PATTERN_RETURNS


@dataclass(frozen=True)
class ReturnInterval:
    """When a school's next attendance return is due, and whether it is late."""

    last: dt.date | None
    due: dt.date | None
    overdue: bool
    citation: str = "SI 2024/208 reg 13(8)"


def attendance_return_interval(
    *, last_made_on: dt.date | None, today: dt.date, interval_days: int
) -> ReturnInterval:
    """A school makes attendance returns "at whatever intervals it has agreed with the local
    authority" (SI 2024/208 reg 13(8)); guidance asks for no less than once a calendar
    month. The council's agreed interval is `interval_days`; a school that has never made
    one is overdue."""
    today = require_date(today, "today")
    if isinstance(interval_days, bool) or not isinstance(interval_days, int) or interval_days < 1:
        raise InvalidArgument(f"the interval must be a whole number of days, got {interval_days!r}")
    if last_made_on is None:
        return ReturnInterval(last=None, due=None, overdue=True)
    last = require_date(last_made_on, "last attendance return")
    due = last + dt.timedelta(days=interval_days)
    return ReturnInterval(last=last, due=due, overdue=today > due)
