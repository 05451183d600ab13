"""A member of the public refers a child at /refer/ in headless Chromium, with and without JS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from cme.audit.models import AuditEvent
from cme.referrals.models import Referral, Route

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _quick(settings: Any) -> None:
    """A robot-speed walk is allowed here (the Client tests cover the rule itself)."""
    settings.CME_PUBLIC_REFERRAL_MIN_SECONDS = 0


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def _fill_date(page: Page, name: str, day: str, month: str, year: str) -> None:
    page.locator(f"[name={name}_0]").fill(day)
    page.locator(f"[name={name}_1]").fill(month)
    page.locator(f"[name={name}_2]").fill(year)


def test_a_member_of_the_public_refers_a_child(live_server, page: Page) -> None:
    page.goto(f"{live_server.url}/refer/")
    page.get_by_role("heading", name="Tell us about a child who is not in school").wait_for()
    assert page.get_by_text("If a child is in danger, call 999").first.is_visible()
    page.get_by_role("button", name="Start now").click()

    # A mistake first: nothing given. The summary says what to do and links to the box.
    page.get_by_role("heading", name="What is the child's name?").wait_for()
    _continue(page)
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    page.get_by_role("link", name="Enter the child's first name or last name").click()
    page.get_by_label("First name").fill("Alfie")
    page.get_by_label("Last name").fill("Fictional")
    _continue(page)

    page.get_by_role("heading", name="Do you know the child's date of birth?").wait_for()
    page.get_by_label("Yes", exact=True).check()
    _fill_date(page, "date_of_birth", "31", "2", "2015")
    _continue(page)
    page.get_by_text("Date of birth must be a real date").first.wait_for()
    assert page.locator("[name=date_of_birth_0]").input_value() == "31"  # kept as typed
    _fill_date(page, "date_of_birth", "14", "2", "2015")
    _continue(page)

    page.get_by_role("heading", name="Where does the child live?").wait_for()
    page.get_by_label("Address line 1").fill("12 Made Up Street")
    page.get_by_label("Postcode").fill("l8 1ab")
    _continue(page)
    page.get_by_label("Which school did the child last go to?").fill("Imaginary Primary")
    _continue(page)
    page.get_by_label("They left their school and nobody knows where they went").check()
    _continue(page)
    page.get_by_label("Is there anything else you can tell us? (optional)").fill(
        "Not seen since half term"
    )
    _continue(page)

    page.get_by_role("heading", name="Your details").wait_for()
    assert page.get_by_text("You do not have to give your name").is_visible()
    assert page.get_by_label("Email address (optional)").get_attribute("autocomplete") == "email"
    page.get_by_label("Your name (optional)").fill("A Neighbour")
    _continue(page)

    page.get_by_role("heading", name="Check your answers before sending your referral").wait_for()
    assert "L8 1AB" in page.content() and "14 February 2015" in page.content()
    # Back goes to the last question; from there Continue comes straight back.
    page.get_by_role("link", name="Back").click()
    page.get_by_role("heading", name="Your details").wait_for()
    assert page.get_by_label("Your name (optional)").input_value() == "A Neighbour"
    _continue(page)
    # Change the child's name from check your answers, and come back to it.
    page.get_by_role("link", name="Change child's name").click()
    page.get_by_label("First name").fill("Alfred")
    _continue(page)
    page.get_by_role("heading", name="Check your answers before sending your referral").wait_for()
    assert "Alfred" in page.content()
    assert "Alfred" not in page.url and "Fictional" not in page.url

    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referral sent").wait_for()
    referral = Referral.objects.get()
    assert referral.reference in page.content()
    assert "Alfred" not in page.content()  # nothing about the child is echoed back
    assert (referral.route, referral.recorded_by) == (Route.ONLINE, None)
    assert referral.described["forename"] == "Alfred"
    assert referral.described["date_of_birth"] == "2015-02-14"
    assert AuditEvent.objects.get(subject_type="referral").actor_label == "public"

    # The answers went with the referral: starting again starts empty.
    page.get_by_role("link", name="Tell us about another child").click()
    page.get_by_role("button", name="Start now").click()
    assert page.get_by_label("First name").input_value() == ""
