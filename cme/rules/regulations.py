"""Which pupil-registration regulations govern an event, chosen by its date.

SI 2006/1751 (The Education (Pupil Registration) (England) Regulations 2006) governs events up
to 18 August 2024; SI 2024/208 (The School Attendance (Pupil Registration) (England)
Regulations 2024) governs events from 19 August 2024, when it revoked and replaced the 2006
Regulations (explanatory note to SI 2024/208; commencement date per LA guidance, see
registration-law.md).
"""

from __future__ import annotations

import datetime as dt
import enum

from cme.rules._dates import require_date
from cme.rules.errors import InvalidDate

REGS_2006_IN_FORCE = dt.date(2006, 9, 1)
REGS_2024_IN_FORCE = dt.date(2024, 8, 19)


class RuleSet(enum.Enum):
    REGS_2006 = "2006"
    REGS_2024 = "2024"

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def short(self) -> str:
        return _SHORT[self]


_TITLES = {
    RuleSet.REGS_2006: (
        "The Education (Pupil Registration) (England) Regulations 2006 (SI 2006/1751)"
    ),
    RuleSet.REGS_2024: (
        "The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208)"
    ),
}
_SHORT = {RuleSet.REGS_2006: "SI 2006/1751", RuleSet.REGS_2024: "SI 2024/208"}


def rule_set_for(on: dt.date) -> RuleSet:
    """The regulations in force on ``on``: 2006 up to 18 Aug 2024, 2024 from 19 Aug 2024."""
    on = require_date(on, "date")
    if on < REGS_2006_IN_FORCE:
        raise InvalidDate(
            f"{on} is before 1 September 2006, when SI 2006/1751 came into force; "
            "earlier registration law is not encoded"
        )
    return RuleSet.REGS_2024 if on >= REGS_2024_IN_FORCE else RuleSet.REGS_2006
