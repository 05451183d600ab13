"""Sending enquiries of every kind: recipients, due dates, timeline, audit, emails, links."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from enquiries.conftest import send

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseEvent, CaseEventKind
from cme.core.errors import NotAllowed
from cme.enquiries.models import (
    AgencyArea,
    EmailPurpose,
    Enquiry,
    EnquiryEmail,
    EnquiryLink,
    Kind,
    State,
)
from cme.enquiries.services import Recipient, enquiry_send, enquiry_withdraw
from cme.enquiries.services.links import token_hash
from cme.rules.enquiry_due import add_working_days

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def test_a_cme3a_to_two_schools_at_once_is_one_batch_each_with_its_due_date(
    world: World, no_account_school, django_capture_on_commit_callbacks
) -> None:
    officer = world.users["officer"]
    world.users["school_a"].email = "attendance@school-a.example.org"
    world.users["school_a"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = enquiry_send(
            case=world.case_at_a,
            kind=Kind.CME3A,
            recipients=[
                Recipient(school=world.school_a, school_reason="last_school"),
                Recipient(school=no_account_school, email="office@fictional-lane.example.org"),
            ],
            by=officer,
        )
    assert len(sent) == 2 and sent[0].batch is not None and sent[0].batch == sent[1].batch
    today = timezone.localdate()
    for enquiry in sent:
        assert enquiry.state == State.OUTSTANDING and enquiry.sent_on == today
        # No term dates are loaded here, so 10 school days are counted as working days.
        assert enquiry.due_on == add_working_days(today, 10)
        assert "working days" in enquiry.due_counting
    assert sent[0].recipient_organisation is not None  # school A's staff answer in the inbox
    assert sent[1].recipient_organisation is None and sent[1].recipient_email
    # Timeline and audit: one entry and one event per enquiry.
    texts = list(
        CaseEvent.objects.filter(case=world.case_at_a, kind=CaseEventKind.ENQUIRY).values_list(
            "text", flat=True
        )
    )
    assert len(texts) == 2 and all("CME3a" in t for t in texts)
    events = AuditEvent.objects.filter(verb=Verb.ENQUIRY_SENT, actor=officer)
    assert {e.subject_id for e in events} == {e.pk for e in sent}
    assert all(e.child_id == world.case_at_a.child_id for e in events)
    # Emails went on commit: an inbox notice to school A's staff, a secure link to the other.
    assert len(mail.outbox) == 2
    inbox_mail = next(m for m in mail.outbox if world.users["school_a"].email in m.to)
    link_mail = next(m for m in mail.outbox if "office@fictional-lane.example.org" in m.to)
    assert "/enquiries/inbox/" in inbox_mail.body and "/enquiry-reply/" not in inbox_mail.body
    assert "/enquiry-reply/" in link_mail.body
    child = world.case_at_a.child
    for message in mail.outbox:
        for personal in (child.forename, child.surname, child.upn or "none-such"):
            assert personal not in message.body and personal not in message.subject
    # The link's token is in the email only: the database holds its hash.
    token = link_mail.body.split("/enquiry-reply/")[1].split("/")[0]
    link = EnquiryLink.objects.get(enquiry=sent[1])
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert EnquiryEmail.objects.filter(enquiry=sent[1], state="sent").count() == 1


@time_machine.travel(date(2026, 4, 20), tick=False)
def test_school_days_come_from_the_term_dates_when_they_cover_the_due_date(
    world: World, term_dates
) -> None:
    enquiry = send(world)
    # 10 school days after Monday 20 April 2026: 4 May (a bank holiday) is skipped.
    assert enquiry.due_on == date(2026, 5, 5)
    assert enquiry.due_counting == "10 school days"


def test_a_due_date_before_the_send_date_is_refused_and_nothing_is_sent(world: World) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        enquiry_send(
            case=world.case_at_a,
            kind=Kind.CME3A,
            recipients=[Recipient(school=world.school_a)],
            by=world.users["officer"],
            due_on=yesterday,
        )
    assert "due_on" in refused.value.message_dict
    assert not Enquiry.objects.exists()


def test_a_due_date_given_is_kept(world: World) -> None:
    due = timezone.localdate() + timedelta(days=3)
    enquiry = enquiry_send(
        case=world.case_at_a,
        kind=Kind.CME3A,
        recipients=[Recipient(school=world.school_a)],
        by=world.users["officer"],
        due_on=due,
    )[0]
    assert enquiry.due_on == due and enquiry.due_counting == "set by the officer"


def test_a_school_with_no_account_needs_an_email_for_the_link(
    world: World, no_account_school
) -> None:
    with pytest.raises(ValidationError) as refused:
        send(world, school=no_account_school)
    assert "no account" in refused.value.message_dict["recipient_email"][0]


def test_one_failing_recipient_sends_none_of_the_batch(world: World, no_account_school) -> None:
    with pytest.raises(ValidationError):
        enquiry_send(
            case=world.case_at_a,
            kind=Kind.CME3A,
            recipients=[Recipient(school=world.school_a), Recipient(school=no_account_school)],
            by=world.users["officer"],
        )
    assert not Enquiry.objects.exists() and not CaseEvent.objects.filter(kind="enquiry").exists()


def test_the_same_school_twice_or_again_while_waiting_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="chosen twice"):
        enquiry_send(
            case=world.case_at_a,
            kind=Kind.CME3A,
            recipients=[Recipient(school=world.school_a), Recipient(school=world.school_a)],
            by=world.users["officer"],
        )
    send(world)
    with pytest.raises(ValidationError, match="already waiting"):
        send(world)


def test_a_cme4_goes_to_a_council_by_account_or_by_la_code(world: World, sefton) -> None:
    by_code = send(world, Kind.CME4, la_code="343")
    assert by_code.recipient_organisation == sefton and by_code.recipient_la_code == "343"
    # Working days for a council.
    assert by_code.due_on == add_working_days(timezone.localdate(), 10)
    unknown = send(world, Kind.CME5A, la_code="344", email="cme@wirral.example.org")
    assert unknown.recipient_organisation is None and "Wirral" in unknown.recipient_name


@pytest.mark.parametrize(
    ("code", "says"), [("999", "not an LA code"), ("341", "own code"), ("", "give its 3-digit")]
)
def test_a_council_needs_a_real_other_la_code(world: World, code: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        send(world, Kind.CME4, la_code=code, email="x@council.example.org")


def test_an_agency_check_a_home_visit_and_the_searches(world: World) -> None:
    check = send(
        world,
        Kind.AGENCY_CHECK,
        agency_area=AgencyArea.UK_BORDER_AGENCY,
        email="enquiries@homeoffice.example.org",
    )
    assert check.recipient_name.startswith("UK Border Agency")
    visit = send(world, Kind.HOME_VISIT, user=world.users["paews"])
    assert visit.recipient_user == world.users["paews"] and not visit.emails.exists()
    s2s = send(world, Kind.S2S_SEARCH)
    assert "S2S" in s2s.recipient_name and s2s.recipient_user == world.users["officer"]
    with pytest.raises(ValidationError, match="PAEWS officer"):
        send(world, Kind.HOME_VISIT, user=world.users["keyworker"], case=world.case_at_b)


def test_who_may_send(world: World) -> None:
    case = world.case_at_a  # PAEWS officer "paews" is named on it
    # PAEWS records its own home visits, but sends no letters.
    visit = enquiry_send(
        case=case,
        kind=Kind.HOME_VISIT,
        recipients=[Recipient(user=world.users["paews"])],
        by=world.users["paews"],
    )[0]
    assert visit.sent_by == world.users["paews"]
    for name, kind in [
        ("paews", Kind.CME3A),
        ("paews_other", Kind.HOME_VISIT),  # not on the case
        ("school_a", Kind.CME3A),
        ("keyworker", Kind.CME3A),
        ("agency", Kind.CME3A),
        ("otherla", Kind.CME4),
        ("admin", Kind.CME3A),
    ]:
        with pytest.raises(NotAllowed):
            enquiry_send(
                case=case,
                kind=kind,
                recipients=[Recipient(school=world.school_a, user=world.users["paews"])],
                by=world.users[name],
            )


def test_a_closed_case_sends_nothing(world: World) -> None:
    case = world.case_at_b
    case.status, case.outcome, case.closed_on = "closed", "on_roll", timezone.localdate()
    case.save()
    with pytest.raises(ValidationError, match="closed"):
        send(world, case=case, school=world.school_b)


def test_withdrawing_stops_the_link_and_is_recorded(world: World, no_account_school) -> None:
    enquiry = send(world, school=no_account_school, email="office@school.example.org")
    with pytest.raises(ValidationError):
        enquiry_withdraw(enquiry=enquiry, by=world.users["officer"], reason=" ")
    enquiry_withdraw(enquiry=enquiry, by=world.users["officer"], reason="Sent in error")
    enquiry.refresh_from_db()
    assert enquiry.state == State.WITHDRAWN
    assert not any(link.is_usable() for link in enquiry.links.all())
    assert AuditEvent.objects.filter(verb=Verb.ENQUIRY_WITHDRAWN, subject_id=enquiry.pk).exists()


def test_emails_are_recorded_with_their_purpose(world: World, no_account_school) -> None:
    enquiry = send(world, school=no_account_school, email="office@school.example.org")
    email = EnquiryEmail.objects.get(enquiry=enquiry)
    assert email.purpose == EmailPurpose.SENT and email.to == ["office@school.example.org"]
