"""Sending an enquiry (or several at once: a CME3a to many schools), and withdrawing one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Organisation, OrganisationKind, Role, User
from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.calendars.selectors import school_calendar
from cme.cases.models import Case
from cme.cases.services import case_assign
from cme.rules import RulesError
from cme.rules.enquiry_due import DayCount, enquiry_due
from cme.rules.la_codes import la_name
from cme.schools.models import Establishment

from ..models import AgencyArea, EmailPurpose, Enquiry, Kind, SchoolReason, State
from ._shared import (
    bump,
    email_new_enquiry,
    has_inbox,
    locked,
    require_enquiry_writer,
    timeline,
)
from .letters import letter_render_on_commit
from .links import link_issue


@dataclass(frozen=True)
class Recipient:
    """Who an enquiry goes to. Give what the kind needs: a school (CME3a), a council by its
    organisation or LA code (CME4, CME5a), an agency area (an agency check), a PAEWS officer
    (a home visit). `email` is where the secure link goes when they have no account."""

    school: Establishment | None = None
    organisation: Organisation | None = None
    la_code: str = ""
    user: User | None = None
    agency_area: str = ""
    school_reason: str = ""
    name: str = ""
    email: str = ""


SEARCH_NAMES = {
    Kind.S2S_SEARCH: "DfE School to School (S2S)",
    Kind.LOST_PUPIL_SEARCH: "DfE lost pupil database (S2S)",
}


def _council(recipient: Recipient) -> tuple[Organisation | None, str, str]:
    """The council's organisation (if it has accounts here), LA code and name."""
    organisation = recipient.organisation
    code = (recipient.la_code or "").strip()
    if organisation is not None:
        if organisation.kind != OrganisationKind.OTHER_LA:
            raise ValidationError({"recipient": ["Choose another council"]})
        code = organisation.la_code or code
    if not code:
        raise ValidationError({"recipient": ["Choose the council, or give its 3-digit LA code"]})
    if not (code.isdigit() and len(code) == 3) or la_name(code) is None:
        raise ValidationError(
            {"recipient": [f"{code} is not an LA code DfE uses. Check the council's 3-digit code"]}
        )
    if code == settings.CME_LA_CODE:
        raise ValidationError(
            {"recipient": ["That is this council's own code. Send a CME3a to its schools instead"]}
        )
    if organisation is None:
        organisation = Organisation.objects.filter(
            kind=OrganisationKind.OTHER_LA, la_code=code
        ).first()
    name = organisation.name if organisation else f"{la_name(code)} council, CME team"
    return organisation, code, name


def _to_school(enquiry: Enquiry, recipient: Recipient, by: Any) -> None:
    if recipient.school is None:
        raise ValidationError({"recipient": ["Choose the school to ask"]})
    if recipient.school_reason and recipient.school_reason not in SchoolReason.values:
        raise ValidationError({"school_reason": ["Choose why this school is being asked"]})
    enquiry.recipient_school = recipient.school
    enquiry.recipient_organisation = Organisation.objects.filter(
        establishment=recipient.school
    ).first()
    enquiry.recipient_name = recipient.school.name
    enquiry.school_reason = recipient.school_reason


def _to_council(enquiry: Enquiry, recipient: Recipient, by: Any) -> None:
    organisation, code, name = _council(recipient)
    enquiry.recipient_organisation, enquiry.recipient_la_code = organisation, code
    enquiry.recipient_name = name


def _to_agency(enquiry: Enquiry, recipient: Recipient, by: Any) -> None:
    if recipient.agency_area not in AgencyArea.values:
        raise ValidationError({"agency_area": ["Choose which agency to check with"]})
    organisation = recipient.organisation
    if organisation is not None and organisation.kind != OrganisationKind.AGENCY:
        raise ValidationError({"recipient": ["Choose a partner agency"]})
    enquiry.agency_area = recipient.agency_area
    enquiry.recipient_organisation = organisation
    enquiry.recipient_name = (
        organisation.name
        if organisation
        else recipient.name.strip() or AgencyArea(recipient.agency_area).label
    )


def _to_visitor(enquiry: Enquiry, recipient: Recipient, by: Any) -> None:
    visitor = recipient.user
    if visitor is None or visitor.role != Role.PAEWS_OFFICER or not visitor.is_active:
        raise ValidationError({"recipient": ["Choose the PAEWS officer who will visit"]})
    enquiry.recipient_user = visitor
    enquiry.recipient_name = str(visitor)


def _to_search(enquiry: Enquiry, recipient: Recipient, by: Any) -> None:
    enquiry.recipient_user = by
    enquiry.recipient_name = SEARCH_NAMES[Kind(enquiry.kind)]


_ADDRESS = {
    Kind.CME3A: _to_school,
    Kind.CME4: _to_council,
    Kind.CME5A: _to_council,
    Kind.AGENCY_CHECK: _to_agency,
    Kind.HOME_VISIT: _to_visitor,
    Kind.S2S_SEARCH: _to_search,
    Kind.LOST_PUPIL_SEARCH: _to_search,
}


def _build(*, case: Case, kind: str, recipient: Recipient, by: Any, sent_on: date) -> Enquiry:
    if kind not in Kind.values:
        raise ValidationError({"kind": ["Choose which kind of enquiry to send"]})
    enquiry = Enquiry(case=case, kind=kind, sent_on=sent_on, sent_by=by, due_on=sent_on)
    _ADDRESS[Kind(kind)](enquiry, recipient, by)
    return enquiry


def _visitor_on_case(case: Case, visitor: User | None, *, by: Any) -> None:
    """A home visit goes to the case's PAEWS officer: asking another officer names them on
    the case (so they can read it and record the visit), which only the CME team may do."""
    school_paews = case.school.paews_officer_id if case.school else None
    if visitor is None or visitor.role != Role.PAEWS_OFFICER or not visitor.is_active:
        return  # refused, in words, where the recipient is checked
    if visitor.pk in {case.paews_officer_id, school_paews}:
        return
    if not can(by, Action.TRIAGE):
        raise ValidationError(
            {"recipient": ["Only the PAEWS officer named on the case can be asked to visit"]}
        )
    case_assign(case=case, by=by, paews_officer=visitor)
    case.refresh_from_db()


def _due(enquiry: Enquiry, *, count_from: date) -> tuple[date, str]:
    days, counting = settings.CME_ENQUIRY_DUE[enquiry.kind]
    calendar = None
    if counting == DayCount.SCHOOL_DAYS.value:
        try:
            calendar = school_calendar(enquiry.recipient_school_id)
        except RulesError:
            calendar = None
    due = enquiry_due(
        sent_on=count_from, count=days, counting=DayCount(counting), calendar=calendar
    )
    words = f"{due.count} {due.counting.value}" + (f" ({due.note})" if due.note else "")
    return due.due, words


def _email_check(enquiry: Enquiry, email: str) -> None:
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"recipient_email": ["Enter an email address like name@school.example.org"]}
            ) from None
        enquiry.recipient_email = email
    elif enquiry.is_external and not has_inbox(enquiry):
        raise ValidationError(
            {
                "recipient_email": [
                    f"{enquiry.recipient_name} has no account in the register. Give an email "
                    "address for the secure link"
                ]
            }
        )


@transaction.atomic
def enquiry_send(
    *,
    case: Case,
    kind: str,
    recipients: list[Recipient],
    by: Any,
    due_on: date | None = None,
) -> list[Enquiry]:
    """Send one enquiry to each recipient (a CME3a may go to many schools at once).

    Each is due after its kind's interval (CME_ENQUIRY_DUE) unless a due date is given, which
    may not be before the day it is sent. All are sent or none is.
    """
    require_enquiry_writer(by, case, kind=kind)
    if not case.is_open:
        raise ValidationError("This case is closed. Reopen it before sending enquiries.")
    if not recipients:
        raise ValidationError({"recipient": ["Choose at least one recipient"]})
    if len(recipients) > 1 and kind != Kind.CME3A:
        raise ValidationError({"recipient": ["Only a CME3a goes to several recipients at once"]})
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        raise ValidationError(
            {"due_on": ["The due date must be today or later: not before the enquiry is sent"]}
        )
    if kind == Kind.HOME_VISIT:
        _visitor_on_case(case, recipients[0].user, by=by)
    batch = uuid.uuid4() if len(recipients) > 1 else None
    sent: list[Enquiry] = []
    seen: set[tuple[Any, ...]] = set()
    for recipient in recipients:
        enquiry = _build(case=case, kind=kind, recipient=recipient, by=by, sent_on=today)
        key = (enquiry.recipient_school_id, enquiry.recipient_la_code, enquiry.recipient_name)
        if key in seen:
            raise ValidationError({"recipient": [f"{enquiry.recipient_name} is chosen twice"]})
        seen.add(key)
        if Enquiry.objects.filter(
            case=case,
            kind=kind,
            state=State.OUTSTANDING,
            recipient_school=enquiry.recipient_school,
            recipient_la_code=enquiry.recipient_la_code,
            recipient_name=enquiry.recipient_name,
        ).exists():
            raise ValidationError(
                {
                    "recipient": [
                        f"An enquiry to {enquiry.recipient_name} is already waiting for an answer"
                    ]
                }
            )
        _email_check(enquiry, recipient.email)
        if due_on is not None:
            enquiry.due_on, enquiry.due_counting = due_on, "set by the officer"
        else:
            enquiry.due_on, enquiry.due_counting = _due(enquiry, count_from=today)
        enquiry.batch = batch
        enquiry.full_clean()
        enquiry.save()
        sent.append(enquiry)
        timeline(
            enquiry,
            by=by,
            text=f"{enquiry.get_kind_display()} ({enquiry.reference}) sent to "
            f"{enquiry.recipient_name}, due {enquiry.due_on:%-d %B %Y}.",
        )
        audit_record(
            actor=by,
            verb=Verb.ENQUIRY_SENT,
            subject=enquiry,
            child_id=case.child_id,
            details={"kind": kind, "batch": str(batch) if batch else ""},
        )
        _deliver(enquiry, purpose=EmailPurpose.SENT)
    return sent


def _deliver(enquiry: Enquiry, *, purpose: str) -> None:
    """The letter, and an email to the recipient: a secure link if it has no account."""
    if not enquiry.is_external:
        return
    token = (
        link_issue(enquiry=enquiry) if enquiry.recipient_email and not has_inbox(enquiry) else ""
    )
    email_new_enquiry(enquiry, purpose=purpose, token=token)
    letter_render_on_commit(enquiry, purpose=purpose)


@transaction.atomic
def enquiry_withdraw(
    *, enquiry: Enquiry, by: Any, reason: str, expected_version: int | None = None
) -> Enquiry:
    """An enquiry no longer needed (sent in error, or the child found another way)."""
    require_enquiry_writer(by, enquiry.case, kind=enquiry.kind)
    enquiry = locked(enquiry, expected_version)
    if enquiry.state != State.OUTSTANDING:
        raise ValidationError("Only an enquiry still waiting for an answer can be withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the enquiry is withdrawn"]})
    enquiry.state, enquiry.withdrawn_reason = State.WITHDRAWN, reason.strip()[:300]
    bump(enquiry, "state", "withdrawn_reason")
    enquiry.links.filter(used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    timeline(enquiry, by=by, text=f"Enquiry {enquiry.reference} withdrawn: {reason.strip()}")
    audit_record(
        actor=by, verb=Verb.ENQUIRY_WITHDRAWN, subject=enquiry, child_id=enquiry.case.child_id
    )
    return enquiry
