"""The enquiry pages, signed in as every role: who reaches each page, and what each shows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.utils import timezone
from enquiries.conftest import send
from factories import EstablishmentFactory

from cme.accounts.record_access import SearchDetail, recipient_sees, recipient_table
from cme.audit.models import AuditEvent, Verb
from cme.enquiries.models import Enquiry, Kind, State
from cme.people.models import Address

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"
PLANTED_ADDRESS = "1 Planted Street"


def _as(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


@pytest.fixture
def planted(world: World) -> Enquiry:
    Address.objects.create(child=world.case_at_a.child, line_1=PLANTED_ADDRESS, postcode="L8 1AB")
    return send(world)


def test_the_docs_carry_the_recipients_table() -> None:
    text = DOC.read_text()
    start = text.index("<!-- recipient-table:start -->\n") + len("<!-- recipient-table:start -->\n")
    assert text[start : text.index("<!-- recipient-table:end -->")].strip() == recipient_table()


def test_the_recipients_decision_on_the_points_that_matter() -> None:
    school = recipient_sees(Kind.CME3A)
    assert SearchDetail.LAST_ADDRESS not in school and SearchDetail.UPN in school
    assert SearchDetail.LAST_ADDRESS in recipient_sees(Kind.CME4)
    assert recipient_sees(Kind.HOME_VISIT) == frozenset()
    assert recipient_sees("unknown") == frozenset()


# Who reaches the council's pages of case A's enquiries (case A names "paews" and "keyworker").
COUNCIL_SIDE = {
    "officer": 200,
    "manager": 200,
    "paews": 200,
    "paews_other": 404,
    "school_a": 404,
    "school_b": 404,
    "keyworker": 404,
    "agency": 404,
    "otherla": 404,
    "admin": 404,
}


@pytest.mark.parametrize(("name", "status"), COUNCIL_SIDE.items())
def test_the_case_enquiries_and_an_enquiry_page_by_role(
    world: World, planted: Enquiry, name: str, status: int
) -> None:
    client = _as(world, name)
    case_page = client.get(f"/enquiries/cases/{world.case_at_a.pk}/")
    detail = client.get(f"/enquiries/{planted.pk}/")
    assert case_page.status_code == detail.status_code == status
    if status == 200:
        assert planted.reference in case_page.content.decode()
        assert world.school_a.name in detail.content.decode()


@pytest.mark.parametrize(
    ("name", "status"),
    [("school_a", 200), ("school_b", 404), ("otherla", 404), ("agency", 404), ("officer", 404)],
)
def test_the_inbox_enquiry_is_the_recipients_only(
    world: World, planted: Enquiry, name: str, status: int
) -> None:
    response = _as(world, name).get(f"/enquiries/inbox/{planted.pk}/")
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert world.case_at_a.child.surname in body and PLANTED_ADDRESS not in body
        assert AuditEvent.objects.filter(
            verb=Verb.VIEW, subject_id=planted.pk, actor=world.users[name]
        ).exists()


def test_the_inbox_lists_only_what_was_sent_to_the_organisation(world: World, planted) -> None:
    mine = _as(world, "school_a").get("/enquiries/inbox/").content.decode()
    theirs = _as(world, "school_b").get("/enquiries/inbox/").content.decode()
    # The enquiry's own link, not its short reference ("E1" can sit in a postcode).
    link = f"/enquiries/inbox/{planted.pk}/"
    assert link in mine and link not in theirs
    assert _as(world, "keyworker").get("/enquiries/inbox/").status_code == 403
    assert _as(world, "admin").get("/enquiries/inbox/").status_code == 403


def test_a_school_answers_in_its_inbox_and_keeps_what_it_typed_on_error(
    world: World, planted: Enquiry
) -> None:
    client = _as(world, "school_a")
    url = f"/enquiries/inbox/{planted.pk}/"
    wrong = client.post(url, {"outcome": "left", "left_for": "Typed destination"})
    body = wrong.content.decode()
    assert wrong.status_code == 400 and "There is a problem" in body
    assert "Enter the date the child left your roll" in body and "Typed destination" in body
    done = client.post(url, {"outcome": "not_known", "version": planted.version})
    assert done.status_code == 302
    planted.refresh_from_db()
    assert planted.state == State.ANSWERED and planted.outcome == "not_known"
    again = client.post(url, {"outcome": "not_known"})
    assert again.status_code == 400 and "already been answered" in again.content.decode()


def test_the_officer_sends_a_cme3a_to_two_schools_from_the_page(
    world: World, no_account_school
) -> None:
    client = _as(world, "officer")
    case = world.case_at_a
    url = f"/enquiries/cases/{case.pk}/send/cme3a/"
    page = client.get(url)
    assert page.status_code == 200 and world.school_a.name in page.content.decode()
    missing_email = client.post(
        url, {f"school_{world.school_a.pk}": "on", "other_school": no_account_school.pk}
    )
    assert missing_email.status_code == 400
    assert "has no account" in missing_email.content.decode()
    assert not Enquiry.objects.exists()
    sent = client.post(
        url,
        {
            f"school_{world.school_a.pk}": "on",
            "other_school": no_account_school.pk,
            "other_reason": "near_address",
            "other_email": "office@fictional-lane.example.org",
        },
    )
    assert sent.status_code == 302
    assert Enquiry.objects.filter(case=case, kind=Kind.CME3A).count() == 2
    # A sibling's school and another near the address, in one go, from the numbered rows.
    sibling, near = EstablishmentFactory.create(), EstablishmentFactory.create()
    more = client.post(
        url,
        {
            "other_school_2": sibling.pk,
            "other_reason_2": "sibling_school",
            "other_email_2": "office@sibling.example.org",
            "other_school_3": near.pk,
            "other_email_3": "office@near.example.org",
        },
    )
    assert more.status_code == 302
    batch = Enquiry.objects.filter(recipient_school__in=[sibling, near])
    assert {e.school_reason for e in batch} == {"sibling_school", "other"}
    assert len({e.batch for e in batch}) == 1
    yesterday = timezone.localdate() - timedelta(days=1)
    past = client.post(
        f"/enquiries/cases/{case.pk}/send/cme4/",
        {
            "la_code": "344",
            "recipient_email": "cme@wirral.example.org",
            "due_on_0": yesterday.day,
            "due_on_1": yesterday.month,
            "due_on_2": yesterday.year,
        },
    )
    assert past.status_code == 400 and "not before the enquiry is sent" in past.content.decode()


@pytest.mark.parametrize("name", ["school_a", "keyworker", "agency", "otherla", "admin"])
def test_only_the_council_sends(world: World, name: str) -> None:
    response = _as(world, name).post(
        f"/enquiries/cases/{world.case_at_a.pk}/send/cme3a/",
        {f"school_{world.school_a.pk}": "on"},
    )
    assert response.status_code in {403, 404}
    assert not Enquiry.objects.exists()


def test_the_case_page_links_the_enquiries_for_the_council_only(world: World) -> None:
    link = f"/enquiries/cases/{world.case_at_a.pk}/"
    assert (
        link in _as(world, "officer").get(f"/register/cases/{world.case_at_a.pk}/").content.decode()
    )
    assert (
        link
        not in _as(world, "keyworker")
        .get(f"/register/cases/{world.case_at_a.pk}/")
        .content.decode()
    )


def test_the_letter_opens_for_the_officer_and_the_recipient_only(world: World, planted) -> None:
    officer = _as(world, "officer").get(f"/enquiries/{planted.pk}/letter.pdf")
    assert officer.status_code == 200 and officer["Content-Type"] == "application/pdf"
    school = _as(world, "school_a").get(f"/enquiries/inbox/{planted.pk}/letter.pdf")
    assert school.status_code == 200 and bytes(school.content).startswith(b"%PDF")
    assert (
        _as(world, "school_b").get(f"/enquiries/inbox/{planted.pk}/letter.pdf").status_code == 404
    )


def test_the_letters_page_is_the_managers(world: World) -> None:
    assert _as(world, "manager").get("/enquiries/letters/").status_code == 200
    assert _as(world, "officer").get("/enquiries/letters/").status_code == 403
    manager = _as(world, "manager")
    blank = manager.post("/enquiries/letters/cme3a/", {"title": "Typed title"})
    assert blank.status_code == 400 and "Enter this part of the letter" in blank.content.decode()
    assert "Typed title" in blank.content.decode()


def test_outstanding_enquiries_are_in_the_officers_and_paews_queue(world: World) -> None:
    from cme.enquiries.services import Recipient, enquiry_send

    cme3a = send(world)
    visit = enquiry_send(
        case=world.case_at_b,
        kind=Kind.HOME_VISIT,
        recipients=[Recipient(user=world.users["paews_other"])],
        by=world.users["officer"],
    )[0]

    # Each enquiry's link in the queue, not its short reference ("E2" can be part of a postcode).
    def listed(enquiry: Enquiry, page: str) -> bool:
        return f'href="/enquiries/{enquiry.pk}/"' in page

    officer = _as(world, "officer").get("/").content.decode()
    assert listed(cme3a, officer) and listed(visit, officer)
    paews = _as(world, "paews").get("/").content.decode()  # named on case A
    assert listed(cme3a, paews) and not listed(visit, paews)
    visitor = _as(world, "paews_other").get("/").content.decode()
    assert listed(visit, visitor) and not listed(cme3a, visitor)
    assert "outstanding-enquiries" not in _as(world, "keyworker").get("/").content.decode()
    school = _as(world, "school_a").get("/").content.decode()
    assert "/enquiries/inbox/" in school and not listed(cme3a, school)
