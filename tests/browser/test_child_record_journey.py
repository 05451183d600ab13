"""An officer corrects a child's surname in headless Chromium: the old one is kept and shown
as a former name, with the reason; adds a carer and a risk factor, each refused first in
words with what was typed kept."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from factories import ChildFactory, OpenCaseFactory, UserFactory

from cme.accounts.models import Role
from cme.people.models import Carer, Child, ChildRiskFactor, FormerName, RiskFactor

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"


def test_officer_corrects_a_surname_and_the_old_one_is_kept(live_server, page: Page) -> None:
    UserFactory.create(username="fixer", role=Role.CME_OFFICER, first_name="Fran")
    child = ChildFactory.create(forename="Evie", surname="Example")
    OpenCaseFactory.create(child=child)
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill("fixer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()

    page.goto(base + reverse("people:detail", args=[child.pk]))
    page.get_by_role("link", name="Correct the name and identity").click()
    page.get_by_label("Last name").fill("Brennan")
    page.get_by_role("button", name="Save the changes").click()
    # No reason given: refused, the error in the summary and beside the field, typing kept.
    summary = page.locator(".govuk-error-summary")
    summary.get_by_text("Say why the name or date of birth is changing").wait_for()
    assert page.get_by_label("Last name").input_value() == "Brennan"
    page.get_by_label("Why is the name or date of birth changing?").fill(
        "Mother's surname since the parents separated"
    )
    page.get_by_role("button", name="Save the changes").click()
    page.get_by_role("heading", name="Evie Brennan").wait_for()
    former = page.get_by_test_id("former-names")
    assert "Evie Example" in former.inner_text()
    assert "Mother's surname since the parents separated" in former.inner_text()
    assert Child.objects.get(pk=child.pk).surname == "Brennan"
    assert FormerName.objects.get(child=child).surname == "Example"


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()


def test_officer_adds_a_carer_and_a_risk_factor(live_server, page: Page) -> None:
    UserFactory.create(username="carers", role=Role.CME_OFFICER, first_name="Cal")
    # The policy's list comes with a migration; a transactional test before this one may
    # have flushed it.
    RiskFactor.objects.get_or_create(
        code="runaway", defaults={"label": "Young runaway", "order": 5}
    )
    child = ChildFactory.create(forename="Evie", surname="Example")
    OpenCaseFactory.create(child=child)
    base = live_server.url
    _sign_in(page, base, "carers")

    page.goto(base + reverse("people:detail", args=[child.pk]))
    page.get_by_role("link", name="Add a parent or carer").click()
    page.get_by_label("Name", exact=True).fill("Sam Carer")
    page.get_by_label("Relationship to the child (optional)").fill("Stepfather")
    page.get_by_role("group", name="Does the child live with them?").get_by_label("Yes").check()
    page.get_by_label("Emergency telephone (optional)").fill("ring me")
    page.get_by_role("button", name="Add them").click()
    # Refused in words: the parental responsibility question unanswered, the number wrong;
    # what was typed is kept.
    summary = page.locator(".govuk-error-summary")
    summary.get_by_text("Answer yes or no: do they have parental responsibility?").wait_for()
    assert "emergency telephone number in the right format" in summary.inner_text()
    assert page.get_by_label("Name", exact=True).input_value() == "Sam Carer"
    page.get_by_role("group", name="Do they have parental responsibility?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Emergency telephone (optional)").fill("07700 900123")
    page.get_by_role("button", name="Add them").click()
    page.get_by_text("Parent or carer added").wait_for()
    carers = page.get_by_test_id("carers").inner_text()
    assert "Sam Carer (Stepfather)" in carers and "in an emergency 07700 900123" in carers
    assert "no parental responsibility" in carers
    carer = Carer.objects.get(child=child)
    assert (carer.lives_with_child, carer.parental_responsibility) == (True, False)

    page.get_by_role("link", name="Add a risk factor").click()
    page.get_by_label("Risk factor").select_option(label="Young runaway")
    day = page.get_by_role("group", name="Date raised")
    day.get_by_label("Day").fill("31")
    day.get_by_label("Month").fill("2")
    day.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Add the risk factor").click()
    # 31 February: refused in words, the choice kept.
    page.locator(".govuk-error-summary").get_by_text("must be a real date").wait_for()
    assert page.get_by_label("Risk factor").input_value() == "runaway"
    day.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Add the risk factor").click()
    page.get_by_text("Risk factor added").wait_for()
    risks = page.get_by_test_id("risk-factors").inner_text()
    assert "Young runaway (raised 28 February 2025)" in risks
    link = ChildRiskFactor.objects.get(child=child)
    assert (link.risk_factor.code, link.raised_on) == ("runaway", date(2025, 2, 28))
