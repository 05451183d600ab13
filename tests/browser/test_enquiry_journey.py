"""Issue 12's done-when, in headless Chromium: a CME3a to two schools, one answering "not known"
in its inbox and the other "on roll since ..." through a secure link with no account, the case
closed as on roll there; a CME4 chased after its due date and answered through the API; every
enquiry's letter opens; an expired link and a reused link are refused."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.utils import timezone
from factories import (
    EstablishmentFactory,
    OpenCaseFactory,
    OrganisationFactory,
    SchoolOrganisationFactory,
    UserFactory,
)

from cme.accounts.models import OrganisationKind, Role
from cme.api.tokens import api_token_create
from cme.cases.models import CaseStatus, Outcome
from cme.enquiries.models import Enquiry, EnquiryLink, Kind, State

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()


def _fill_date(page: Page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"[name={name}_0]").fill(str(day))
    page.locator(f"[name={name}_1]").fill(str(month))
    page.locator(f"[name={name}_2]").fill(str(year))


def _link_in(address: str) -> str:
    body = next(m.body for m in reversed(mail.outbox) if address in m.to)
    return "/enquiry-reply/" + body.split("/enquiry-reply/")[1].split("/")[0] + "/"


def _pdf_opens(page: Page, url: str) -> None:
    response = page.request.get(url)
    assert response.status == 200, url
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_enquiries_locate_the_child_and_close_the_case(live_server, page: Page) -> None:
    mail.outbox.clear()
    base = live_server.url
    today = timezone.localdate()
    UserFactory.create(username="officer", role=Role.CME_OFFICER, first_name="Jo")
    school_org = SchoolOrganisationFactory.create(
        name="Fictional Park staff",
        establishment=EstablishmentFactory.create(name="Fictional Park Primary"),
    )
    UserFactory.create(username="parkschool", role=Role.SCHOOL_STAFF, organisation=school_org)
    lane = EstablishmentFactory.create(name="Fictional Lane Primary")
    sefton = OrganisationFactory.create(
        name="Sefton Council", kind=OrganisationKind.OTHER_LA, la_code="343"
    )
    sefton_user = UserFactory.create(username="sefton", role=Role.OTHER_LA, organisation=sefton)
    case = OpenCaseFactory.create(school=school_org.establishment, status=CaseStatus.LOCATING)
    child = case.child

    # The officer sends a CME3a to the last school and to one with no account.
    _sign_in(page, base, "officer")
    page.goto(f"{base}/register/cases/{case.pk}/")
    page.get_by_role("link", name="Enquiries to locate the child").click()
    page.get_by_role("link", name="Ask schools whether the child is on their roll").click()
    page.get_by_label("Fictional Park Primary (the child's last school)").check()
    page.get_by_label("Another school", exact=True).select_option(label="Fictional Lane Primary")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="There is a problem").wait_for()  # no email for Lane
    assert "has no account in the register" in page.content()
    assert Enquiry.objects.count() == 0
    page.get_by_label("Email address for the secure link").fill("office@lane.example.org")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("2 enquiries sent").wait_for()
    park = Enquiry.objects.get(recipient_school=school_org.establishment)
    lane_enquiry = Enquiry.objects.get(recipient_school=lane)
    assert park.batch == lane_enquiry.batch and park.batch is not None
    # And a CME4 to Sefton, through the API as the officer's system would, due today.
    officer_token = api_token_create(owner=park.sent_by, name="officer system")[1]
    sent = page.request.post(
        f"{base}/api/v1/cases/{case.pk}/enquiries/",
        headers={"Authorization": f"Bearer {officer_token}"},
        data={"kind": "cme4", "recipient_la_code": "343", "due_on": today.isoformat()},
    )
    assert sent.status == 201, sent.text()
    cme4 = Enquiry.objects.get(kind=Kind.CME4)

    # Fictional Park answers "not known" in its inbox.
    _sign_in(page, base, "parkschool")
    page.get_by_role("link", name="Enquiries sent to you").click()
    page.get_by_role("link", name=park.reference).click()
    # The click only starts the navigation: read the page once the enquiry's own page has loaded.
    page.wait_for_url(f"{base}/enquiries/inbox/{park.pk}/")
    assert child.surname in page.content()
    _pdf_opens(page, f"{base}/enquiries/inbox/{park.pk}/letter.pdf")
    page.get_by_label("Not known to us (this is not our pupil)").check()
    page.get_by_role("button", name="Send your answer").click()
    page.get_by_text("your answer has been sent").wait_for()

    # Fictional Lane has no account: it answers "on roll since ..." through its link.
    page.context.clear_cookies()
    link = _link_in("office@lane.example.org")
    page.goto(base + link)
    page.get_by_role("heading", name="Is this child known to you?").wait_for()
    joined = today - timedelta(days=21)
    page.get_by_label("On our roll", exact=True).check()
    _fill_date(page, "on_roll_from", joined.day, joined.month, joined.year)
    page.get_by_label("Your name").fill("A Fictional Secretary")
    page.get_by_role("button", name="Send your answer").click()
    page.get_by_role("heading", name="Answer sent").wait_for()
    # The link is used: a second visit is refused and shows nothing about the child.
    page.goto(base + link)
    page.get_by_role("heading", name="This link cannot be used").wait_for()
    assert "already been used" in page.content() and child.surname not in page.content()

    # The CME4 falls due unanswered (its due date passes), and the officer chases it.
    Enquiry.objects.filter(pk=cme4.pk).update(due_on=today, sent_on=today - timedelta(days=14))
    _sign_in(page, base, "officer")
    page.goto(f"{base}/enquiries/{cme4.pk}/")
    page.get_by_role("button", name="Chase now").click()
    page.get_by_text("Enquiry chased").wait_for()
    cme4.refresh_from_db()
    assert cme4.chases == 1 and cme4.due_on > today
    # Sefton's system answers through the API; a second answer is refused.
    sefton_token = api_token_create(owner=sefton_user, name="sefton system")[1]
    answer_url = f"{base}/api/v1/enquiries/{cme4.pk}/response/"
    headers = {"Authorization": f"Bearer {sefton_token}"}
    answered = page.request.post(
        answer_url, headers=headers, data={"outcome": "known_to_cme", "details": "Known to us."}
    )
    assert answered.status == 200, answered.text()
    again = page.request.post(answer_url, headers=headers, data={"outcome": "not_known"})
    assert again.status == 409
    cme4.refresh_from_db()
    assert cme4.state == State.ANSWERED and cme4.outcome == "known_to_cme"

    # Every enquiry's letter opens.
    for enquiry in (park, lane_enquiry, cme4):
        _pdf_opens(page, f"{base}/enquiries/{enquiry.pk}/letter.pdf")

    # The officer closes the case as on roll at Fictional Lane, from its answer.
    page.goto(f"{base}/enquiries/{lane_enquiry.pk}/")
    assert "A Fictional Secretary" in page.content()
    page.get_by_role("button", name="Close the case: on roll at Fictional Lane Primary").click()
    page.get_by_text("Case closed: the child is on a school roll").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.ON_ROLL


def test_an_expired_link_is_refused(live_server, page: Page) -> None:
    mail.outbox.clear()
    officer = UserFactory.create(username="officer", role=Role.CME_OFFICER)
    case = OpenCaseFactory.create()
    lane = EstablishmentFactory.create(name="Fictional Lane Primary")
    from django.db import transaction

    from cme.enquiries.services import Recipient, enquiry_send

    with transaction.atomic():
        (enquiry,) = enquiry_send(
            case=case,
            kind=Kind.CME3A,
            recipients=[Recipient(school=lane, email="office@lane.example.org")],
            by=officer,
        )
    link = _link_in("office@lane.example.org")
    EnquiryLink.objects.filter(enquiry=enquiry).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page.goto(live_server.url + link)
    page.get_by_role("heading", name="This link cannot be used").wait_for()
    body = page.content()
    assert "expired" in body and case.child.surname not in body
