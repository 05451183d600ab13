"""The case's clocks, from cme.rules, in school days."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from factories import OpenCaseFactory

from cme.cases.deadlines import Urgency, case_work_items

MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@time_machine.travel(MONDAY, tick=False)
def test_case_clocks_count_school_days_and_cite_their_rule(term_dates) -> None:
    case = OpenCaseFactory.create(
        opened_on=date(2025, 10, 1),
        left_roll_on=date(2025, 10, 20),
        first_day_absent=date(2025, 10, 6),
    )
    items = {item.what: item for item in case_work_items(case, today=MONDAY.date())}
    enquiries = items["Four weeks of enquiries complete"]
    assert enquiries.due == date(2025, 10, 29) and enquiries.urgency == Urgency.OVERDUE
    ctf = items["Common Transfer File due from the last school"]
    # 15 school days after Mon 20 Oct, skipping half term (27-31 Oct): Mon 17 Nov 2025.
    assert ctf.due == date(2025, 11, 17) and "2005" in ctf.rule
    absence = items["20 school days of continuous absence reached"]
    assert absence.due == date(2025, 11, 7)
    assert absence.urgency == Urgency.DUE_SOON
