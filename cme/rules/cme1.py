"""The CME1 checklist: a school's reasonable enquiries before a missing pupil leaves the roll.

Liverpool CME policy, "Identification processes" and FAQ 4: schools "should NOT remove any
child from their roll without following the checklist procedures, completing the checklist
form (CME1)" with "the signature of your PAEWS Officer", and "cannot remove pupil from roll
until reasonable enquiries have been made over a period of no less than four weeks".

The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208) reg
9(1)(i): a pupil "continuously absent from the school for at least twenty school days" may be
deleted only if "(iii) the proprietor and the local authority have jointly made reasonable
efforts to find out the pupil's location and circumstances but— (aa) they have not
succeeded; or (bb) they have succeeded and they agree that there are no reasonable grounds to
believe that the pupil will attend the school again". Reg 9(1)(h)(iii) is the same limb after
leave of absence.

The seed copy of the policy names the CME1 form ("School Checklist for Children Whose
Whereabouts are Unknown") in its contents but does not reproduce it; the steps below are the
ones issue 11 lists, which match the checks councils' own CME1-like forms ask for
(returns-and-enquiries.md section 3.2: Gloucestershire, Blackburn with Darwen, Herefordshire).

Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cme.rules._dates import require_date
from cme.rules.calendar import SchoolCalendar

POLICY = "Liverpool City Council, Children Missing from Education: Guidelines and Practice"
MINIMUM_CITATION = f'{POLICY} ("no less than four weeks"); SI 2024/208 reg 9(1)(i)'
JOINT_CITATION = "SI 2024/208 reg 9(1)(h)(iii) and (i)(iii)"
# Four school weeks: the policy's "no less than four weeks", counted in school days on the
# school's own calendar, as every clock in the register is (the 20 school days of reg 9(1)(i)).
MINIMUM_SCHOOL_DAYS = 20


class Party(StrEnum):
    """Who made an enquiry: reg 9(1)(i)(iii) asks for efforts made jointly."""

    SCHOOL = "school"
    COUNCIL = "council"
    JOINT = "joint"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    hint: str
    # Steps only the council can take: the school cannot record them as its own.
    council_only: bool = False


STEPS: tuple[Step, ...] = (
    Step("phone", "Telephone calls to parents and carers",
         "Every number the school holds, including emergency contacts."),
    Step("letter", "Letter to parents and carers", "To the last known address."),
    Step("email", "Email to parents and carers",
         "If the school holds no email address, record that it could not be done and why."),
    Step("home_visit", "Home visit", "A visit to the last known address."),
    Step("siblings_schools", "Siblings' schools",
         "Ask the schools of brothers and sisters whether they are still attending."),
    Step("friends_schools", "Friends and their schools",
         "Ask the pupil's friends, and their schools, what they know."),
    Step("other_agencies", "Other agencies",
         "For example health, children's social care, housing, police."),
    Step("paews", "The PAEWS officer's involvement",
         "What the school's PAEWS officer did (a visit, a check, advice).", council_only=True),
    Step("council_checks", "The council's own checks",
         "The CME team's checks: the EMS, the S2S lost pupil database, other councils.",
         council_only=True),
)  # fmt: skip
STEP_KEYS = frozenset(step.key for step in STEPS)
_BY_KEY = {step.key: step for step in STEPS}


def step(key: str) -> Step:
    return _BY_KEY[key]


class Outcome(StrEnum):
    """How the joint efforts ended (reg 9(1)(i)(iii) (aa) and (bb))."""

    NOT_FOUND = "not_found"
    FOUND_NOT_RETURNING = "found_not_returning"


@dataclass(frozen=True)
class EnquiryPeriod:
    """How long the enquiries have run, in school days on the school's calendar."""

    started_on: dt.date
    school_days: int  # from the first day of enquiries (day 1 if a school day) to `on`
    met_on: dt.date  # the 20th school day: from it the minimum period is met
    on: dt.date
    citation: str = MINIMUM_CITATION

    @property
    def met(self) -> bool:
        return self.on >= self.met_on


def enquiry_period(*, calendar: SchoolCalendar, started_on: dt.date, on: dt.date) -> EnquiryPeriod:
    """The minimum period of reasonable enquiries: 20 school days, the first day of enquiries
    counted as day 1 if it is a school day (as the absence of reg 9(1)(i) is counted).

    Policy: "no less than four weeks"; reg 9(1)(i): "at least twenty school days". Weekends,
    bank holidays, half terms and the school's own closures do not count. OutsideCalendar
    when the term dates do not reach the 20th school day or `on`.
    """
    started = require_date(started_on, "first day of enquiries")
    on = require_date(on, "date")
    met_on = calendar.nth_school_day_from(started, MINIMUM_SCHOOL_DAYS)
    days = 0 if on < started else calendar.school_days_between(started - dt.timedelta(days=1), on)
    return EnquiryPeriod(started_on=started, school_days=days, met_on=met_on, on=on)


@dataclass(frozen=True)
class RecordedStep:
    key: str
    party: Party
    done_on: dt.date


def submission_problems(
    *, steps: Iterable[RecordedStep], period: EnquiryPeriod | None, outcome: str
) -> list[str]:
    """Why a CME1 cannot yet go to the PAEWS officer, in words the school can act on; empty
    when it can. Every step on the form recorded (done, or why it could not be); at least one
    made jointly by the school and the council (reg 9(1)(i)(iii)); the minimum period run."""
    steps = list(steps)
    problems = []
    done = {s.key for s in steps}
    for missing in (s for s in STEPS if s.key not in done):
        problems.append(
            f'Record the step "{missing.title}": what was done, when, by whom and what came '
            "of it (or why it could not be done)."
        )
    if steps and not any(s.party is Party.JOINT for s in steps):
        problems.append(
            "No step was made jointly by the school and the council: the regulations need "
            f"efforts made jointly ({JOINT_CITATION}). Record at least one joint step."
        )
    if period is None:
        problems.append("Record the first enquiry so the minimum period can be counted.")
    elif not period.met:
        problems.append(
            f"The enquiries have run for {period.school_days} school "
            f"day{'s' if period.school_days != 1 else ''} since {period.started_on:%-d %B %Y}; "
            f'the minimum is {MINIMUM_SCHOOL_DAYS} school days ("no less than four weeks"). '
            f"It can be sent from {period.met_on:%-d %B %Y}."
        )
    if outcome not in {o.value for o in Outcome}:
        problems.append(
            "Say how the enquiries ended: the pupil was not found, or was found and the school "
            "and the council agree the pupil will not return."
        )
    return problems


def party_problem(*, key: str, party: str) -> str | None:
    """A step only the council takes cannot be the school's alone."""
    if key not in STEP_KEYS:
        return "Choose a step from the checklist."
    if party not in {p.value for p in Party}:
        return "Say who made the enquiry: the school, the council, or both jointly."
    if step(key).council_only and party == Party.SCHOOL:
        return (
            f'"{step(key).title}" is made by the council: choose the council, or jointly '
            "with the school."
        )
    return None
