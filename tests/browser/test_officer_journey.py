"""Journeys through the real pages in headless Chromium, as the people who use them would go."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from factories import OrganisationFactory, SchoolOrganisationFactory, UserFactory

from cme.accounts.models import OrganisationKind, Role
from cme.audit.models import AuditEvent, Verb
from cme.calendars.services import term_dates_import
from cme.cases.models import Case, CaseStatus
from cme.plans.default_template import DEFAULT_ITEMS, DEFAULT_TEMPLATE
from cme.plans.models import PlanTemplate
from cme.referrals.models import Referral

if TYPE_CHECKING:
    from playwright.sync_api import Page

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


def _term_dates_around_today(tmp_path) -> None:
    """A term that holds today, so the plan's school-day due dates can be worked out."""
    today = timezone.localdate()
    path = tmp_path / "terms.csv"
    path.write_text(
        "kind,first_day,last_day\n"
        f"term,{today - timedelta(days=60)},{today + timedelta(days=300)}\n"
    )
    term_dates_import(path=path)


def _default_plan_template() -> None:
    """The migration's template: another transactional test's flush may have removed it."""
    template, created = PlanTemplate.objects.get_or_create(
        name=DEFAULT_TEMPLATE, defaults={"is_default": True}
    )
    if created:
        for order, (title, days) in enumerate(DEFAULT_ITEMS):
            template.items.create(title=title, due_in_school_days=days, order=order)


def test_officer_takes_a_phone_referral_through_triage_to_closure(
    live_server, page: Page, tmp_path
) -> None:
    _default_plan_template()
    officer = UserFactory.create(username="officer", role=Role.CME_OFFICER, first_name="Jo")
    keyworker = UserFactory.create(
        username="kw",
        role=Role.KEY_WORKER,
        first_name="Kim",
        last_name="Keyworker",
        job_title="School nurse",
        organisation=OrganisationFactory.create(
            name="School nursing", kind=OrganisationKind.AGENCY, approved_for_key_work=True
        ),
    )
    UserFactory.create(role=Role.KEY_WORKER, first_name="Darren", job_title="Youth worker")
    _term_dates_around_today(tmp_path)
    base = live_server.url
    today = timezone.localdate()
    _sign_in(page, base, "officer")

    page.get_by_role("link", name="Make a referral").first.click()
    # A mistake first: it is explained, and what was typed stays.
    page.get_by_label("How did the referral reach you?").select_option("phone")
    page.get_by_label("Child's first name").fill("Alfie")
    page.get_by_label("Child's last name").fill("Fictional")
    page.get_by_label("Postcode").fill("NOTAPC")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_label("Child's first name").input_value() == "Alfie"
    assert "Enter a real postcode" in page.content()
    assert Referral.objects.count() == 0

    page.get_by_label("Postcode").fill("L8 1AB")
    _fill_date(page, "received_on", today.day, today.month, today.year)
    _fill_date(page, "date_of_birth", 14, 2, today.year - 9)
    page.get_by_label("Left school, whereabouts unknown").check()
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referral received").wait_for()
    referral = Referral.objects.get()

    page.get_by_role("link", name="See the referral").click()
    page.get_by_role("button", name="Open a case").click()
    page.get_by_role("heading", name="Alfie Fictional").wait_for()
    case = Case.objects.get()
    assert case.referrals.get() == referral

    page.get_by_role("link", name="Name workers").click()
    search = page.get_by_label("Search the list")
    if search.count():  # with JavaScript: search as you type narrows the list
        search.fill("kim nurse")
        assert page.get_by_text("1 person matches").is_visible()
    page.get_by_label("Key worker").select_option(label="Kim Keyworker, School nurse")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Workers updated").wait_for()

    page.get_by_role("link", name="Move the case on").click()
    page.get_by_label("Checking", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Case status changed").wait_for()

    # The key worker signs in, sees the case on their caseload and owns the action plan.
    page.context.clear_cookies()
    _sign_in(page, base, "kw")
    page.get_by_role("link", name="Alfie Fictional").first.click()
    page.get_by_role("link", name="Action plan").click()
    page.get_by_role("button", name="Start the action plan").click()
    problem = page.locator(".govuk-error-summary")
    assert problem.count() == 0, problem.first.inner_text()
    page.get_by_text("Action plan started").wait_for()
    page.get_by_role("button", name="Make contact with the child and family").click()
    page.get_by_text("Done: Make contact with the child and family").wait_for()
    plan = case.plan
    assert plan.actions.filter(done_on=today, done_by=keyworker).count() == 1
    page.get_by_role("link", name="Back to the case").click()
    page.get_by_label("Add an update").fill("Met the family; a school place is agreed.")
    page.get_by_role("button", name="Add update").click()
    page.get_by_text("Update added").wait_for()

    page.context.clear_cookies()
    _sign_in(page, base, "officer")
    page.goto(f"{base}/register/cases/{case.pk}/")
    page.get_by_role("link", name="Move the case on").click()
    page.get_by_label("Engaging", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Case status changed").wait_for()

    # Back in education needs the provision recorded: the place, its start, and the attendance
    # seen once the watch is over (cme.provision), so the reports can count it.
    page.get_by_role("link", name="Provision: the place offered, the start and attendance").click()
    page.get_by_label("Tuition", exact=False).first.check()
    page.locator("[name=provider_name]").fill("Fictional Tuition Service")
    today = timezone.localdate()
    offered, started = today - timedelta(days=130), today - timedelta(days=120)
    _fill_date(page, "offered_on", offered.day, offered.month, offered.year)
    _fill_date(page, "start_on", started.day, started.month, started.year)
    page.get_by_role("button", name="Record the place").click()
    page.get_by_role("button", name="Record the attendance").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROVISION
    page.get_by_label("Yes: attending").check()
    page.get_by_role("button", name="Record the attendance").click()
    page.get_by_role("link", name="Back to the case").first.click()

    page.get_by_role("link", name="Close the case").click()
    page.get_by_role("button", name="Close the case").click()  # nothing chosen yet
    page.get_by_text("Choose how the case ended").first.wait_for()
    page.get_by_label("Back in education").check()
    page.get_by_label("Why can the case close?").fill("Attending a new school full time")
    # The plan still has open actions, so the closing must say why (cme.cases.closing).
    page.locator("[name=reason]").fill("The new school's pastoral lead takes them on")
    page.get_by_role("button", name="Close the case").click()
    page.get_by_text("Case closed").first.wait_for()
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "in_provision")
    assert AuditEvent.objects.filter(
        actor=officer, verb=Verb.CLOSE, child_id=case.child_id
    ).exists()


def test_school_refers_a_pupil_from_its_own_account(live_server, page: Page) -> None:
    org = SchoolOrganisationFactory.create(name="Fictional Primary staff")
    UserFactory.create(username="school", role=Role.SCHOOL_STAFF, organisation=org)
    today = timezone.localdate()
    _sign_in(page, live_server.url, "school")
    page.get_by_role("link", name="Make a referral").first.click()
    assert page.get_by_label("How did the referral reach you?").count() == 0
    # A school refers now, as itself: it is not asked when it "received" the referral.
    assert page.get_by_text("Date received").count() == 0
    page.get_by_label("Child's first name").fill("Evie")
    page.get_by_label("Child's last name").fill("Madeup")
    page.get_by_label("Stopped attending after an exclusion").check()
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referral received").wait_for()
    referral = Referral.objects.get()
    assert referral.route == "school" and referral.school == org.establishment
    assert referral.received_on == today
    assert referral.reference in page.content()
