"""When the watch on a child's attendance in new provision ends.

No statute sets a period. The Liverpool CME policy's flow ends "engaging -> in provision
(monitor) -> closed" and reports "the progress into provision" (Monitoring); its definition of
CME counts a child "out of any education provision for period of time, usually 4 weeks". So
the watch is the council's setting, CME_PROVISION_WATCH_SCHOOL_DAYS (default 20 school days,
four school weeks), counted in the provider school's own calendar (SI 2024/208 counts pupil
registration in school days), and in working days where no term dates reach that far.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cme.rules._dates import require_date
from cme.rules.calendar import SchoolCalendar
from cme.rules.enquiry_due import add_working_days
from cme.rules.errors import InvalidArgument, RulesError

DEFAULT_WATCH_SCHOOL_DAYS = 20


@dataclass(frozen=True)
class WatchEnd:
    ends_on: dt.date
    counting: str  # in words, for the page: "20 school days" or the fallback said plainly


def watch_ends(*, start_on: dt.date, school_days: int, calendar: SchoolCalendar | None) -> WatchEnd:
    """The last day of the watch: the `school_days`-th school day after the start (the day of
    the start is not counted, as for every other school-day clock here)."""
    start_on = require_date(start_on, "start date")
    if not isinstance(school_days, int) or isinstance(school_days, bool) or school_days < 1:
        raise InvalidArgument(f"the watch must be 1 school day or more, got {school_days!r}")
    if calendar is not None:
        try:
            return WatchEnd(
                calendar.add_school_days(start_on, school_days), f"{school_days} school days"
            )
        except RulesError as error:
            if isinstance(error, InvalidArgument):
                raise
    return WatchEnd(
        add_working_days(start_on, school_days),
        f"{school_days} working days (the term dates loaded do not cover the watch)",
    )
