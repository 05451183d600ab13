"""What the enquiry services share: who may act, the row lock, the timeline and the emails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from cme.accounts.models import Role, User
from cme.accounts.permissions import Action as Act
from cme.accounts.permissions import Part, can, is_staff_user
from cme.cases.models import Case, CaseEventKind
from cme.cases.scopes import case_in_scope
from cme.cases.services import case_event_add
from cme.core.errors import NotAllowed, StaleEdit
from cme.core.notify import absolute
from cme.people.record_view import case_access

from ..models import EmailPurpose, Enquiry, Kind
from .delivery import email_queue


def require_enquiry_writer(user: Any, case: Case, *, kind: str) -> None:
    """The CME team sends every kind; a PAEWS officer on the case records home visits."""
    if not is_staff_user(user) or not case_in_scope(user, case):
        raise NotAllowed
    if not case_access(user, case).writes(Part.ENQUIRIES):
        raise NotAllowed
    if not can(user, Act.TRIAGE) and kind != Kind.HOME_VISIT:
        raise NotAllowed


def locked(enquiry: Enquiry, expected_version: int | None = None) -> Enquiry:
    current = Enquiry.objects.select_for_update().select_related("case").get(pk=enquiry.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            "Someone else changed this enquiry while you were working on it. "
            "Check what changed, then try again.",
            code="stale",
        )
    return current


def bump(enquiry: Enquiry, *fields: str) -> None:
    enquiry.version = F("version") + 1
    enquiry.save(update_fields=[*fields, "version", "updated_at"])
    enquiry.refresh_from_db(fields=["version"])


def timeline(enquiry: Enquiry, *, by: Any, text: str) -> None:
    """The case's timeline entry for an act on an enquiry (the CME team's own record)."""
    case_event_add(case=enquiry.case, kind=CaseEventKind.ENQUIRY, by=by, text=text)


def inbox_users(enquiry: Enquiry) -> list[User]:
    """The recipient's people with accounts who answer enquiries, if it has any."""
    organisation = enquiry.recipient_organisation
    if organisation is None:
        return []
    return list(
        User.objects.filter(
            organisation=organisation,
            is_active=True,
            role__in=[Role.SCHOOL_STAFF, Role.OTHER_LA, Role.PARTNER_AGENCY],
        )
    )


def has_inbox(enquiry: Enquiry) -> bool:
    return bool(inbox_users(enquiry))


def _service() -> str:
    return f"{settings.CME_LA_NAME} City Council CME team"


def email_new_enquiry(enquiry: Enquiry, *, purpose: str, token: str = "") -> None:
    """Tell the recipient: a link to answer (no account) or to their inbox. No child's data."""
    what = (
        "A reminder: we are still waiting for your answer to"
        if purpose == EmailPurpose.CHASE
        else "You have"
    )
    due = f"{enquiry.due_on:%-d %B %Y}"
    if token:
        url = absolute(reverse("enquiry_reply:reply", args=[token]))
        body = (
            f"{what} an enquiry from the {_service()} about a child missing education "
            f"(reference {enquiry.reference}).\n\n"
            f"Please answer it by {due} using this secure link:\n{url}\n\n"
            "The link works once and expires. It shows only what you need to search your "
            "records. Do not forward this email.\n"
        )
        to = [enquiry.recipient_email]
    else:
        users = inbox_users(enquiry)
        if not users:
            return
        url = absolute(reverse("enquiries:inbox-detail", args=[enquiry.pk]))
        body = (
            f"{what} an enquiry from the {_service()} about a child missing education "
            f"(reference {enquiry.reference}).\n\n"
            f"Please answer it by {due}. Sign in to see it in your inbox:\n{url}\n"
        )
        to = [user.email for user in users]
    email_queue(
        enquiry=enquiry,
        purpose=purpose,
        to=to,
        subject=f"CME enquiry {enquiry.reference}: please answer by {due}",
        body=body,
    )


def email_escalation(enquiry: Enquiry) -> None:
    """Tell the CME managers an enquiry is unanswered after two chases. No child's data."""
    managers = User.objects.filter(role=Role.CME_MANAGER, is_active=True).exclude(email="")
    url = absolute(reverse("enquiries:case", args=[enquiry.case_id]))
    email_queue(
        enquiry=enquiry,
        purpose=EmailPurpose.ESCALATION,
        to=[m.email for m in managers] + ([enquiry.sent_by.email] if enquiry.sent_by.email else []),
        subject=f"CME enquiry {enquiry.reference} escalated: no answer after two chases",
        body=(
            f"Enquiry {enquiry.reference} on case {enquiry.case_id} ({enquiry.get_kind_display()} "
            f"to {enquiry.recipient_name}) has had no answer after two chases.\n\n"
            f"See it here: {url}\n"
        ),
    )
