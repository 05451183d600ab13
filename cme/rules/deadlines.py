"""Every statutory and policy clock, computed in one place from a SchoolCalendar.

Each function returns a ``Deadline`` naming the rule that produced it. Where the law counts
plain "days" (the new-pupil return), the deadline is in calendar days and says so; everything
counted in school days lands on a school day.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from cme.rules._dates import require_date
from cme.rules.calendar import SchoolCalendar
from cme.rules.errors import InvalidDate
from cme.rules.regulations import RuleSet, rule_set_for

CTF_SCHOOL_DAYS = 15
NEW_PUPIL_RETURN_DAYS = 5
ATTENDANCE_RETURN_SCHOOL_DAYS = 10
SICKNESS_RETURN_DAYS = 15
CONTINUOUS_ABSENCE_SCHOOL_DAYS = 20
LEAVE_RETURN_SCHOOL_DAYS = 10
POLICY_FOUR_WEEKS = dt.timedelta(weeks=4)
NEW_PUPIL_RETURNS_BEGIN = dt.date(2016, 9, 1)  # SI 2016/792 reg 5, substituting 2006 reg 12(3)

LIVERPOOL_POLICY = "Liverpool City Council, Children Missing Education policy"


class Counting(enum.Enum):
    SCHOOL_DAYS = "school days"
    DAYS = "days"
    SAME_DAY = "no later than the event itself"


class DeadlineKind(enum.Enum):
    CTF_AFTER_LEAVING = "CTF to the new school"
    CTF_AFTER_REQUEST = "CTF on request from the new school"
    NEW_PUPIL_RETURN = "new-pupil return to the LA"
    DELETION_RETURN = "deletion return to the LA"
    ATTENDANCE_RETURN = "pupil enters the attendance return (10 school days unauthorised)"
    SICKNESS_RETURN = "sickness return (15 days)"
    CONTINUOUS_ABSENCE = "20 school days of continuous absence reached"
    LEAVE_NOT_RETURNED = "10 school days after leave of absence ended"
    POLICY_ENQUIRIES = "four weeks of enquiries (local policy)"
    TRAVELLER_CHECKLIST = "traveller away four weeks with no return date (local policy)"


@dataclass(frozen=True)
class Deadline:
    """A date a duty falls due or a condition is met, with the rule that produced it.

    ``due`` is the last day on which the duty can be met, or for a condition the day at whose
    end it is met. ``count`` ``counting`` after ``counted_from`` give ``due``.
    """

    kind: DeadlineKind
    due: dt.date
    counted_from: dt.date
    count: int
    counting: Counting
    citation: str
    rule: str
    note: str = ""


def _absence_day(calendar: SchoolCalendar, first_day: dt.date, n: int) -> dt.date:
    return calendar.nth_school_day_from(require_date(first_day, "first day of absence"), n)


def ctf_due_after_leaving(*, calendar: SchoolCalendar, ceased_on: dt.date) -> Deadline:
    """CTF to the new school within 15 school days of the pupil ceasing to be registered.

    The Education (Pupil Information) (England) Regulations 2005 (SI 2005/1437) reg 9(3). The
    word "school" before "days" in 9(3) is INFERRED from the parallel reg 9(3B) (SI 2008/1747)
    and stated by the Liverpool policy ("within 15 school days").
    """
    return Deadline(
        kind=DeadlineKind.CTF_AFTER_LEAVING,
        due=calendar.add_school_days(ceased_on, CTF_SCHOOL_DAYS),
        counted_from=ceased_on,
        count=CTF_SCHOOL_DAYS,
        counting=Counting.SCHOOL_DAYS,
        citation=f"SI 2005/1437 reg 9(3) (as read with reg 9(3B)); {LIVERPOOL_POLICY}",
        rule="Send the common transfer file within 15 school days of the pupil leaving the roll.",
        note="If the new school is not known, send it to the Lost Pupil Database as XXXXXXX.",
    )


def ctf_due_after_request(*, calendar: SchoolCalendar, requested_on: dt.date) -> Deadline:
    """CTF within 15 school days of a request from the pupil's new school (Liverpool policy)."""
    return Deadline(
        kind=DeadlineKind.CTF_AFTER_REQUEST,
        due=calendar.add_school_days(requested_on, CTF_SCHOOL_DAYS),
        counted_from=requested_on,
        count=CTF_SCHOOL_DAYS,
        counting=Counting.SCHOOL_DAYS,
        citation=f"{LIVERPOOL_POLICY} (Common Transfer File Requirement); SI 2005/1437 reg 9",
        rule="Send the common transfer file within 15 school days of the new school asking.",
    )


def new_pupil_return_due(*, entered_on: dt.date) -> Deadline:
    """New-pupil return by the end of the fifth day after entry in the admission register.

    2024: SI 2024/208 reg 13(1) (not for the most junior class starting on the first day of the
    school year unless the LA asks, reg 13(2)-(3)). Before 19 Aug 2024: SI 2006/1751 reg 12(3)
    as substituted by SI 2016/792 from 1 Sep 2016. Both say "day", not "school day", so this
    clock runs in calendar days and may fall on a weekend.
    """
    entered_on = require_date(entered_on, "date of entry")
    if entered_on < NEW_PUPIL_RETURNS_BEGIN:
        raise InvalidDate(f"no new-pupil return duty existed on {entered_on} (began 1 Sep 2016)")
    citation = (
        "SI 2024/208 reg 13(1)"
        if rule_set_for(entered_on) is RuleSet.REGS_2024
        else "SI 2006/1751 reg 12(3) (as substituted by SI 2016/792)"
    )
    return Deadline(
        kind=DeadlineKind.NEW_PUPIL_RETURN,
        due=entered_on + dt.timedelta(days=NEW_PUPIL_RETURN_DAYS),
        counted_from=entered_on,
        count=NEW_PUPIL_RETURN_DAYS,
        counting=Counting.DAYS,
        citation=citation,
        rule="Tell the LA of a new pupil by the end of the fifth day after their entry.",
        note="The regulation says 'day', not 'school day': counted in calendar days.",
    )


def deletion_return_due(*, deleted_on: dt.date) -> Deadline:
    """Deletion return as soon as the ground is met and no later than the deletion itself.

    2024: SI 2024/208 reg 13(4) (timing wording, believed reg 13(6), UNVERIFIED). Before:
    SI 2006/1751 reg 12(6) as substituted by SI 2016/792 (reg 12(3) as made before 1 Sep 2016,
    for grounds (d), (e), (g), (i) and (m) only).
    """
    deleted_on = require_date(deleted_on, "date of deletion")
    citation = (
        "SI 2024/208 reg 13(4)"
        if rule_set_for(deleted_on) is RuleSet.REGS_2024
        else "SI 2006/1751 reg 12(6) (as substituted by SI 2016/792; reg 12(3) before 2016)"
    )
    return Deadline(
        kind=DeadlineKind.DELETION_RETURN,
        due=deleted_on,
        counted_from=deleted_on,
        count=0,
        counting=Counting.SAME_DAY,
        citation=citation,
        rule="Make the deletion return to the LA no later than deleting the pupil's name.",
    )


def attendance_return_trigger(*, calendar: SchoolCalendar, first_day_absent: dt.date) -> Deadline:
    """The day a pupil has been absent, unauthorised, for 10 continuous school days.

    From then the pupil must be in the attendance return made at the interval agreed with the
    LA (at least monthly). SI 2006/1751 reg 12(1)(b); the 2024 equivalent sits in SI 2024/208
    reg 13 (paragraph number UNVERIFIED) and counts codes G, N, O and U.
    """
    return Deadline(
        kind=DeadlineKind.ATTENDANCE_RETURN,
        due=_absence_day(calendar, first_day_absent, ATTENDANCE_RETURN_SCHOOL_DAYS),
        counted_from=first_day_absent,
        count=ATTENDANCE_RETURN_SCHOOL_DAYS,
        counting=Counting.SCHOOL_DAYS,
        citation="SI 2006/1751 reg 12(1)(b); SI 2024/208 reg 13 (paragraph UNVERIFIED)",
        rule="A pupil absent without authority for 10 school days in a row goes on the return.",
        note="Counted with the first day missed as day 1.",
    )


def sickness_return_trigger(*, calendar: SchoolCalendar, first_day_ill: dt.date) -> Deadline:
    """The 15th day of continuous absence through illness (code I): the sickness return.

    SI 2024/208 (new in 2024; regulation and paragraph UNVERIFIED; DfE guidance via Derbyshire
    and Hertfordshire). The guidance says "15 days"; a pupil can miss only school days, so they
    are counted as school days. The duty arises as soon as the school has reasonable grounds to
    believe the pupil will miss 15 days (consecutive or cumulative): this date is the latest.
    """
    return Deadline(
        kind=DeadlineKind.SICKNESS_RETURN,
        due=_absence_day(calendar, first_day_ill, SICKNESS_RETURN_DAYS),
        counted_from=first_day_ill,
        count=SICKNESS_RETURN_DAYS,
        counting=Counting.SCHOOL_DAYS,
        citation="SI 2024/208 (sickness return; paragraph UNVERIFIED)",
        rule="Tell the LA of a pupil who will miss 15 days through illness, once per illness.",
        note="'15 days' read as school days missed; report earlier if the absence is foreseen.",
    )


def continuous_absence_trigger(*, calendar: SchoolCalendar, first_day_absent: dt.date) -> Deadline:
    """The 20th school day of continuous unauthorised absence: deletion ground possible after.

    SI 2006/1751 reg 8(1)(h); SI 2024/208 reg 9(1)(i) (every session G, N or O).
    """
    first_day_absent = require_date(first_day_absent, "first day of absence")
    regs = rule_set_for(first_day_absent)
    return Deadline(
        kind=DeadlineKind.CONTINUOUS_ABSENCE,
        due=_absence_day(calendar, first_day_absent, CONTINUOUS_ABSENCE_SCHOOL_DAYS),
        counted_from=first_day_absent,
        count=CONTINUOUS_ABSENCE_SCHOOL_DAYS,
        counting=Counting.SCHOOL_DAYS,
        citation="SI 2024/208 reg 9(1)(i)"
        if regs is RuleSet.REGS_2024
        else "SI 2006/1751 reg 8(1)(h)",
        rule="20 school days of continuous unauthorised absence, met at the end of this day.",
        note="Deletion also needs joint school and LA enquiries that failed to find the pupil.",
    )


def leave_not_returned_trigger(*, calendar: SchoolCalendar, leave_ended_on: dt.date) -> Deadline:
    """The last of the 10 school days immediately following the end of leave of absence.

    SI 2006/1751 reg 8(1)(f)(i); SI 2024/208 reg 9(1)(h) (wording UNVERIFIED, believed the same).
    """
    leave_ended_on = require_date(leave_ended_on, "last day of leave")
    regs = rule_set_for(leave_ended_on)
    return Deadline(
        kind=DeadlineKind.LEAVE_NOT_RETURNED,
        due=calendar.add_school_days(leave_ended_on, LEAVE_RETURN_SCHOOL_DAYS),
        counted_from=leave_ended_on,
        count=LEAVE_RETURN_SCHOOL_DAYS,
        counting=Counting.SCHOOL_DAYS,
        citation="SI 2024/208 reg 9(1)(h)"
        if regs is RuleSet.REGS_2024
        else "SI 2006/1751 reg 8(1)(f)",
        rule="A pupil who has not come back within 10 school days after leave ended.",
    )


def policy_enquiries_complete(*, enquiries_started_on: dt.date) -> Deadline:
    """Four weeks of reasonable enquiries before a missing pupil leaves the roll (local policy).

    Liverpool CME policy: "Schools cannot remove pupil from roll until reasonable enquiries have
    been made over a period of no less than four weeks". Weeks are calendar weeks.
    """
    started = require_date(enquiries_started_on, "date enquiries started")
    return Deadline(
        kind=DeadlineKind.POLICY_ENQUIRIES,
        due=started + POLICY_FOUR_WEEKS,
        counted_from=started,
        count=28,
        counting=Counting.DAYS,
        citation=LIVERPOOL_POLICY,
        rule="Enquiries must have run for at least four weeks before removal from roll.",
    )


def traveller_checklist_due(*, left_on: dt.date) -> Deadline:
    """A traveller child away over four weeks with no return date goes through CME1.

    Liverpool CME policy, FAQ 7. After ``due`` the child has been away more than four weeks.
    """
    left_on = require_date(left_on, "date the family left")
    return Deadline(
        kind=DeadlineKind.TRAVELLER_CHECKLIST,
        due=left_on + POLICY_FOUR_WEEKS,
        counted_from=left_on,
        count=28,
        counting=Counting.DAYS,
        citation=f"{LIVERPOOL_POLICY}, FAQ 7",
        rule="Away over four weeks with no return date: follow the CME1 checklist first.",
    )
