"""Done when (issue 11): a new pupil return closes a matched open case; the watch list shows
a pupil from an attendance return with its clocks. Headless Chromium, with and without
JavaScript."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from browser_steps import fill_date, sign_in
from django.utils import timezone
from factories import ChildFactory, OpenCaseFactory, SchoolOrganisationFactory, UserFactory

from cme.accounts.models import Role
from cme.cases.models import CaseStatus
from cme.demo.builder import load_demo_term_dates

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
    # The shipped and the demo's estimated term dates: the clocks count school days.
    load_demo_term_dates()


def test_a_new_pupil_return_closes_the_matched_open_case(
    live_server, page: Page, people: None
) -> None:
    base = live_server.url
    today = timezone.localdate()
    born = date(2015, 3, 31)
    child = ChildFactory.create(forename="Evie", surname="Fictional", date_of_birth=born, sex="F")
    case = OpenCaseFactory.create(child=child, opened_on=today - timedelta(days=30))

    sign_in(page, base, "school")
    page.goto(f"{base}/school-returns/new-pupil/new/")
    page.get_by_label("First name").fill("Evie")
    page.get_by_label("Last name").fill("Fictional")
    fill_date(page, "date_of_birth", born)
    fill_date(page, "admitted_on", today - timedelta(days=2))
    page.locator('[name="boarder"][value="no"]').check()
    page.get_by_role("button", name="Send the return").click()
    assert "New pupil return sent" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(page, base, "officer")
    page.get_by_role("link", name="New pupil returns to match").click()
    assert f"Open case {case.pk}" in page.locator("main").inner_text()
    page.get_by_role("button", name="Confirm: this is the child").first.click()
    assert f"case {case.pk} closed as on roll" in page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_the_watch_list_shows_a_pupil_from_an_attendance_return_with_its_clocks(
    live_server, page: Page, people: None
) -> None:
    base = live_server.url
    today = timezone.localdate()
    sign_in(page, base, "school")
    page.goto(f"{base}/school-returns/attendance/new/")
    fill_date(page, "period_from", today - timedelta(days=40))
    fill_date(page, "period_to", today - timedelta(days=1))
    page.get_by_label("Pupil's first name").fill("Noah")
    page.get_by_label("Pupil's last name").fill("Fictional")
    fill_date(page, "date_of_birth", date(2014, 6, 1))
    page.get_by_label("10 continuous school days coded G, N, O or U (13(7)(b))").check()
    fill_date(page, "first_day_absent", today - timedelta(days=35))
    page.get_by_role("button", name="Send the return").click()
    assert "Attendance return sent" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(page, base, "officer")
    page.get_by_role("link", name="Watch list: pupils at risk of missing education").click()
    table = page.locator('[data-section="watch-list"]').inner_text()
    assert "Noah Fictional" in table and "10 continuous school days" in table
    assert "Day 10: the school's enquiries" in table
    assert "Day 20: ground 9(1)(i) only with joint enquiries" in table
    assert "SI 2024/208 reg 13(7)(b)" in table
