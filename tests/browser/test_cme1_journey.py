"""Done when (issue 11): a school works through CME1, its PAEWS officer signs it off, the
school's deletion return on ground 9(1)(i) is assessed lawful and a referral appears on the
register, in headless Chromium (with and without JavaScript).

The clock is set to Monday 16 March 2026 (ticking), inside Liverpool's term dates: the
enquiries began on Monday 2 February, so the 20 school days were met on 6 March.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from factories import EstablishmentFactory, OrganisationFactory, UserFactory

from cme.accounts.models import OrganisationKind, Role
from cme.calendars.services import term_dates_import
from cme.checklist.models import Checklist, Status
from cme.referrals.models import Referral, Route
from cme.roll.models import DeletionReturn
from cme.rules.cme1 import STEPS

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"
UPN = "P207000016049"
TERM_DATES = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"


@pytest.fixture
def spring(transactional_db: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Europe/London"))):
        term_dates_import(path=TERM_DATES)
        brook = EstablishmentFactory.create(name="Brook Lane Primary School")
        staff = OrganisationFactory.create(
            name="Brook Lane staff", kind=OrganisationKind.SCHOOL, establishment=brook
        )
        UserFactory.create(username="school", role=Role.SCHOOL_STAFF, organisation=staff)
        brook.paews_officer = UserFactory.create(
            username="ewo", first_name="Priya", last_name="Shah", role=Role.PAEWS_OFFICER,
            organisation=OrganisationFactory.create(name="PAEWS", kind=OrganisationKind.PAEWS),
        )  # fmt: skip
        brook.save()
        UserFactory.create(username="officer", role=Role.CME_OFFICER)
        yield


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()
    # The heading is there while the page is still loading; a link clicked then was once lost.
    page.wait_for_load_state()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/sign-in" in url or url.endswith("/"))


def _fill_date(page: Page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"[name={name}_0]").fill(str(day))
    page.locator(f"[name={name}_1]").fill(str(month))
    page.locator(f"[name={name}_2]").fill(str(year))


def _main(page: Page) -> str:
    return page.locator("main").inner_text()


def test_a_school_works_through_cme1_and_the_deletion_is_lawful(
    live_server, page: Page, spring: None
) -> None:
    base = live_server.url
    _sign_in(page, base, "school")
    page.get_by_role("link", name="CME1 checklists: pupils whose whereabouts are unknown").click()
    page.wait_for_url(f"{base}/cme1/")
    page.get_by_role("link", name="Start a CME1 checklist").click()
    page.get_by_label("First name").fill("Evie")
    page.get_by_label("Last name").fill("Fictional")
    _fill_date(page, "date_of_birth", 31, 3, 2015)
    page.get_by_label("Unique pupil number (UPN)").fill(UPN)
    _fill_date(page, "first_day_absent", 26, 1, 2026)
    page.get_by_role("button", name="Start the checklist").click()
    assert "CME1 checklist started" in _main(page)

    # A step refused keeps what was typed and says why.
    page.get_by_label("Step", exact=True).select_option("letter")
    _fill_date(page, "done_on", 2, 2, 2026)
    page.get_by_label("The school and the council jointly").check()
    page.get_by_role("button", name="Record the step").click()
    assert "Enter who made the step" in _main(page)
    assert page.locator("[name=done_on_0]").input_value() == "2"

    for step in STEPS:
        joint = step.council_only or step.key == "home_visit"
        page.get_by_label("Step", exact=True).select_option(step.key)
        _fill_date(page, "done_on", 2, 2, 2026)
        page.get_by_label(
            "The school and the council jointly" if joint else "The school", exact=True
        ).check()
        page.get_by_label("Name and role of the person who made it").fill(
            "Sam Jones, attendance officer"
        )
        page.get_by_label("What came of it").fill("No answer; nobody knows where they went.")
        page.get_by_role("button", name="Record the step").click()
        assert f"Step recorded: {step.title}" in _main(page)
    assert "met on 6 March 2026" in _main(page)
    page.get_by_label("Not found: the school and the council have not found the pupil").check()
    page.get_by_role("button", name="Send to the PAEWS officer").click()
    assert "Checklist sent to Priya Shah, your PAEWS officer" in _main(page)
    checklist = Checklist.objects.get()
    _sign_out(page)

    _sign_in(page, base, "ewo")
    page.get_by_role("link", name="CME1 checklists: pupils whose whereabouts are unknown").click()
    page.get_by_role("link", name=f"Checklist {checklist.pk}").click()
    # Returning it without reasons is refused in words.
    page.get_by_label("Return it to the school with reasons").check()
    page.get_by_role("button", name="Save your decision").click()
    assert "Say why you are returning the checklist" in _main(page)
    page.get_by_label("Sign off the checklist").check()
    page.get_by_role("button", name="Save your decision").click()
    assert "The pupil has been referred to the register" in _main(page)
    checklist.refresh_from_db()
    assert checklist.status == Status.SIGNED_OFF
    referral = Referral.objects.get(route=Route.SCHOOL)
    _sign_out(page)

    _sign_in(page, base, "school")
    page.goto(f"{base}/cme1/{checklist.pk}/")
    duty = page.locator("[data-ctf-duty]").inner_text()
    assert "XXXXXXX" in duty and "within 15 school days" in duty
    page.goto(f"{base}/school-returns/deletion/new/")
    page.get_by_label("First name").fill("Evie")
    page.get_by_label("Last name").fill("Fictional")
    _fill_date(page, "date_of_birth", 31, 3, 2015)
    page.get_by_label("Unique pupil number (UPN)").fill(UPN)
    page.get_by_label("Parent's full name").fill("Jo Fictional")
    page.get_by_label("Ground for the deletion (SI 2024/208 reg 9)").select_option("9(1)(i)")
    _fill_date(page, "deleted_on", 16, 3, 2026)
    page.locator("[name=facts][value=ceased_to_attend]").check()
    _fill_date(page, "first_day_absent", 26, 1, 2026)
    page.locator("[name=absence_codes]").fill("GGNNOO")
    page.get_by_role("button", name="Send the return").click()
    assert "the council has assessed the deletion as lawful" in _main(page)
    assert DeletionReturn.objects.get().referral == referral
    _sign_out(page)

    _sign_in(page, base, "officer")
    waiting = page.locator("main").inner_text()
    assert referral.reference in waiting and "Evie Fictional" in waiting
