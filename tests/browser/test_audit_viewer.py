"""Done when: a manager pages through 1,000 events of a child's audit trail in headless
Chromium (with and without JavaScript), reaching it from the child's page, and filters it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import ChildFactory, OpenCaseFactory, OrganisationFactory, UserFactory

from cme.accounts.models import OrganisationKind, Role
from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record_past

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"
EVENTS = 1000


@pytest.fixture
def trail(transactional_db: None) -> tuple[int, int]:
    """A child with 1,000 events on their trail, from two people; returns (child, case)."""
    UserFactory.create(username="manager", role=Role.CME_MANAGER)
    nurses = OrganisationFactory.create(name="School nursing team", kind=OrganisationKind.AGENCY)
    nurse = UserFactory.create(
        username="nurse", first_name="Nia", last_name="Okafor", role=Role.KEY_WORKER,
        organisation=nurses,
    )  # fmt: skip
    officer = UserFactory.create(
        username="officer", first_name="Owen", last_name="Price", role=Role.CME_OFFICER
    )
    case = OpenCaseFactory.create(child=ChildFactory.create(forename="Ivy", surname="Marsh"))
    start = timezone.now() - timedelta(days=30)
    audit_record_past(
        events=[
            AuditEvent(
                at=start + timedelta(minutes=i),
                actor=nurse if i % 4 == 0 else officer,
                actor_label="nurse" if i % 4 == 0 else "officer",
                verb=Verb.VIEW if i % 2 else Verb.UPDATE,
                subject_type="case",
                subject_id=case.pk,
                child_id=case.child_id,
                source="web",
                details={},
            )
            for i in range(EVENTS)
        ]
    )
    return case.child_id, case.pk


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def test_a_manager_pages_through_a_thousand_events(
    live_server, page: Page, trail: tuple[int, int]
) -> None:
    child_id, case_id = trail
    _sign_in(page, live_server.url, "manager")
    page.goto(live_server.url + reverse("people:detail", args=[child_id]))
    page.get_by_role("link", name="See who has looked at or changed this record").click()
    page.get_by_role("heading", name="Who has looked at or changed this record").wait_for()

    seen: set[str] = set()
    pages = 0
    while True:
        rows = page.locator("tr[data-event]")
        ids = rows.evaluate_all("rows => rows.map(r => r.dataset.event)")
        assert ids, "an empty page"
        assert not seen & set(ids), "an event shown twice"
        seen |= set(ids)
        pages += 1
        older = page.get_by_role("link", name="Older events")
        if older.count() == 0:
            break
        older.click()
        page.wait_for_load_state()
    # Every made-up event, and the manager's own readings of the trail on top.
    made_up = set(
        AuditEvent.objects.filter(child_id=child_id, subject_type="case").values_list(
            "pk", flat=True
        )
    )
    assert {str(pk) for pk in made_up} <= seen
    assert pages >= EVENTS // 50
    text = page.locator("main").inner_text()
    assert f"Case {case_id}" in text
    assert "Owen Price" in text

    # Back one page, then filter: the nurse's changes only (every fourth event is hers, half
    # of those changes).
    page.get_by_role("link", name="Newer events").click()
    page.get_by_label("Who").select_option(label="Nia Okafor, School nursing team")
    page.get_by_label("What they did").select_option(label="Changed")
    page.get_by_role("button", name="Filter the events").click()
    page.wait_for_load_state()
    filtered: set[str] = set()
    while True:
        who = page.locator("tr[data-event] td:nth-child(2)").all_inner_texts()
        what = page.locator("tr[data-event] td:nth-child(3)").all_inner_texts()
        assert who and all(cell.startswith("Nia Okafor") for cell in who)
        assert set(what) == {"Changed"}
        filtered |= set(
            page.locator("tr[data-event]").evaluate_all("rows => rows.map(r => r.dataset.event)")
        )
        older = page.get_by_role("link", name="Older events")
        if older.count() == 0:
            break
        older.click()
        page.wait_for_load_state()
    assert len(filtered) == EVENTS // 4
    assert AuditEvent.objects.filter(subject_type="audit_trail").count() >= pages + 1
