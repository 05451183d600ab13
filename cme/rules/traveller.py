"""A traveller pupil away from school: kept on roll, and when the CME1 clock starts.

Liverpool policy, FAQ 7: "Parents should let school know when they are going travelling and
what the return date is. Pupils should be kept on roll for this period. If the parents have
not informed the school of the return date and they have been away for more than 4 weeks,
the checklist (CME1) should be followed before pupils can be taken off roll."

SI 2024/208 reg 9(1)(i)(i): the twenty-day continuous-absence ground is met only if none of
the circumstances of Table 2 or of Table 3 (other than its final three rows, G, N and O)
applied during the absence (reg 10(4)); a mobile child travelling with a parent is one of
those circumstances (code T, an authorised absence). So while the school records the pupil as
travelling, no twenty days run towards a deletion; they run only once the absence is no
longer a traveller's, and then only with the CME1 checklist and joint enquiries. Reg
9(1)(a)(ii) keeps a mobile child on the roll of their main school even when registered at
another.

Counting is in calendar days (the policy's "4 weeks"), the day the family left as day 0:
away more than four weeks is from the 29th day after it. A notified return date keeps the
pupil on roll up to and including that day; from the day after it, if the pupil is not back,
the CME1 checklist applies (an INFERRED reading: the policy covers only the period notified).
Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cme.rules._dates import require_date
from cme.rules.errors import InvalidArgument

FOUR_WEEKS = dt.timedelta(weeks=4)
DAY = dt.timedelta(days=1)
POLICY = "Liverpool City Council, Children Missing from Education: Guidelines and Practice, FAQ 7"
REGULATION = "SI 2024/208 reg 9(1)(i)(i) with reg 10(4) Table 3 (code T, a mobile child)"


@dataclass(frozen=True)
class TravellerClock:
    """Where a traveller pupil stands on `today`."""

    left_on: dt.date
    return_date: dt.date | None
    # The first day the CME1 checklist applies, if the pupil is not back by then.
    cme1_from: dt.date
    cme1_started: bool
    rule: str
    citation: str = f"{POLICY}; {REGULATION}"

    @property
    def stays_on_roll(self) -> bool:
        """Until the CME1 clock starts the pupil stays on roll without question."""
        return not self.cme1_started


def traveller_clock(
    *, left_on: dt.date, return_date: dt.date | None, today: dt.date
) -> TravellerClock:
    """The CME1 clock of a traveller pupil who left on `left_on`, with the return date the
    parents gave, if any. InvalidArgument for a return date before the day they left."""
    left_on = require_date(left_on, "the day the family left")
    today = require_date(today, "today")
    if return_date is not None:
        return_date = require_date(return_date, "the return date")
        if return_date < left_on:
            raise InvalidArgument("the return date is before the day the family left")
        start = return_date + DAY
        started = today >= start
        rule = (
            "Past the return date the parents gave and not back: the school makes its "
            "enquiries and follows the CME1 checklist before any removal."
            if started
            else "Travelling with a return date: the pupil stays on roll until "
            f"{return_date:%-d %B %Y}."
        )
        return TravellerClock(left_on, return_date, start, started, rule)
    start = left_on + FOUR_WEEKS + DAY
    started = today >= start
    rule = (
        "Away more than four weeks with no return date: the CME1 checklist starts, and the "
        "pupil stays on roll until it is completed and signed off."
        if started
        else "Travelling with no return date: the pupil stays on roll; the CME1 checklist "
        f"starts on {start:%-d %B %Y} if the school still has no return date."
    )
    return TravellerClock(left_on, None, start, started, rule)
