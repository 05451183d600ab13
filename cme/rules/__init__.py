"""The statutory rules engine: pure Python, no Django.

Every clock and every yes/no in the register comes from here; each rule's docstring cites the
act or regulation it implements, and ``docs/rules.md`` explains each with worked examples.
"""

from cme.rules.calendar import SchoolCalendar, england_bank_holidays
from cme.rules.errors import (
    CalendarError,
    InvalidArgument,
    InvalidDate,
    InvalidUpn,
    OutsideCalendar,
    RulesError,
    UnknownGround,
)
from cme.rules.school_age import (
    CompulsorySchoolAge,
    compulsory_school_age,
    is_compulsory_school_age,
    prescribed_days,
    school_leaving_date,
)
from cme.rules.upn import is_temporary_upn, normalise_upn, upn_check_letter, validate_upn

__all__ = [
    "CalendarError",
    "CompulsorySchoolAge",
    "InvalidArgument",
    "InvalidDate",
    "InvalidUpn",
    "OutsideCalendar",
    "RulesError",
    "SchoolCalendar",
    "UnknownGround",
    "compulsory_school_age",
    "england_bank_holidays",
    "is_compulsory_school_age",
    "is_temporary_upn",
    "normalise_upn",
    "prescribed_days",
    "school_leaving_date",
    "upn_check_letter",
    "validate_upn",
]
