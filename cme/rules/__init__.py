"""The statutory rules engine: pure Python, no Django.

Every clock and every yes/no in the register comes from here; each rule's docstring cites the
act or regulation it implements, and ``docs/rules.md`` explains each with worked examples.
"""

from cme.rules.calendar import SchoolCalendar, england_bank_holidays
from cme.rules.ctf import CtfDestination, Destination, ctf_destination
from cme.rules.deadlines import (
    Counting,
    Deadline,
    DeadlineKind,
    attendance_return_trigger,
    continuous_absence_trigger,
    ctf_due_after_leaving,
    ctf_due_after_request,
    deletion_return_due,
    leave_not_returned_trigger,
    new_pupil_return_due,
    policy_enquiries_complete,
    sickness_return_trigger,
    traveller_checklist_due,
)
from cme.rules.deletion import (
    AgeStatus,
    DeletionAssessment,
    DeletionFacts,
    DeletionGround,
    assess_deletion,
    deletion_grounds,
    get_ground,
    ground_for_reference,
    return_ground_references,
)
from cme.rules.errors import (
    CalendarError,
    InvalidArgument,
    InvalidDate,
    InvalidUpn,
    OutsideCalendar,
    RulesError,
    UnknownGround,
)
from cme.rules.regulations import RuleSet, rule_set_for
from cme.rules.school_age import (
    CompulsorySchoolAge,
    compulsory_school_age,
    is_compulsory_school_age,
    prescribed_days,
    school_leaving_date,
)
from cme.rules.upn import is_temporary_upn, normalise_upn, upn_check_letter, validate_upn

__all__ = [
    "AgeStatus",
    "CalendarError",
    "CompulsorySchoolAge",
    "Counting",
    "CtfDestination",
    "Deadline",
    "DeadlineKind",
    "DeletionAssessment",
    "DeletionFacts",
    "DeletionGround",
    "Destination",
    "InvalidArgument",
    "InvalidDate",
    "InvalidUpn",
    "OutsideCalendar",
    "RuleSet",
    "RulesError",
    "SchoolCalendar",
    "UnknownGround",
    "assess_deletion",
    "attendance_return_trigger",
    "compulsory_school_age",
    "continuous_absence_trigger",
    "ctf_destination",
    "ctf_due_after_leaving",
    "ctf_due_after_request",
    "deletion_grounds",
    "deletion_return_due",
    "england_bank_holidays",
    "get_ground",
    "ground_for_reference",
    "is_compulsory_school_age",
    "is_temporary_upn",
    "leave_not_returned_trigger",
    "new_pupil_return_due",
    "normalise_upn",
    "policy_enquiries_complete",
    "prescribed_days",
    "return_ground_references",
    "rule_set_for",
    "school_leaving_date",
    "sickness_return_trigger",
    "traveller_checklist_due",
    "upn_check_letter",
    "validate_upn",
]
