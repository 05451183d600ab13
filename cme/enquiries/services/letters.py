"""The enquiry letter: a PDF rendered by WeasyPrint from the council's own template.

WeasyPrint was already in the lock for the management pack; it turns the same kind of HTML
the pages use into a PDF with no browser and no network (nothing in the letter is fetched).
The letter carries the enquiry's and the case's reference and only the details the recipient
needs to search (cme.enquiries.disclosure). It is rendered once when the enquiry is sent, in
the background after the commit, and kept: a later change of wording does not change it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from ..disclosure import search_details
from ..models import LETTER_KINDS, EmailPurpose, Enquiry, EnquiryLetter, Kind, LetterTemplate

_OPENINGS = {
    Kind.CME3A: (
        "The {la} Children Missing Education team is trying to find a child of compulsory "
        "school age who is not known to be on any school roll. Please check your admission "
        "register and any applications you hold for the child below."
    ),
    Kind.CME4: (
        "The {la} Children Missing Education team believes the child below may now live in "
        "your area. Please check your council's records, your schools' rolls and your CME "
        "register for them."
    ),
    Kind.CME5A: (
        "The child below is moving, or has moved, from {la} to your area. We are telling you "
        "so that their education can continue, and ask you to agree the action your council "
        "will take and who our contact is."
    ),
    Kind.AGENCY_CHECK: (
        "The {la} Children Missing Education team is making reasonable enquiries to find a "
        "child missing education. Please check whether your records hold a current address "
        "or contact for the child below, under the council's information sharing agreement."
    ),
}
_CLOSING = (
    "Please reply by {due_on}, quoting reference {reference}, using the secure link or "
    "inbox you were sent, or by contacting the CME team. If the child is not known to you, "
    "please tell us that too: it is a useful answer."
)


def default_template(kind: str) -> LetterTemplate:
    """The wording used until a CME manager saves the council's own (version 0)."""
    la = settings.CME_LA_NAME
    return LetterTemplate(
        kind=kind,
        letterhead="\n".join(
            [f"{la} City Council", "Children Missing Education team", *settings.CME_CONTACT_ADDRESS]
        ),
        title=Kind(kind).label,
        opening=_OPENINGS.get(Kind(kind), _OPENINGS[Kind.AGENCY_CHECK]).replace("{la}", la),
        closing=_CLOSING,
        signatory_name="CME Pupil Tracking Officer",
        signatory_role=f"Children Missing Education, {la} City Council",
        version=0,
    )


def letter_template_for(kind: str) -> LetterTemplate:
    return LetterTemplate.objects.filter(kind=kind).first() or default_template(kind)


def _fill(text: str, enquiry: Enquiry) -> str:
    values = {
        "reference": enquiry.reference,
        "case": f"Case {enquiry.case_id}",
        "due_on": f"{enquiry.due_on:%-d %B %Y}",
        "recipient": enquiry.recipient_name,
        "response_time": enquiry.due_counting,
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def letter_html(enquiry: Enquiry, template: LetterTemplate, *, purpose: str) -> str:
    return render_to_string(
        "enquiries/letter.html",
        {
            "template": template,
            "letterhead": template.letterhead.splitlines(),
            "opening": [p for p in _fill(template.opening, enquiry).split("\n\n") if p.strip()],
            "closing": [p for p in _fill(template.closing, enquiry).split("\n\n") if p.strip()],
            "details": search_details(enquiry),
            "enquiry": enquiry,
            "chase": purpose == EmailPurpose.CHASE,
            "today": timezone.localdate(),
            "contact_email": settings.CME_CONTACT_EMAIL,
            "contact_phone": settings.CME_CONTACT_PHONE,
        },
    )


def letter_render(*, enquiry: Enquiry, purpose: str = EmailPurpose.SENT) -> EnquiryLetter:
    """Render and keep the letter for the enquiry as it stands."""
    from weasyprint import HTML  # a heavy import, only where a letter is made

    template = letter_template_for(enquiry.kind)
    pdf = HTML(string=letter_html(enquiry, template, purpose=purpose)).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint made no PDF")
    return EnquiryLetter.objects.create(
        enquiry=enquiry,
        purpose=purpose,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        template_version=template.version,
    )


@task()
def letter_render_task(*, enquiry_id: int, purpose: str) -> int:
    enquiry = (
        Enquiry.objects.select_related("case__child", "case__school", "sent_by")
        .filter(pk=enquiry_id)
        .first()
    )
    if enquiry is None:
        return 0
    return letter_render(enquiry=enquiry, purpose=purpose).pk


def letter_render_on_commit(enquiry: Enquiry, *, purpose: str) -> None:
    if enquiry.kind in LETTER_KINDS and settings.CME_ENQUIRY_LETTER_ON_SEND:
        transaction.on_commit(
            lambda: letter_render_task.enqueue(enquiry_id=enquiry.pk, purpose=purpose)
        )


def enquiry_letter(enquiry: Enquiry) -> EnquiryLetter:
    """The letter kept with the enquiry (the latest, a chase's if chased); rendered now if the
    background worker has not made it yet."""
    letter = enquiry.letters.first()
    return letter or letter_render(enquiry=enquiry, purpose=EmailPurpose.SENT)


TEMPLATE_FIELDS = ("letterhead", "title", "opening", "closing", "signatory_name", "signatory_role")


@transaction.atomic
def letter_template_save(
    *, kind: str, by: Any, expected_version: int | None = None, **values: str
) -> LetterTemplate:
    """A CME manager saves the council's letter for one kind of enquiry."""
    if not can(by, Action.EDIT_LETTERS):
        raise NotAllowed
    if kind not in LETTER_KINDS:
        raise ValidationError("There is no letter for that kind of enquiry.")
    current = LetterTemplate.objects.select_for_update().filter(kind=kind).first()
    if current is None:
        current = default_template(kind)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            "Someone else changed this letter while you were editing it. Check their "
            "changes, then make yours again.",
            code="stale",
        )
    errors = {
        name: ["Enter this part of the letter"]
        for name in TEMPLATE_FIELDS
        if not str(values.get(name, "")).strip()
    }
    if errors:
        raise ValidationError(errors)
    for name in TEMPLATE_FIELDS:
        setattr(current, name, str(values[name]).strip())
    current.version += 1
    current.updated_by = by
    current.full_clean()
    current.save()
    audit_record(
        actor=by,
        verb=Verb.LETTER_CHANGED,
        subject=current,
        details={"kind": kind, "version": current.version},
    )
    return current
