"""Demo CME1 checklists (docs/cme1.md): at each demo school with a sign-in, pupils from its EMS
roll whose whereabouts are unknown, one checklist in each state (in progress, sent to the
PAEWS officer, returned with reasons, signed off with a referral).

Each goes through the checklist services, as the school and its PAEWS officer would; called
after the term dates are loaded, since the minimum period counts school days. The services
judge dates against today, so a demo built for another day skips a checklist they refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from cme.accounts.models import Role
from cme.checklist import services
from cme.checks.models import PupilOnRoll
from cme.referrals.models import Referral
from cme.rules.cme1 import STEPS

from .accounts import Staff

# (the state, how many calendar days before the as-of date the enquiries began)
STATES = [("open", 8), ("submitted", 40), ("returned", 42), ("signed_off", 45)]
RETURNED = (
    "The home visit is recorded before the family was last seen. Visit the address again, "
    "with the PAEWS officer, and record what the neighbours say."
)


def _steps(checklist: object, *, by: object, began: date, all_of_them: bool) -> None:
    for index, step in enumerate(STEPS if all_of_them else STEPS[:3]):
        joint = step.council_only or step.key == "home_visit"
        services.checklist_step_add(
            checklist=checklist,  # type: ignore[arg-type]
            by=by,
            kind=step.key,
            done_on=began + timedelta(days=index),
            party="joint" if joint else "school",
            done_by=("Attendance lead, with the PAEWS officer" if joint else "Attendance lead"),
            outcome="No reply and no one at the address; no one knows where the family went.",
            could_not_be_done=step.key == "email",
        )


def _one(
    *,
    school_user: object,
    pupil: PupilOnRoll,
    state: str,
    began: date,
    reference: Callable[[], str],
) -> None:
    checklist = services.checklist_open(
        by=school_user,
        pupil={
            "forename": pupil.forename,
            "surname": pupil.surname,
            "date_of_birth": pupil.date_of_birth,
            "sex": pupil.sex,
            "upn": pupil.upn,
            "address_line_1": pupil.address,
            "postcode": pupil.postcode,
        },
        first_day_absent=began - timedelta(days=3),
    )
    _steps(checklist, by=school_user, began=began, all_of_them=state != "open")
    if state == "open":
        return
    checklist = services.checklist_submit(checklist=checklist, by=school_user, outcome="not_found")
    officer = checklist.submitted_to
    if state == "returned":
        services.checklist_return(checklist=checklist, by=officer, reasons=RETURNED)
    elif state == "signed_off":
        done = services.checklist_sign_off(checklist=checklist, by=officer)
        # The service draws a reference from the system's randomness; the demo is the same
        # for the same seed, so its referral takes one from the seeded generator.
        if done.referral_id is not None:
            Referral.objects.filter(pk=done.referral_id).update(reference=reference())


def load_demo_checklists(*, as_of: date, staff: Staff, reference: Callable[[], str]) -> int:
    made = 0
    school_users = [u for u in staff.by_role(Role.SCHOOL_STAFF) if u.organisation]
    for school_user in school_users:
        school = school_user.organisation.establishment if school_user.organisation else None
        if school is None or school.paews_officer_id is None:
            continue
        pupils = PupilOnRoll.objects.filter(
            establishment=school, leaving_date__isnull=True, date_of_birth__isnull=False
        ).order_by("pk")
        for pupil, (state, days) in zip(pupils, STATES, strict=False):
            try:
                _one(
                    school_user=school_user,
                    pupil=pupil,
                    state=state,
                    began=as_of - timedelta(days=days),
                    reference=reference,
                )
            except ValidationError:
                continue  # a date the services refuse for the day the demo is built
            made += 1
    return made
