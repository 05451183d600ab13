"""Issue 10's done-when, in headless Chromium: reloading the CME2 confirmation (and sending
the form again) makes no second referral; declining a referral without a reason shows the
error with its section open; the register fits a 375 px phone without sideways scrolling."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from factories import ChildFactory, OpenCaseFactory, ReferralFactory, UserFactory

from cme.accounts.models import Role
from cme.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from browser.conftest import Policed
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()


def _fill_date(page: Page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"[name={name}_0]").fill(str(day))
    page.locator(f"[name={name}_1]").fill(str(month))
    page.locator(f"[name={name}_2]").fill(str(year))


def test_reloading_the_cme2_confirmation_makes_no_second_referral(live_server, page: Page) -> None:
    UserFactory.create(username="officer", role=Role.CME_OFFICER, first_name="Jo")
    base, today = live_server.url, timezone.localdate()
    _sign_in(page, base, "officer")
    page.goto(f"{base}/referrals/new/")
    page.get_by_label("How did the referral reach you?").select_option("phone")
    _fill_date(page, "received_on", today.day, today.month, today.year)
    page.get_by_label("Child's first name").fill("Alfie")
    page.get_by_label("Child's last name").fill("Fictional")
    page.get_by_label("Left school, whereabouts unknown").check()
    # The form as the browser sends it, its one-time key and security token included.
    sent = page.evaluate(
        "Object.fromEntries(new FormData(document.querySelector('main form[method=post]')))"
    )
    assert sent["submission_key"]
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referral received").wait_for()
    referral = Referral.objects.get()
    # The confirmation is a page of its own (post-redirect-get): reloading it sends nothing.
    assert page.url == f"{base}/referrals/{referral.pk}/sent/"
    for _ in range(2):
        page.reload()
        page.get_by_role("heading", name="Referral received").wait_for()
        assert referral.reference in page.content()
    assert Referral.objects.count() == 1
    # The same form sent a second time (a double click, or Back and Send): the same
    # referral's confirmation, saying so, and still one referral.
    again = page.request.post(f"{base}/referrals/new/", form=sent)
    assert again.ok and again.url == f"{base}/referrals/{referral.pk}/sent/"
    assert f"You had already sent this form: it made referral {referral.reference}" in (
        again.text()
    )
    assert Referral.objects.count() == 1
    # Another session of the same officer does not see this confirmation.
    page.context.clear_cookies()
    _sign_in(page, base, "officer")
    shown = page.goto(f"{base}/referrals/{referral.pk}/sent/")
    assert shown is not None and shown.status == 404


def test_declining_without_a_reason_shows_the_error_with_its_section_open(
    live_server, page: Page
) -> None:
    UserFactory.create(username="officer", role=Role.CME_OFFICER, first_name="Jo")
    referral = ReferralFactory.create(
        described={"forename": "Evie", "surname": "Declined", "date_of_birth": "2015-03-31"}
    )
    base = live_server.url
    _sign_in(page, base, "officer")
    page.goto(f"{base}/referrals/{referral.pk}/")
    page.get_by_text("This is not a CME case", exact=True).click()
    page.get_by_role("button", name="Close the referral").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Say why this is not a CME case" in summary.inner_text()
    # Beside its box too, and the box is open and in view: not hidden in a closed section.
    details = page.locator("details.govuk-details", has=page.locator("[name=note]"))
    assert details.get_attribute("open") is not None
    box = page.get_by_label("Why is this not a case for the CME register?")
    assert box.is_visible()
    assert "Say why this is not a CME case" in page.locator(".govuk-error-message").inner_text()
    # The summary's link takes the reader to the box.
    summary.get_by_role("link", name="Say why this is not a CME case").click()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    box.fill("A duplicate of a referral already on a case")
    page.get_by_role("button", name="Close the referral").click()
    page.get_by_text("Referral closed: not a CME case").wait_for()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


def _cases_with_long_words() -> None:
    for n in range(6):
        child = ChildFactory.create(
            forename=f"Maximiliana-Josephine{n}", surname="Featherstonehaugh-Cholmondeley"
        )
        OpenCaseFactory.create(child=child)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_register_fits_a_375_px_phone_without_sideways_scrolling(
    live_server, chromium: Browser, policed: Policed, javascript: bool
) -> None:
    UserFactory.create(username="officer", role=Role.CME_OFFICER, first_name="Jo")
    _cases_with_long_words()
    phone = chromium.new_context(
        viewport={"width": 375, "height": 812}, java_script_enabled=javascript
    )
    with policed(phone) as page:
        _sign_in(page, live_server.url, "officer")
        page.goto(f"{live_server.url}/register/")
        page.get_by_role("heading", name="Register of children missing education").wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the register is {width} px wide on a 375 px phone"
        assert page.evaluate("document.body.scrollWidth") <= 375
        # The rows are summary cards here, not a table squeezed or scrolled.
        assert not page.locator("table.app-register-table").is_visible()
        cards = page.locator(".app-register-cards .govuk-summary-card")
        assert cards.count() == 6
        assert cards.first.is_visible()
        cards.first.get_by_role("link").click()
        page.get_by_role("link", name="Back to the register").wait_for()
    desk = chromium.new_context(viewport={"width": 1280, "height": 800})
    with policed(desk) as page:
        _sign_in(page, live_server.url, "officer")
        page.goto(f"{live_server.url}/register/")
        assert page.locator("table.app-register-table").is_visible()
        assert not page.locator(".app-register-cards").is_visible()
