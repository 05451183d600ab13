"""Done when (issue 11): a 20-day-absence deletion with no joint enquiry is assessed unlawful
and a reinstatement direction is produced; the school confirms the pupil is back on roll and
the officer's queue shows it closed. Headless Chromium, with and without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from browser_steps import fill_date, sign_in
from django.utils import timezone
from factories import SchoolOrganisationFactory, UserFactory

from cme.accounts.models import Role
from cme.roll.models import DirectionStatus, ReinstatementDirection, WatchedPupil, WatchStatus

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people(transactional_db: None) -> None:
    UserFactory.create(username="officer", role=Role.CME_OFFICER)
    staff = SchoolOrganisationFactory.create(name="Brook Lane staff")
    UserFactory.create(username="school", role=Role.SCHOOL_STAFF, organisation=staff)


def test_an_unlawful_deletion_is_directed_back_and_the_school_confirms(
    live_server, page: Page, people: None
) -> None:
    base = live_server.url
    today = timezone.localdate()
    sign_in(page, base, "school")
    page.goto(f"{base}/school-returns/deletion/new/")
    page.get_by_label("First name").fill("Evie")
    page.get_by_label("Last name").fill("Fictional")
    fill_date(page, "date_of_birth", today.replace(year=today.year - 10))
    page.locator('[name="ground"]').select_option("9(1)(i)")
    fill_date(page, "deleted_on", today - timedelta(days=1))
    fill_date(page, "first_day_absent", today - timedelta(days=42))
    page.get_by_label("The pupil has stopped attending").check()
    page.get_by_role("button", name="Send the return").click()
    main = page.locator("main").inner_text()
    assert "assessed the deletion as unlawful" in main

    direction = ReinstatementDirection.objects.get()
    assert WatchedPupil.objects.get().status == WatchStatus.WATCHING
    page.get_by_role("link", name=f"Reinstatement direction {direction.reference}").click()
    letter = page.locator("[data-letter]").inner_text()
    assert "Direction to reinstate a pupil on your admission register" in letter
    assert "the enquiries must be joint" in letter and "reg 9(1)(i)" in letter
    fill_date(page, "reinstated_on", today)
    page.get_by_role("button", name="Confirm the pupil is back on roll").click()
    assert "is back on your roll" in page.locator("main").inner_text()
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.REINSTATED
    assert WatchedPupil.objects.get().status == WatchStatus.ENDED

    page.context.clear_cookies()
    sign_in(page, base, "officer")
    page.get_by_role("link", name="Reinstatement directions waiting for schools").click()
    closed = page.locator('[data-section="directions-closed"]').inner_text()
    assert direction.reference in closed and "Evie Fictional" in closed
