"""Chasing an enquiry that is past its due date, and escalating it after the second chase.

`enquiries_chase_due` is the daily job (`cme chase-enquiries`, or queued for the worker with
`--queue`): every unanswered enquiry past its due date is chased, with a new due date the
same interval on; one already chased twice is escalated to the CME managers instead
(cme.rules.enquiry_due). The officer can also chase one by hand from its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.rules.enquiry_due import should_escalate

from ..models import EmailPurpose, Enquiry, State
from ._shared import bump, email_escalation, locked, require_enquiry_writer, timeline
from .sending import _deliver, _due


@transaction.atomic
def enquiry_chase(
    *, enquiry: Enquiry, by: Any, today: date | None = None, expected_version: int | None = None
) -> Enquiry:
    """Chase an unanswered enquiry once it is due: a reminder (and for a recipient with no
    account a new link, the old one withdrawn), and a new due date. `by` is None for the job."""
    if by is not None:
        require_enquiry_writer(by, enquiry.case, kind=enquiry.kind)
    today = today or timezone.localdate()
    enquiry = locked(enquiry, expected_version)
    if enquiry.state != State.OUTSTANDING:
        raise ValidationError("Only an enquiry still waiting for an answer can be chased.")
    if enquiry.escalated_on is not None:
        raise ValidationError("This enquiry has been escalated; the CME team follows it up.")
    if should_escalate(enquiry.chases):
        raise ValidationError("This enquiry has been chased twice already: escalate it instead.")
    if enquiry.due_on > today:
        raise ValidationError(
            f"This enquiry is not due until {enquiry.due_on:%-d %B %Y}. Chase it after that."
        )
    enquiry.chases += 1
    enquiry.last_chased_on = today
    enquiry.due_on, enquiry.due_counting = _due(enquiry, count_from=today)
    bump(enquiry, "chases", "last_chased_on", "due_on", "due_counting")
    ordinal = "first" if enquiry.chases == 1 else "second"
    timeline(
        enquiry,
        by=by,
        text=f"Enquiry {enquiry.reference} to {enquiry.recipient_name} chased ({ordinal} "
        f"chase), now due {enquiry.due_on:%-d %B %Y}.",
    )
    audit_record(
        actor=by,
        verb=Verb.ENQUIRY_CHASED,
        subject=enquiry,
        child_id=enquiry.case.child_id,
        details={"chase": enquiry.chases},
    )
    _deliver(enquiry, purpose=EmailPurpose.CHASE)
    return enquiry


@transaction.atomic
def enquiry_escalate(*, enquiry: Enquiry, by: Any, today: date | None = None) -> Enquiry:
    """An enquiry chased twice and still unanswered when due goes to the CME managers."""
    if by is not None:
        require_enquiry_writer(by, enquiry.case, kind=enquiry.kind)
    today = today or timezone.localdate()
    enquiry = locked(enquiry)
    if enquiry.state != State.OUTSTANDING or enquiry.escalated_on is not None:
        raise ValidationError("Only an unanswered enquiry not yet escalated can be escalated.")
    if not should_escalate(enquiry.chases) or enquiry.due_on > today:
        raise ValidationError(
            "An enquiry is escalated when it is due again after its second chase."
        )
    enquiry.escalated_on = today
    bump(enquiry, "escalated_on")
    timeline(
        enquiry,
        by=by,
        text=f"Enquiry {enquiry.reference} to {enquiry.recipient_name} escalated: no answer "
        "after two chases.",
    )
    audit_record(
        actor=by, verb=Verb.ENQUIRY_ESCALATED, subject=enquiry, child_id=enquiry.case.child_id
    )
    email_escalation(enquiry)
    return enquiry


@dataclass(frozen=True)
class ChaseRun:
    chased: int
    escalated: int


def enquiries_chase_due(*, today: date | None = None) -> ChaseRun:
    """The daily job: chase or escalate every unanswered enquiry past its due date."""
    today = today or timezone.localdate()
    due = Enquiry.objects.filter(
        state=State.OUTSTANDING, escalated_on__isnull=True, due_on__lt=today
    ).select_related("case")
    chased = escalated = 0
    for enquiry in due.iterator():
        if should_escalate(enquiry.chases):
            enquiry_escalate(enquiry=enquiry, by=None, today=today)
            escalated += 1
        else:
            enquiry_chase(enquiry=enquiry, by=None, today=today)
            chased += 1
    return ChaseRun(chased, escalated)


@task()
def enquiries_chase_task() -> dict[str, int]:
    run = enquiries_chase_due()
    return {"chased": run.chased, "escalated": run.escalated}
