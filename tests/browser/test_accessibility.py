"""WCAG 2.2 AA checks with axe-core (from the npm registry) on the pages people use most.

axe finds what a machine can (labels, contrast, structure, ARIA); it does not replace testing
with people who use assistive technology.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from factories import OpenCaseFactory, ReferralFactory, SchoolOrganisationFactory, UserFactory

from cme.accounts.models import Role

if TYPE_CHECKING:
    from browser.conftest import Policed
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a long test password"


@pytest.fixture
def page(chromium: Browser, policed: Policed) -> Iterator[Page]:
    """axe runs as a script in the page, so these checks need JavaScript on (the pages are the
    same without it; the journeys test that)."""
    with policed(chromium.new_context()) as page:
        yield page


def _violations(page: Page) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: run `make install`")
    # Evaluated from outside the page, as a tester's tool: the page's own policy refuses any
    # script it did not send itself, which is the point of it.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']}: {v['help']} ({json.dumps([n['target'] for n in v['nodes']][:3])})"
        for v in result["violations"]
    ]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()


def test_staff_pages_meet_wcag_22_aa(live_server, page: Page) -> None:
    UserFactory.create(username="officer", role=Role.CME_OFFICER)
    school = SchoolOrganisationFactory.create()
    case = OpenCaseFactory.create(school=school.establishment)
    referral = ReferralFactory.create(received_on=timezone.localdate())
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    found = {"/sign-in/": _violations(page)}
    _sign_in(page, base, "officer")
    for path in (
        "/",
        "/register/",
        f"/register/cases/{case.pk}/",
        f"/register/cases/{case.pk}/close/",
        f"/referrals/{referral.pk}/",
        "/referrals/new/",
        f"/checks/cases/{case.pk}/",
        f"/plans/cases/{case.pk}/",
    ):
        page.goto(base + path)
        found[path] = _violations(page)
    # A form with errors, as a person who made a mistake sees it.
    page.goto(f"{base}/referrals/new/")
    page.get_by_role("button", name="Send referral").click()
    found["/referrals/new/ (errors)"] = _violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_public_referral_pages_meet_wcag_22_aa(live_server, page: Page) -> None:
    base = live_server.url
    found = {}
    page.goto(f"{base}/refer/")
    found["start"] = _violations(page)
    page.get_by_role("button").first.click()
    found["first question"] = _violations(page)
    page.get_by_role("button", name="Continue").click()  # nothing entered: the error state
    found["first question (errors)"] = _violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_notices_and_the_refused_form_page_meet_wcag_22_aa(live_server, page: Page) -> None:
    base = live_server.url
    found = {}
    for path in ("/privacy/", "/accessibility/", "/cookies/", "/contact/"):
        page.goto(base + path)
        found[path] = _violations(page)
    # Cookies lost between opening a form and sending it: the refused-token page, for real.
    page.goto(f"{base}/refer/child-name/")
    page.context.clear_cookies()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Sorry, we could not accept that form").wait_for()
    found["refused form"] = _violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_the_check_itself_finds_a_problem(page: Page) -> None:
    page.set_content("<html lang='en'><title>t</title><main><input type='text'></main></html>")
    assert any(v.startswith("label:") for v in _violations(page))


def test_enquiry_pages_meet_wcag_22_aa(live_server, page: Page) -> None:
    from django.db import transaction

    from cme.enquiries.models import Kind
    from cme.enquiries.services import Recipient, enquiry_send, link_issue

    officer = UserFactory.create(username="officer", role=Role.CME_OFFICER)
    school = SchoolOrganisationFactory.create()
    UserFactory.create(username="school", role=Role.SCHOOL_STAFF, organisation=school)
    case = OpenCaseFactory.create(school=school.establishment)
    with transaction.atomic():
        (enquiry,) = enquiry_send(
            case=case,
            kind=Kind.CME3A,
            recipients=[Recipient(school=school.establishment)],
            by=officer,
        )
        token = link_issue(enquiry=enquiry)
    base = live_server.url
    found = {}
    page.goto(f"{base}/enquiry-reply/{token}/")
    found["secure link"] = _violations(page)
    page.get_by_role("button", name="Send your answer").click()
    found["secure link (errors)"] = _violations(page)
    page.goto(f"{base}/enquiry-reply/not-a-token/")
    found["refused link"] = _violations(page)
    _sign_in(page, base, "officer")
    for path in (
        f"/enquiries/cases/{case.pk}/",
        f"/enquiries/cases/{case.pk}/send/cme3a/",
        f"/enquiries/cases/{case.pk}/send/cme4/",
        f"/enquiries/cases/{case.pk}/send/agency_check/",
        f"/enquiries/cases/{case.pk}/send/home_visit/",
        f"/enquiries/{enquiry.pk}/",
    ):
        page.goto(base + path)
        found[path] = _violations(page)
    page.context.clear_cookies()
    _sign_in(page, base, "school")
    for path in ("/enquiries/inbox/", f"/enquiries/inbox/{enquiry.pk}/"):
        page.goto(base + path)
        found[path] = _violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_report_pages_meet_wcag_22_aa(live_server, page: Page) -> None:
    from cme.calendars.selectors import forget_calendars
    from cme.calendars.services import term_dates_import

    forget_calendars()
    term_dates_import(
        path=Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"
    )
    UserFactory.create(username="manager", role=Role.CME_MANAGER)
    OpenCaseFactory.create(opened_on=timezone.localdate().replace(day=1))
    base = live_server.url
    _sign_in(page, base, "manager")
    found = {}
    today = timezone.localdate()
    for path in (
        "/reports/",
        "/reports/pack/",
        "/reports/not-in-school/",
        "/reports/extracts/",
    ):
        page.goto(base + path)
        found[path] = _violations(page)
    page.goto(f"{base}/reports/dfe-return/")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Count").click()
    found["/reports/dfe-return/ (counted, or refused in words)"] = _violations(page)
    forget_calendars()
    assert {path: v for path, v in found.items() if v} == {}


def test_the_matching_models_page_meets_wcag_22_aa(live_server, page: Page) -> None:
    from cme.checks.matching_models import matching_model_add
    from cme.matching.model import default_model

    manager = UserFactory.create(username="manager", role=Role.CME_MANAGER)
    shipped = default_model()
    content = shipped.to_json().replace(f'"version": "{shipped.version}"', '"version": "la-1"')
    scores = {"precision": 0.9, "recall": 0.75, "predicted_likely": 20, "true_positives": 18}
    report = {
        "base": shipped.version,
        "decisions": {"confirmed": 24, "rejected": 12},
        "decisions_base": {**scores, "matches": 24},
        "decisions_new": {**scores, "matches": 24},
        "folds": 5,
    }
    matching_model_add(content=content, by=manager, report=report)
    base = live_server.url
    _sign_in(page, base, "manager")
    found = {}
    page.goto(f"{base}/checks/matching-models/")
    found["matching models"] = _violations(page)
    page.get_by_role("button", name="Switch model").click()  # nothing chosen: the errors
    found["matching models (errors)"] = _violations(page)
    assert {name: v for name, v in found.items() if v} == {}
