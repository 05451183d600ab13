"""The server's log of a whole officer journey holds no name, date of birth, postcode or UPN.

The journey is the officer's own (test_officer_journey), run against a live server while every
record any logger writes is captured at DEBUG and formatted as production writes it; then an
officer searches the register by name and refers a second child with a UPN. Everything the
journey typed about a child, and everything the database now holds about one, is looked for in
the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import test_officer_journey as officer_journey  # the journey itself, not a copy of it
from django.utils import timezone
from log_capture import LogCapture, captured_log, personal_data_held

from cme.people.models import Child

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A well-formed UPN (its check letter is right) for the second child.
UPN = "X341200115001"
TYPED = ["Alfie", "Fictional", "L8 1AB", "Zebedee", "Nonesuch", "L8 2CD", UPN, "99 Pretend Road"]


@pytest.fixture
def server_log() -> Iterator[LogCapture]:
    with captured_log() as capture:
        yield capture


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """One run with JavaScript is enough here; the journey's own tests run it both ways."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _refer_a_second_child(page: Page, base: str) -> None:
    today = timezone.localdate()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Make a referral").first.click()
    page.get_by_label("How did the referral reach you?").select_option("phone")
    page.get_by_label("Child's first name").fill("Zebedee")
    page.get_by_label("Child's last name").fill("Nonesuch")
    officer_journey._fill_date(page, "received_on", today.day, today.month, today.year)
    officer_journey._fill_date(page, "date_of_birth", 3, 7, today.year - 11)
    page.get_by_label("Unique pupil number (UPN)").fill(UPN)
    page.get_by_label("Last known address").fill("99 Pretend Road")
    page.get_by_label("Postcode").fill("L8 2CD")
    page.get_by_label("Left school, whereabouts unknown").check()
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referral received").wait_for()
    page.get_by_role("link", name="See the referral").click()
    page.get_by_role("button", name="Open a case").click()
    page.get_by_role("heading", name="Zebedee Nonesuch").wait_for()


def test_no_personal_data_reaches_the_server_log(
    live_server, page: Page, tmp_path, server_log
) -> None:
    officer_journey.test_officer_takes_a_phone_referral_through_triage_to_closure(
        live_server, page, tmp_path
    )
    # A name search puts the name in the query string, which a request log would copy.
    page.goto(f"{live_server.url}/register/?q=Alfie+Fictional&status=closed")
    _refer_a_second_child(page, live_server.url)
    assert Child.objects.filter(upn=UPN).exists()

    held = personal_data_held(TYPED)
    assert {"Alfie", "Fictional", "Zebedee", "Nonesuch", UPN, "L8 1AB", "L8 2CD"} <= held
    # The server did log the journey (a line per request), so the check below can fail.
    assert sum('"logger": "cme.request"' in line for line in server_log.lines) > 30

    found = server_log.found(held)
    assert found == [], f"personal data in the server's log: {found}"
