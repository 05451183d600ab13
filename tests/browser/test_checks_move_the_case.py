"""In headless Chromium: an officer confirms a roll match and closes the case as on roll."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from factories import ChildFactory, EstablishmentFactory, OpenCaseFactory, UserFactory

from cme.accounts.models import Role
from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseStatus, Outcome
from cme.checks.models import PupilOnRoll
from cme.checks.sources import clear_cache

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"


def test_officer_confirms_a_roll_match_and_closes_the_case_as_on_roll(
    live_server, page: Page
) -> None:
    clear_cache()
    officer = UserFactory.create(username="officer", role=Role.CME_OFFICER)
    school = EstablishmentFactory.create(name="Fictional Park Academy")
    child = ChildFactory.create(
        forename="Alfie", surname="Fictional", date_of_birth=date(2015, 3, 14)
    )
    case = OpenCaseFactory.create(child=child, status=CaseStatus.CHECKING)
    PupilOnRoll.objects.create(
        establishment=school,
        forename="Alfie",
        surname="Fictional",
        date_of_birth=date(2015, 3, 14),
        loaded_at=timezone.now(),
        sessions_possible=100,
        sessions_attended=96,
    )
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()

    page.goto(f"{base}/checks/cases/{case.pk}/")
    page.get_by_role("button", name="Run the check").click()
    page.get_by_text("Check run against every source").wait_for()
    card = page.locator(".govuk-summary-card", has_text="Fictional Park Academy")
    card.get_by_role("button", name="Confirm: this is the child").click()

    page.get_by_role(
        "heading", name="Alfie Fictional is on roll at Fictional Park Academy"
    ).wait_for()
    assert page.get_by_text(str(school.urn)).is_visible()
    page.get_by_role("button", name="Continue").click()  # nothing chosen yet
    page.get_by_text("Choose whether to close the case or keep it open").first.wait_for()
    page.get_by_label("Close the case: the child is on roll at this school").check()
    page.get_by_label("Note (optional)").fill("Seen in class by the school's office")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Case closed: on roll at Fictional Park Academy").wait_for()

    case.refresh_from_db()
    assert (case.status, case.outcome, case.school) == (CaseStatus.CLOSED, Outcome.ON_ROLL, school)
    assert AuditEvent.objects.filter(
        actor=officer, verb=Verb.CLOSE, child_id=child.pk, details__school_urn=school.urn
    ).exists()
