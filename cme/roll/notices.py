"""Telling the old school it may now delete: a pupil watched at one school (kept on its roll
while the family moved within the city, or deleted unlawfully and directed back) is confirmed
by the officer as the pupil another school's new pupil return names. SI 2024/208 reg 9(1)(a):
"the pupil has been registered at another school", so the old school may now delete, and the
policy's rule that a pupil who moved within the city "must not be removed from roll until
taken onto the roll of another school" is met. A reinstatement direction still waiting is no
longer needed.

Not for a traveller: reg 9(1)(a)(ii) keeps a mobile child on the roll of their main school
even when they are registered at another.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from cme.accounts.models import Role, User
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.notify import absolute, email_on_commit

from .direction_models import DirectionStatus, ReinstatementDirection, RollNotice
from .models import NewPupilReturn
from .watch_models import WatchedPupil, WatchReason

CITATION = (
    "SI 2024/208 reg 9(1)(a); Liverpool City Council, Children Missing from Education: "
    "Guidelines and Practice (a move within the city)"
)


def roll_notice_may_delete(
    *, watched: WatchedPupil, record: NewPupilReturn, by: Any
) -> RollNotice | None:
    """Inside the match confirmation's transaction."""
    if watched.reason == WatchReason.TRAVELLER:
        return None
    school = record.school
    text = (
        f"{watched.pupil_name} is on the roll of {school.name} from "
        f"{record.admitted_on:%-d %B %Y} (its new pupil return, confirmed by the council). "
        "You may now delete the pupil from your admission register on ground 9(1)(a), "
        "registered at another school, and make a deletion return when you do. Send the "
        "pupil's Common Transfer File to the new school within 15 school days."
    )
    notice = RollNotice.objects.create(
        school=watched.school,
        child_id=watched.child_id or record.child_id,
        new_pupil_return=record,
        pupil_name=watched.pupil_name,
        text=text,
        citation=CITATION,
        issued_at=timezone.now(),
    )
    audit_record(
        actor=by,
        verb=Verb.CREATE,
        subject=notice,
        child_id=notice.child_id,
        details={"notice": "may_delete_9_1_a", "new_pupil_return": record.pk},
    )
    for direction in ReinstatementDirection.objects.select_for_update().filter(
        watched=watched, status=DirectionStatus.AWAITING
    ):
        direction.status = DirectionStatus.SUPERSEDED
        direction.note = f"On roll at {school.name} from {record.admitted_on:%-d %B %Y}."
        direction.save(update_fields=["status", "note"])
        audit_record(
            actor=by,
            verb=Verb.TRANSITION,
            subject=direction,
            child_id=direction.child_id,
            details={"status": direction.status},
        )
    staff = User.objects.filter(
        role=Role.SCHOOL_STAFF, is_active=True, organisation__establishment=watched.school
    ).values_list("email", flat=True)
    # No name in an email: the notice is on the school's returns page.
    email_on_commit(
        to=list(staff),
        subject="CME Register: a notice about your roll",
        body=(
            "The council has sent your school a notice about a pupil on your roll.\n\n"
            f"Sign in to read it: {absolute(reverse('school-returns:list'))}\n"
        ),
    )
    return notice
