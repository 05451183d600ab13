"""What an answer offers the officer next: the answer moves the case only when they say so.

- "On roll" (a CME3b from a school, or a CME4 naming a school) offers to close the case as on
  roll there.
- "Left for another council's area" (a CME3b, a home visit, an agency's answer naming an LA
  code), or a CME4 answered "known to our CME team", offers a CME4 (or a CME5a) to that council.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from cme.cases.models import Case
from cme.cases.services import case_close_on_roll
from cme.core.errors import ValidationError
from cme.rules.la_codes import la_name
from cme.schools.models import Establishment

from .models import Enquiry, Kind, Outcome, State


@dataclass(frozen=True)
class NextSteps:
    close_on_roll_at: str = ""  # the school's name, when the answer says "on roll"
    on_roll_from: date | None = None
    cme4_to: str = ""  # an LA code, when the answer points at another council
    cme4_to_name: str = ""


def next_steps(enquiry: Enquiry) -> NextSteps:
    if enquiry.state != State.ANSWERED or not enquiry.case.is_open:
        return NextSteps()
    on_roll_at = ""
    if enquiry.outcome == Outcome.ON_ROLL:
        on_roll_at = enquiry.recipient_name if enquiry.kind == Kind.CME3A else enquiry.on_roll_at
    code = enquiry.moved_to_la_code
    if (
        code
        and code != settings.CME_LA_CODE
        and not Enquiry.objects.filter(
            case_id=enquiry.case_id, kind=Kind.CME4, recipient_la_code=code
        ).exists()
    ):
        return NextSteps(on_roll_at, enquiry.on_roll_from, code, la_name(code) or code)
    return NextSteps(close_on_roll_at=on_roll_at, on_roll_from=enquiry.on_roll_from)


@transaction.atomic
def close_on_roll(*, enquiry: Enquiry, by: Any, expected_version: int | None = None) -> Case:
    """Close the case as on roll at the school the answer names (the case's closing service,
    which checks who may close and the case's state)."""
    steps = next_steps(enquiry)
    if not steps.close_on_roll_at:
        raise ValidationError("This answer does not say the child is on a school roll.")
    since = f" from {steps.on_roll_from:%-d %B %Y}" if steps.on_roll_from else ""
    # Closing as on roll names the school (cme.cases.closing): the school asked, for a CME3a;
    # for an answer that names a school, that school if the establishments list has it.
    school = (
        enquiry.recipient_school
        if enquiry.kind == Kind.CME3A
        else Establishment.objects.filter(name__iexact=steps.close_on_roll_at.strip()).first()
    )
    if school is None:
        raise ValidationError(
            f"The answer names {steps.close_on_roll_at}, which is not in the list of schools. "
            "Close the case from the case page, giving the school's URN."
        )
    return case_close_on_roll(
        case=enquiry.case,
        school=school,
        by=by,
        note=f"On roll at {steps.close_on_roll_at}{since} ({enquiry.answer_name}, "
        f"enquiry {enquiry.reference}).",
        expected_version=expected_version,
    )
