"""Done when: a manager sets a school's PAEWS officer and the school's user sees who it is,
in headless Chromium (with and without JavaScript)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from factories import EstablishmentFactory, OrganisationFactory, UserFactory

from cme.accounts.models import OrganisationKind, Role
from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"


@pytest.fixture
def school(transactional_db: None) -> str:
    UserFactory.create(username="manager", role=Role.CME_MANAGER)
    brook = EstablishmentFactory.create(name="Brook Lane Primary School")
    staff = OrganisationFactory.create(
        name="Brook Lane staff", kind=OrganisationKind.SCHOOL, establishment=brook
    )
    UserFactory.create(username="school", role=Role.SCHOOL_STAFF, organisation=staff)
    UserFactory.create(
        username="ewo", first_name="Priya", last_name="Shah", role=Role.PAEWS_OFFICER,
        job_title="Education welfare officer", email="priya.shah@council.example.org",
        organisation=OrganisationFactory.create(name="PAEWS north", kind=OrganisationKind.PAEWS),
    )  # fmt: skip
    return brook.name


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/sign-in" in url or url.endswith("/"))


def test_a_manager_names_the_officer_and_the_school_sees_them(
    live_server, page: Page, school: str
) -> None:
    base = live_server.url
    _sign_in(page, base, "school")
    assert "has no PAEWS officer named on the register yet" in page.locator("main").inner_text()
    _sign_out(page)

    _sign_in(page, base, "manager")
    page.get_by_role("link", name="Reference data").click()
    page.get_by_role("link", name="Schools and their PAEWS officers").click()
    page.get_by_label("School name").fill("Brook")
    page.get_by_role("button", name="Find schools").click()
    page.get_by_role("link", name=f"Change the PAEWS officer for {school}").click()
    page.get_by_label("PAEWS officer").select_option(label="Priya Shah, Education welfare officer")
    page.get_by_role("button", name="Save").click()
    assert "Priya Shah is now the PAEWS officer for Brook Lane Primary School" in (
        page.locator("main").inner_text()
    )
    assert AuditEvent.objects.filter(verb=Verb.UPDATE, subject_type="establishment").count() == 1
    _sign_out(page)

    _sign_in(page, base, "school")
    contact = page.locator("[data-paews-contact]")
    text = contact.inner_text()
    assert "If a child is on your roll but not attending" in text
    assert "Priya Shah" in text and "priya.shah@council.example.org" in text
    # And on the referral form, where a school might otherwise refer a pupil still on roll.
    page.get_by_role("link", name="Make a referral").first.click()
    assert "Priya Shah" in page.locator("[data-paews-contact]").inner_text()
