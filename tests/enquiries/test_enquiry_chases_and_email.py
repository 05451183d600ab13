"""Chasing when due, escalating after the second chase, email retries and failures, letters."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from enquiries.conftest import send

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseEvent
from cme.core.errors import NotAllowed
from cme.enquiries.models import DeliveryState, EnquiryEmail, EnquiryLetter, Kind
from cme.enquiries.services import (
    enquiries_chase_due,
    enquiry_chase,
    enquiry_email_deliver,
    enquiry_escalate,
    enquiry_letter,
    letter_template_save,
)
from cme.enquiries.services.letters import letter_html, letter_template_for

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def test_an_enquiry_is_chased_only_once_due(world: World) -> None:
    enquiry = send(world, Kind.CME4, la_code="344", email="cme@wirral.example.org")
    with pytest.raises(ValidationError, match="not due until"):
        enquiry_chase(enquiry=enquiry, by=world.users["officer"])


def test_the_daily_job_chases_twice_then_escalates(
    world: World, django_capture_on_commit_callbacks
) -> None:
    manager = world.users["manager"]
    manager.email = "manager@council.example.org"
    manager.save(update_fields=["email"])
    enquiry = send(world, Kind.CME4, la_code="344", email="cme@wirral.example.org")
    first_due = enquiry.due_on
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(first_due + timedelta(days=1)):
            assert enquiries_chase_due().chased == 1
        enquiry.refresh_from_db()
        assert enquiry.chases == 1 and enquiry.due_on > first_due
        with time_machine.travel(enquiry.due_on + timedelta(days=1)):
            assert enquiries_chase_due().chased == 1
            enquiry.refresh_from_db()
            assert enquiry.chases == 2
            with pytest.raises(ValidationError, match="escalate it instead"):
                enquiry_chase(enquiry=enquiry, by=world.users["officer"])
        with time_machine.travel(enquiry.due_on + timedelta(days=1)):
            out = StringIO()
            call_command("chase_enquiries", stdout=out)
            assert "0 enquiries chased, 1 escalated" in out.getvalue()
    enquiry.refresh_from_db()
    assert enquiry.escalated_on is not None
    assert AuditEvent.objects.filter(verb=Verb.ENQUIRY_CHASED, subject_id=enquiry.pk).count() == 2
    assert AuditEvent.objects.filter(verb=Verb.ENQUIRY_ESCALATED, subject_id=enquiry.pk).exists()
    assert CaseEvent.objects.filter(text__contains="escalated").exists()
    chases = [m for m in mail.outbox if "reminder" in m.body.lower()]
    assert len(chases) == 2 and all("cme@wirral.example.org" in m.to for m in chases)
    escalation = next(m for m in mail.outbox if "escalated" in m.subject)
    assert "manager@council.example.org" in escalation.to
    assert world.case_at_a.child.surname not in escalation.body
    # Escalated enquiries are left to the managers: the job does not touch them again.
    with time_machine.travel(enquiry.due_on + timedelta(days=30)):
        assert enquiries_chase_due().chased == enquiries_chase_due().escalated == 0


def test_escalation_waits_for_the_second_chase(world: World) -> None:
    enquiry = send(world)
    with time_machine.travel(enquiry.due_on + timedelta(days=1)):
        with pytest.raises(ValidationError, match="second chase"):
            enquiry_escalate(enquiry=enquiry, by=world.users["officer"])
        with pytest.raises(NotAllowed):
            enquiry_chase(enquiry=enquiry, by=world.users["school_a"])


class FailingBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused by smtp.example.org")


@override_settings(
    EMAIL_BACKEND="enquiries.test_enquiry_chases_and_email.FailingBackend",
    CME_ENQUIRY_EMAIL_ATTEMPTS=3,
)
def test_a_failed_send_is_retried_then_shown_on_the_enquiry(
    client, world: World, no_account_school, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = send(world, school=no_account_school, email="office@school.example.org")
    email = EnquiryEmail.objects.get(enquiry=enquiry)
    assert email.state == DeliveryState.FAILED and email.attempts == 3
    assert "Connection refused" in email.last_error
    client.force_login(world.users["officer"])
    page = client.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Not sent" in page and "after 3 tries" in page and "Try again" in page


def test_a_retry_that_succeeds_is_marked_sent(world: World, no_account_school) -> None:
    enquiry = send(world, school=no_account_school, email="office@school.example.org")
    email = EnquiryEmail.objects.get(enquiry=enquiry)
    email.state, email.attempts = DeliveryState.RETRYING, 1
    email.save()
    assert enquiry_email_deliver(email_id=email.pk) == DeliveryState.SENT
    email.refresh_from_db()
    assert email.attempts == 2 and email.sent_at is not None and len(mail.outbox) == 1


def test_the_letter_is_a_pdf_kept_with_the_enquiry_with_only_what_the_school_needs(
    world: World,
) -> None:
    from cme.people.models import Address

    child = world.case_at_a.child
    Address.objects.create(child=child, line_1="1 Planted Street", postcode="L8 1AB")
    enquiry = send(world)
    html = letter_html(enquiry, letter_template_for(enquiry.kind), purpose="sent")
    assert enquiry.reference in html and f"Case {world.case_at_a.pk}" in html
    assert child.surname in html and "Planted Street" not in html
    letter = enquiry_letter(enquiry)
    assert bytes(letter.pdf).startswith(b"%PDF")
    # Kept: opening it again gives the same letter, even after the wording changes.
    letter_template_save(
        kind=Kind.CME3A,
        by=world.users["manager"],
        letterhead="Fictional City Council",
        title="Is this child on your roll?",
        opening="Please check your roll for the child below.",
        closing="Reply by {due_on} quoting {reference}.",
        signatory_name="A Fictional Officer",
        signatory_role="Pupil Tracking Officer",
    )
    assert enquiry_letter(enquiry).pk == letter.pk
    assert EnquiryLetter.objects.filter(enquiry=enquiry).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.LETTER_CHANGED).exists()
    new_html = letter_html(enquiry, letter_template_for(enquiry.kind), purpose="sent")
    assert "A Fictional Officer" in new_html and f"quoting {enquiry.reference}" in new_html


def test_only_a_manager_edits_the_letters(world: World) -> None:
    for name in ("officer", "school_a", "admin"):
        with pytest.raises(NotAllowed):
            letter_template_save(kind=Kind.CME3A, by=world.users[name])
    with pytest.raises(ValidationError) as refused:
        letter_template_save(kind=Kind.CME3A, by=world.users["manager"], title="")
    assert "letterhead" in refused.value.message_dict
