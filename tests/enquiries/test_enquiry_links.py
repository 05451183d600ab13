"""The secure link for a recipient with no account: shows only what it needs, answers once,
expires, and refuses a tampered, reused or replaced link, showing nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from enquiries.conftest import send

from cme.audit.models import AuditEvent, Verb
from cme.enquiries.models import AnsweredVia, Enquiry, EnquiryLink, Kind, State
from cme.enquiries.services import enquiry_chase
from cme.people.models import Address

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _token(outbox_index: int = -1) -> str:
    return mail.outbox[outbox_index].body.split("/enquiry-reply/")[1].split("/")[0]


@pytest.fixture
def linked(
    world: World, no_account_school, django_capture_on_commit_callbacks
) -> tuple[Enquiry, str]:
    child = world.case_at_a.child
    child.upn = "A123456789012"
    child.save(update_fields=["upn"])
    Address.objects.create(child=child, line_1="1 Planted Street", postcode="L8 1AB")
    Address.objects.create(
        child=child, line_1="9 Refuge Road", postcode="L9 9ZZ", do_not_share=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = send(world, school=no_account_school, email="office@fictional-lane.example.org")
    return enquiry, _token()


def test_the_link_shows_what_a_school_needs_and_no_more(
    client: Client, world: World, linked
) -> None:
    enquiry, token = linked
    response = client.get(f"/enquiry-reply/{token}/")
    assert response.status_code == 200
    body = response.content.decode()
    child = world.case_at_a.child
    assert child.surname in body and child.upn in body and enquiry.reference in body
    # A school searches its roll by name, date of birth and UPN: no address, no carers.
    for hidden in ("Planted Street", "Refuge Road", "L8 1AB", "L9 9ZZ"):
        assert hidden not in body
    assert AuditEvent.objects.filter(verb=Verb.VIEW, subject_id=enquiry.pk, actor=None).exists()


def test_a_council_link_shows_the_address_but_never_a_do_not_share_one(
    client: Client, world: World, django_capture_on_commit_callbacks
) -> None:
    child = world.case_at_a.child
    Address.objects.create(child=child, line_1="1 Planted Street", postcode="L8 1AB")
    Address.objects.create(
        child=child, line_1="9 Refuge Road", postcode="L9 9ZZ", do_not_share=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(world, Kind.CME4, la_code="344", email="cme@wirral.example.org")
    body = client.get(f"/enquiry-reply/{_token()}/").content.decode()
    assert "1 Planted Street" in body and "Refuge Road" not in body and "L9 9ZZ" not in body


def test_answering_through_the_link_works_once(client: Client, world: World, linked) -> None:
    enquiry, token = linked
    joined = timezone.localdate() - timedelta(days=30)
    data = {
        "outcome": "on_roll",
        "on_roll_from_0": joined.day,
        "on_roll_from_1": joined.month,
        "on_roll_from_2": joined.year,
        "answered_by_name": "A Fictional Secretary",
    }
    missing = client.post(f"/enquiry-reply/{token}/", {**data, "answered_by_name": ""})
    assert missing.status_code == 400 and "Enter your name" in missing.content.decode()
    done = client.post(f"/enquiry-reply/{token}/", data)
    assert done.status_code == 200 and "Answer sent" in done.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.state == State.ANSWERED and enquiry.answered_via == AnsweredVia.LINK
    assert enquiry.on_roll_from == joined and enquiry.answered_by_name == "A Fictional Secretary"
    assert enquiry.answered_by is None
    again = client.get(f"/enquiry-reply/{token}/")
    body = again.content.decode()
    assert again.status_code == 410 and "already been used" in body
    assert world.case_at_a.child.surname not in body
    twice = client.post(f"/enquiry-reply/{token}/", {**data, "outcome": "not_known"})
    assert twice.status_code == 410
    enquiry.refresh_from_db()
    assert enquiry.outcome == "on_roll"


def test_a_tampered_link_says_so_and_shows_nothing(client: Client, world: World, linked) -> None:
    _, token = linked
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(f"/enquiry-reply/{tampered}/")
    body = response.content.decode()
    assert response.status_code == 404 and "not one we sent" in body
    assert world.case_at_a.child.surname not in body
    assert AuditEvent.objects.filter(verb=Verb.DENIED, subject_type="enquiry_link").exists()


def test_an_expired_link_says_so_and_shows_nothing(client: Client, world: World, linked) -> None:
    _, token = linked
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        response = client.get(f"/enquiry-reply/{token}/")
    body = response.content.decode()
    assert response.status_code == 410 and "expired" in body
    assert world.case_at_a.child.surname not in body


def test_a_chase_replaces_the_link(
    client: Client, world: World, linked, django_capture_on_commit_callbacks
) -> None:
    enquiry, old = linked
    with time_machine.travel(enquiry.due_on + timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            enquiry_chase(enquiry=enquiry, by=world.users["officer"])
        new = _token()
        assert new != old
        assert "replaced by a newer one" in client.get(f"/enquiry-reply/{old}/").content.decode()
        assert client.get(f"/enquiry-reply/{new}/").status_code == 200
    assert EnquiryLink.objects.filter(enquiry=enquiry).count() == 2


@override_settings(CME_ENQUIRY_LINK_PER_IP=3)
def test_links_are_rate_limited_per_address(client: Client, linked) -> None:
    _, token = linked
    codes = [client.get(f"/enquiry-reply/{token}x/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get(f"/enquiry-reply/{token}/").status_code == 429
