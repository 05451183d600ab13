"""Compulsory school age: Education Act 1996 s.8.

Sources (see /work/shared/reference/registration-law.md section 3):

* s.8(2): a child begins to be of compulsory school age on the prescribed day on or after
  their fifth birthday (on the birthday itself if it is a prescribed day).
* Education (Start of Compulsory School Age) Order 1998 (SI 1998/1607) art 2: the prescribed
  days are 31 August and 31 December (from 1998) and 31 March (from 1999).
* s.8(3): compulsory school age ends at the end of the school leaving date of the school year
  in which the child turns 16, including a child who turns 16 after that date but before the
  next school year begins.
* Education (School Leaving Date) Order 1997: the school leaving date is the last Friday in
  June (order text UNVERIFIED; the rule is the one IPSEA and gov.uk state).
* "School year" (s.579, as used in SI 2007/2261 reg 2): begins with the first term to begin
  after July, so it depends on the school's term dates. Without a calendar we take
  1 September, the conventional date; pass ``calendar=`` to use a school's own term dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from cme.rules._dates import anniversary, require_date
from cme.rules.errors import InvalidDate

# s.8(2) as substituted by the Education Act 1997 s.52 applies from 1 August 1998; a child
# whose fifth birthday came earlier fell under the old termly rule, which is not encoded here.
_FIRST_FIFTH_BIRTHDAY = dt.date(1998, 8, 1)
_FRIDAY = 4
CITATION = "Education Act 1996 s.8; SI 1998/1607 art 2; SI 1997/1970"


class _KnowsSchoolYears(Protocol):
    def school_year_start(self, year: int) -> dt.date: ...


@dataclass(frozen=True)
class CompulsorySchoolAge:
    """The span of compulsory school age: from the start of ``start`` to the end of ``end``."""

    start: dt.date
    end: dt.date
    citation: str = CITATION

    def includes(self, on: dt.date) -> bool:
        """True when ``on`` is a day on which the child is of compulsory school age."""
        return self.start <= require_date(on, "on") <= self.end


def prescribed_days(year: int) -> tuple[dt.date, ...]:
    """The prescribed days of ``year`` (SI 1998/1607 art 2): 31 Mar (from 1999), 31 Aug, 31 Dec."""
    days = [dt.date(year, 8, 31), dt.date(year, 12, 31)]
    if year >= 1999:
        days.insert(0, dt.date(year, 3, 31))
    return tuple(days)


def school_leaving_date(year: int) -> dt.date:
    """The school leaving date for ``year``: the last Friday in June (SI 1997/1970, UNVERIFIED)."""
    last = dt.date(year, 6, 30)
    return last - dt.timedelta(days=(last.weekday() - _FRIDAY) % 7)


def _start(dob: dt.date) -> dt.date:
    fifth = anniversary(dob, 5)
    for day in prescribed_days(fifth.year):
        if day >= fifth:
            return day
    # Unreachable: 31 December is always prescribed and no birthday falls after it.
    raise AssertionError(f"no prescribed day on or after {fifth}")


def _end(dob: dt.date, calendar: _KnowsSchoolYears | None) -> dt.date:
    sixteenth = anniversary(dob, 16)
    leaving = school_leaving_date(sixteenth.year)
    if sixteenth <= leaving:  # s.8(3)(b) and (c)
        return leaving
    if calendar is None:
        next_year_starts = dt.date(sixteenth.year, 9, 1)
    else:
        next_year_starts = calendar.school_year_start(sixteenth.year)
    if sixteenth < next_year_starts:  # s.8(3)(a): turns 16 in the summer holiday
        return leaving
    return school_leaving_date(sixteenth.year + 1)


def compulsory_school_age(
    dob: dt.date, *, calendar: _KnowsSchoolYears | None = None
) -> CompulsorySchoolAge:
    """Return when compulsory school age starts and ends for a child born on ``dob``.

    Education Act 1996 s.8(2) and (3); prescribed days per SI 1998/1607; school leaving date
    per SI 1997/1970. ``calendar`` (a SchoolCalendar) decides when the next school year begins
    for a child who turns 16 in late summer; without it the school year begins on 1 September.

    >>> compulsory_school_age(dt.date(2019, 2, 10)).start   # 5 on 10 Feb 2024
    datetime.date(2024, 3, 31)
    >>> compulsory_school_age(dt.date(2007, 9, 23)).end
    datetime.date(2024, 6, 28)
    """
    dob = require_date(dob, "date of birth")
    if anniversary(dob, 5) < _FIRST_FIFTH_BIRTHDAY:
        raise InvalidDate(
            f"date of birth {dob.isoformat()}: the child turned 5 before 1 August 1998, when "
            "Education Act 1996 s.8(2) took its present form; this rule does not cover them"
        )
    return CompulsorySchoolAge(start=_start(dob), end=_end(dob, calendar))


def compulsory_school_age_end(
    dob: dt.date, *, calendar: _KnowsSchoolYears | None = None
) -> dt.date:
    """The last day of compulsory school age for a child born on ``dob`` (s.8(3)).

    The end does not depend on the start, so it is known for anyone, including a person who
    turned 5 before the present s.8(2) applied (for whom ``compulsory_school_age`` refuses).
    """
    return _end(require_date(dob, "date of birth"), calendar)


def is_compulsory_school_age(
    dob: dt.date, on: dt.date, *, calendar: _KnowsSchoolYears | None = None
) -> bool:
    """True when a child born on ``dob`` is of compulsory school age on ``on`` (EA 1996 s.8)."""
    on = require_date(on, "on")
    return compulsory_school_age(dob, calendar=calendar).includes(on)


def _last_day_where(holds: object, low: dt.date, high: dt.date) -> dt.date:
    """The last day from `low` to `high` for which `holds` is true, given that it holds up to
    some day and not after (binary search; `holds(low)` must be true)."""
    lo, hi = low.toordinal(), high.toordinal()
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if holds(dt.date.fromordinal(mid)):  # type: ignore[operator]
            lo = mid
        else:
            hi = mid - 1
    return dt.date.fromordinal(lo)


def born_between(on: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest dates of birth of a child of compulsory school age on ``on``
    (s.8(2) and (3), the school year beginning 1 September), so a register can select them by
    date of birth. Both the start and the end of compulsory school age move later with a later
    birthday, so the children of compulsory school age on a day are exactly one run of birthdays.

    >>> born_between(dt.date(2026, 12, 3))
    (datetime.date(2010, 9, 1), datetime.date(2021, 8, 31))
    """
    on = require_date(on, "on")
    # Started: the fifth birthday is at most five years before `on`, and the start follows it
    # by under five months. Not yet ended: sixteen at most seventeen years before `on`.
    latest = _last_day_where(
        lambda dob: _start(dob) <= on, anniversary(on, -6), anniversary(on, -5)
    )
    not_ended_from = anniversary(on, -18)
    earliest_before = _last_day_where(
        lambda dob: _end(dob, None) < on, not_ended_from, anniversary(on, -15)
    )
    return earliest_before + dt.timedelta(days=1), latest
