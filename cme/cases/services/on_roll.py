"""A child found on a school's roll: the case names the school, and may close as on roll.

`case_close_on_roll` is the public service for every step that finds a child on a roll: the
Check step's confirmed EMS match, a school's new pupil return (`roll`), an answer to an
enquiry (`enquiries`). It is `case_close` with the outcome "Found on a school roll" and the
school named, so the same rules hold (docs/closing.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.schools.models import Establishment

from ..models import Case, CaseEventKind, Outcome
from ._shared import bump as _bump
from ._shared import locked as _locked
from .lifecycle import case_close
from .timeline import case_event_add


@transaction.atomic
def case_name_school(
    *,
    case: Case,
    school: Establishment,
    by: Any,
    why: str,
    kind: str = CaseEventKind.CHECK,
    expected_version: int | None = None,
) -> Case:
    """Make `school` the case's school (the last or current school the child is on roll at).

    `why` is the timeline's words (for example, "EMS match confirmed"). Naming the school the
    case already has changes nothing and writes nothing.
    """
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    case = _locked(case, expected_version)
    if not case.is_open:
        raise ValidationError("This case is closed. Reopen it before changing its school.")
    if case.school_id == school.pk:
        return case
    before = case.school
    case.school = school
    _bump(case, "school")
    was = f" (was {before.name})" if before else ""
    case_event_add(
        case=case,
        kind=kind,
        by=by,
        text=f"School named: {school.name}, URN {school.urn}{was}. {why.strip()}".strip(),
    )
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=case,
        child_id=case.child_id,
        details={
            "school_urn": school.urn,
            "previous_school_urn": before.urn if before else None,
            "why": why.strip(),
        },
    )
    return case


def case_close_on_roll(
    *,
    case: Case,
    school: Establishment,
    by: Any,
    note: str = "",
    closed_on: date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """Close the case as "Found on a school roll" at `school`.

    For other apps (school returns, enquiries) as well as the Check step. The school becomes
    the case's school. Refused, with a ValidationError naming the field, as `case_close` is:
    a closed case; an unresolved safeguarding concern; a closing date before the case opened
    or in the future; open action plan actions, or no plan once past engagement, without a
    `reason` (kept on the timeline and in the audit trail). NotAllowed for a user who may
    not close cases. `note` defaults to saying where the child was found.
    """
    return case_close(
        case=case,
        outcome=Outcome.ON_ROLL,
        by=by,
        note=note.strip() or f"On roll at {school.name}.",
        closed_on=closed_on,
        school=school,
        reason=reason,
        expected_version=expected_version,
    )
