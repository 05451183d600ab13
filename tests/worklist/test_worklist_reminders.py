"""The work queue and the daily reminder: case numbers, never names."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command

from cme.cases import due
from cme.cases.models import Case
from cme.cases.selectors import work_queue

if TYPE_CHECKING:
    from conftest import World

MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@time_machine.travel(MONDAY, tick=False)
def test_work_queue_and_reminders(
    world: World, term_dates, django_capture_on_commit_callbacks
) -> None:
    keyworker = world.users["keyworker"]
    keyworker.email = "kw@example.org"
    keyworker.save()
    Case.objects.filter(pk=world.case_at_a.pk).update(opened_on=date(2025, 9, 1))
    due.refresh(world.case_at_a)  # the fact changed behind the services' backs
    queue = work_queue(user=keyworker, today=MONDAY.date())
    assert {case.pk for case, _ in queue.overdue} == {world.case_at_a.pk}
    assert work_queue(user=world.users["keyworker_other"], today=MONDAY.date()).overdue == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    to_keyworker = [m for m in mail.outbox if m.to == ["kw@example.org"]]
    assert len(to_keyworker) == 1
    assert f"case(s) {world.case_at_a.pk}" in to_keyworker[0].body
    assert world.case_at_a.child.surname not in to_keyworker[0].body


def test_the_reminder_names_overdue_enquiries_by_reference_only(
    world: World, django_capture_on_commit_callbacks
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from cme.enquiries.models import Enquiry
    from cme.enquiries.services import Recipient, enquiry_send

    officer = world.users["officer"]
    officer.email = "officer@example.org"
    officer.save()
    (enquiry,) = enquiry_send(
        case=world.case_at_a,
        kind="cme3a",
        recipients=[Recipient(school=world.school_a)],
        by=officer,
    )
    today = timezone.localdate()
    Enquiry.objects.filter(pk=enquiry.pk).update(
        sent_on=today - timedelta(days=30), due_on=today - timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    (to_officer,) = [m for m in mail.outbox if m.to == ["officer@example.org"]]
    assert f"overdue for an answer: {enquiry.reference}." in to_officer.body
    assert world.case_at_a.child.surname not in to_officer.body


def test_the_reminder_names_overdue_cme4s_from_other_councils(
    world: World, django_capture_on_commit_callbacks
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from cme.accounts.models import Organisation
    from cme.enquiries.models import IncomingEnquiry
    from cme.enquiries.services import IncomingChild, incoming_receive

    Organisation.objects.filter(name="Sefton Council").update(la_code="343")
    officer = world.users["officer"]
    officer.email = "officer@example.org"
    officer.save()
    today = timezone.localdate()
    incoming = incoming_receive(
        by=world.users["otherla"],
        child=IncomingChild(
            forename="Tamsin", surname="Fictionalwood", date_of_birth=date(2015, 6, 1)
        ),
    )
    IncomingEnquiry.objects.filter(pk=incoming.pk).update(
        received_on=today - timedelta(days=20), due_on=today - timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    (to_officer,) = [m for m in mail.outbox if m.to == ["officer@example.org"]]
    assert incoming.reference in to_officer.body and "Fictionalwood" not in to_officer.body
