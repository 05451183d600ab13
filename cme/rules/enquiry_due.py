"""When an enquiry to locate a child falls due, and when it is chased.

No statute sets these: the policy names the forms (CME3a/3b to schools, CME4 to another LA,
CME5a/5b for a child moving out) and says each has "a due date, a chase, and a response"
(Liverpool CME policy, "Checking process"); the reference collection found no published
LA-to-LA response time ("LA-to-LA response: not found, UNVERIFIED", returns-and-enquiries.md
3.6), so every interval is the council's setting, per kind of enquiry.

- A school answers in **school days** (its own calendar: term dates less its closures), as
  every school-facing clock in pupil registration is counted (SI 2024/208 reg 2 and the
  returns in reg 13 count school days; Gloucestershire's home visit "within 5 school days").
- A council or a partner agency answers in **working days**: weekdays that are not bank
  holidays in England (Pan-Dorset's "at least within 5 working days" for telling other
  agencies of a move is the nearest published rule, reference 3.3).

An enquiry not answered by its due date is chased; each chase gives it a new due date the
same interval on; after the second chase it is escalated (the council's own rule, in the
brief for this register: "a chase when it falls due, an escalation after the second chase").
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from cme.rules._dates import require_date
from cme.rules.calendar import SchoolCalendar, england_bank_holidays
from cme.rules.errors import InvalidArgument, RulesError

CHASES_BEFORE_ESCALATION = 2


class DayCount(enum.Enum):
    SCHOOL_DAYS = "school days"
    WORKING_DAYS = "working days"


@dataclass(frozen=True)
class EnquiryDue:
    due: dt.date
    count: int
    counting: DayCount
    # Set when school days were asked for but the term dates do not reach the due date.
    note: str = ""


def is_working_day(day: dt.date) -> bool:
    """A weekday that is not a bank holiday in England."""
    day = require_date(day, "date")
    return day.weekday() < 5 and day not in england_bank_holidays([day.year])


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself is not counted)."""
    day = require_date(day, "date")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise InvalidArgument(f"number of working days must be 1 or more, got {n!r}")
    holidays = england_bank_holidays([day.year, day.year + 1, day.year + 2])
    found = 0
    while found < n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            found += 1
    return day


def enquiry_due(
    *, sent_on: dt.date, count: int, counting: DayCount, calendar: SchoolCalendar | None
) -> EnquiryDue:
    """The due date of an enquiry sent (or chased) on ``sent_on``.

    Counted in school days from the recipient school's calendar; where that calendar is
    missing or does not reach far enough, in working days instead, and the result says so
    rather than guessing term dates that are not loaded.
    """
    sent_on = require_date(sent_on, "date sent")
    if counting is DayCount.SCHOOL_DAYS:
        if calendar is not None:
            try:
                return EnquiryDue(calendar.add_school_days(sent_on, count), count, counting)
            except RulesError as error:
                if isinstance(error, InvalidArgument):
                    raise
        return EnquiryDue(
            add_working_days(sent_on, count),
            count,
            DayCount.WORKING_DAYS,
            note="counted in working days: the term dates loaded do not cover it",
        )
    return EnquiryDue(add_working_days(sent_on, count), count, DayCount.WORKING_DAYS)


def should_escalate(chases: int) -> bool:
    """Escalated once it has been chased twice and is still unanswered when due again."""
    if chases < 0:
        raise InvalidArgument(f"chases cannot be negative, got {chases!r}")
    return chases >= CHASES_BEFORE_ESCALATION
