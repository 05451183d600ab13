"""A deletion assessed by the rules engine with the facts the register holds.

The school says what happened (its facts: the ground's limbs it can speak to, the absence, a
traveller's dates); the register adds what only it can vouch for: the continuous absence
counted on the school's own calendar, the council's part in joint enquiries and the CME1
sign-off, whether the pupil is already on another roll in the city. A school cannot claim the
council's enquiries for itself.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from cme.calendars.selectors import school_calendar
from cme.checklist.selectors import signed_off_cme1
from cme.checks.models import PupilOnRoll
from cme.people.models import Child
from cme.rules import (
    AgeStatus,
    DeletionAssessment,
    DeletionFacts,
    DeletionGround,
    RulesError,
    assess_deletion,
    is_compulsory_school_age,
)
from cme.schools.models import Establishment

POLICY = "Liverpool City Council, Children Missing from Education: Guidelines and Practice"

# What a school may tell us, by DeletionFacts field. The rest is the register's to say.
SCHOOL_FLAGS = (
    "ceased_to_attend",
    "expected_to_attend_again",
    "registered_at_another_school",
    "dual_registration_agreed",
    "other_schools_consented",
    "sao_names_this_school",
    "sao_amended_or_revoked",
    "parent_written_notice_home_education",
    "lives_beyond_reasonable_distance",
    "boarder",
    "sickness_or_unavoidable_cause_believed",
    "whereabouts_known",
    "moved_within_city",
    "medically_unfit",
    "expected_back_after_detention",
    "died",
    "ceases_csa_before_school_next_meets",
    "leaving_indicated_or_no_sixth_form_place",
    "ceased_to_be_pupil",
    "permanently_excluded",
    "nursery_completed_not_transferring",
    "boarding_charges_unpaid_at_term_end",
    "completed_final_year",
)
SCHOOL_DATES = ("first_day_absent", "leave_ended_on", "traveller_left_on", "traveller_return_date")
DAY = timedelta(days=1)
ATTENDANCE_CODES = frozenset("/\\BCDEGIJKLMNOPQRSTUVWXYZ#")


@dataclasses.dataclass(frozen=True)
class Assessed:
    assessment: DeletionAssessment
    facts: DeletionFacts
    age_status: AgeStatus
    notes: tuple[str, ...]

    def reasons(self) -> list[dict[str, str]]:
        """Each reason with what it cites: the regulation, or the local policy."""
        ground = self.assessment.ground
        out = []
        for text in self.assessment.reasons:
            if text.startswith("Local policy:"):
                out.append({"text": text.removeprefix("Local policy:").strip(), "cites": POLICY})
            else:
                out.append({"text": text, "cites": ground.citation})
        return out


def age_status_on(date_of_birth: date | None, on: date) -> tuple[AgeStatus, str]:
    """Of compulsory school age on `on`? Without a date of birth, taken to be (and said)."""
    if date_of_birth is None:
        return AgeStatus.COMPULSORY, "No date of birth: assessed as of compulsory school age."
    try:
        compulsory = is_compulsory_school_age(date_of_birth, on)
    except RulesError:
        return (
            AgeStatus.COMPULSORY,
            "The date of birth is outside the age rules: assessed as of compulsory school age.",
        )
    return (AgeStatus.COMPULSORY if compulsory else AgeStatus.NOT_COMPULSORY), ""


def _absence_days(school: Establishment, first_day: date, deleted_on: date) -> tuple[int, str]:
    """School days from the first day absent up to the day before the deletion."""
    if first_day >= deleted_on:
        return 0, ""
    try:
        days = school_calendar(school.pk).school_days_between(first_day - DAY, deleted_on - DAY)
    except RulesError as error:
        return 0, f"The absence could not be counted in school days: {error}."
    return days, ""


def _on_another_roll_in_city(*, school: Establishment, child: Child | None, upn: str) -> bool:
    """A new pupil return from another school in the city names the child, or the EMS roll
    of another school in the city holds their UPN."""
    from cme.roll.models import NewPupilReturn

    others = NewPupilReturn.objects.exclude(school=school).filter(school__la_code=school.la_code)
    if child is not None and others.filter(child=child).exists():
        return True
    if upn and others.filter(upn=upn).exists():
        return True
    return bool(
        upn
        and PupilOnRoll.objects.filter(
            upn=upn, establishment__la_code=school.la_code, leaving_date__isnull=True
        )
        .exclude(establishment=school)
        .exists()
    )


@dataclasses.dataclass(frozen=True)
class RegisterHeld:
    """The facts only the register can vouch for (the CME1 and the council's enquiries)."""

    school_enquiries_made: bool = False
    la_enquiries_made: bool = False
    whereabouts_known: bool | None = None
    enquiries_started_on: date | None = None
    cme1_signed_off: bool = False
    enquiry_school_days: int | None = None
    agreed_will_not_return: bool = False
    cme1_referral_id: int | None = None


def register_held(
    *, school: Establishment, pupil: dict[str, Any], deleted_on: date
) -> RegisterHeld:
    """What the register holds for this deletion: the school's signed-off CME1 for the pupil,
    with the joint enquiries it records (cme.checklist, docs/cme1.md); nothing without one."""
    held = signed_off_cme1(
        school=school,
        upn=pupil["upn"],
        forename=pupil["forename"],
        surname=pupil["surname"],
        date_of_birth=pupil["date_of_birth"],
        deleted_on=deleted_on,
    )
    if held is None:
        return RegisterHeld()
    return RegisterHeld(
        school_enquiries_made=held.school_enquiries_made,
        la_enquiries_made=held.la_enquiries_made,
        whereabouts_known=held.whereabouts_known,
        enquiries_started_on=held.enquiries_started_on,
        cme1_signed_off=True,
        enquiry_school_days=held.enquiry_school_days,
        agreed_will_not_return=held.agreed_will_not_return,
        cme1_referral_id=held.referral_id,
    )


def deletion_assess(
    *,
    school: Establishment,
    child: Child | None,
    pupil: dict[str, Any],
    ground: DeletionGround,
    deleted_on: date,
    facts: dict[str, Any],
    destination_known: bool,
    held: RegisterHeld | None = None,
) -> Assessed:
    held = held or RegisterHeld()
    notes: list[str] = []
    age_status, age_note = age_status_on(pupil["date_of_birth"], deleted_on)
    if age_note:
        notes.append(age_note)
    given: dict[str, Any] = {k: bool(facts[k]) for k in SCHOOL_FLAGS if k in facts}
    moved_within_city = given.pop("moved_within_city", False)
    codes = tuple(str(c).strip().upper() for c in facts.get("absence_codes") or ())
    absence_days = 0
    if facts.get("first_day_absent"):
        absence_days, problem = _absence_days(school, facts["first_day_absent"], deleted_on)
        if problem:
            notes.append(problem)
    leave_days = 0
    if facts.get("leave_ended_on"):
        leave_days, problem = _absence_days(school, facts["leave_ended_on"], deleted_on)
        if problem:
            notes.append(problem)
    whereabouts = held.whereabouts_known
    if whereabouts is None:
        whereabouts = bool(given.get("whereabouts_known")) or destination_known
    given.pop("whereabouts_known", None)
    traveller = (
        facts.get("traveller_left_on") is not None or facts.get("traveller_return_date") is not None
    )
    built = DeletionFacts(
        **given,
        continuous_absence_school_days=absence_days,
        absence_codes=codes,
        school_enquiries_made=held.school_enquiries_made,
        la_enquiries_made=held.la_enquiries_made,
        whereabouts_known=whereabouts,
        enquiries_started_on=held.enquiries_started_on,
        cme1_signed_off=held.cme1_signed_off,
        enquiry_school_days=held.enquiry_school_days,
        agreed_will_not_return=held.agreed_will_not_return,
        new_address_in_same_la=moved_within_city,
        on_another_roll_in_la=_on_another_roll_in_city(
            school=school, child=child, upn=pupil["upn"]
        ),
        traveller=traveller,
        traveller_left_on=facts.get("traveller_left_on"),
        traveller_return_date=facts.get("traveller_return_date"),
        leave_ended_on=facts.get("leave_ended_on"),
        school_days_since_leave_ended=leave_days,
        detention_order_months=int(facts.get("detention_order_months") or 0),
    )
    assessment = assess_deletion(
        ground=ground, deleted_on=deleted_on, age_status=age_status, facts=built
    )
    return Assessed(assessment=assessment, facts=built, age_status=age_status, notes=tuple(notes))


def facts_as_json(facts: DeletionFacts) -> dict[str, Any]:
    out = {}
    for name, value in dataclasses.asdict(facts).items():
        out[name] = (
            value.isoformat()
            if isinstance(value, date)
            else (list(value) if isinstance(value, tuple) else value)
        )
    return out
