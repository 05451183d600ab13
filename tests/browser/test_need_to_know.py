"""A school, an agency and another council each see on the case page exactly what
docs/access.md gives them, in real headless Chromium (with and without JavaScript)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import (
    ChildFactory,
    OpenCaseFactory,
    OrganisationFactory,
    ReferralFactory,
    SchoolOrganisationFactory,
    UserFactory,
)

from cme.accounts.models import OrganisationKind, Role
from cme.cases.models import CaseEvent, CaseEventKind, Flag, FlagKind, SharedWith
from cme.people.models import Address, Carer, RiskFactor

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"
SHOTS = os.environ.get("CME_SCREENSHOTS")  # a folder, to look at the pages by eye

# What each reader's case page shows, part by part (docs/access.md).
PARTS = {
    "identity": "Brightwater",
    "status": "Checking",
    "school note": "Please keep her on roll",
    "team note": "Do not tell the school",
    "workers note": "Visited with the nurse",
    "flag": "Mother disclosed abuse",
    "refuge": "Harbour Close",
    "old address": "Elm Street",
    "carer phone": "07700 900123",
    "risk": "Fled domestic abuse",
    "key worker": "Kerr",
}
SEES = {
    "school": {"identity", "status", "school note"},
    "agency": {"status"},
    "otherla": {"status"},
    "keyworker": {
        "identity", "status", "school note", "workers note", "old address", "carer phone",
        "risk", "key worker",
    },
}  # fmt: skip


@pytest.fixture
def family(transactional_db: None) -> int:
    school = SchoolOrganisationFactory.create(name="Brook School staff")
    police = OrganisationFactory.create(name="Police", kind=OrganisationKind.AGENCY)
    sefton = OrganisationFactory.create(name="Sefton", kind=OrganisationKind.OTHER_LA)
    health = OrganisationFactory.create(
        name="Health", kind=OrganisationKind.AGENCY, approved_for_key_work=True
    )
    officer = UserFactory.create(username="officer", role=Role.CME_OFFICER)
    UserFactory.create(username="school", role=Role.SCHOOL_STAFF, organisation=school)
    UserFactory.create(username="agency", role=Role.PARTNER_AGENCY, organisation=police)
    UserFactory.create(username="otherla", role=Role.OTHER_LA, organisation=sefton)
    keyworker = UserFactory.create(
        username="keyworker", role=Role.KEY_WORKER, organisation=health, last_name="Kerr"
    )
    child = ChildFactory.create(forename="Ava", surname="Brightwater")
    today = timezone.localdate()
    Address.objects.create(child=child, line_1="4 Elm Street", postcode="L4 4AA", lived_until=today)
    Address.objects.create(
        child=child, line_1="9 Harbour Close", town="Wallasey", postcode="CH44 9ZZ",
        do_not_share=True,
    )  # fmt: skip
    Carer.objects.create(child=child, name="Mum", phone="07700 900123")
    child.risk_factors.add(RiskFactor.objects.create(code="fled", label="Fled domestic abuse"))
    case = OpenCaseFactory.create(child=child, school=school.establishment, key_worker=keyworker)
    Flag.objects.create(
        case=case, kind=FlagKind.SAFEGUARDING, description="Mother disclosed abuse",
        raised_by=officer, raised_at=timezone.now(), escalated_to="MASH", escalated_on=today,
    )  # fmt: skip
    for text, shared in (
        ("Do not tell the school", SharedWith.CME_TEAM),
        ("Visited with the nurse", SharedWith.WORKERS),
        ("Please keep her on roll", SharedWith.SCHOOL),
    ):
        CaseEvent.objects.create(
            case=case, kind=CaseEventKind.NOTE, by=officer, at=timezone.now(), text=text,
            shared_with=shared,
        )  # fmt: skip
    for org in (police, sefton):
        ReferralFactory.create(
            referring_organisation=org, case=case, child=child, status="accepted"
        )
    return case.pk


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


@pytest.mark.parametrize("reader", sorted(SEES))
def test_each_reader_sees_exactly_their_parts_of_the_case(
    live_server, page: Page, family: int, reader: str
) -> None:
    _sign_in(page, live_server.url, reader)
    page.goto(live_server.url + reverse("cases:detail", args=[family]))
    text = page.locator("main").inner_text()
    shown = {part for part, marker in PARTS.items() if marker in text}
    assert shown == SEES[reader]
    if reader == "keyworker":
        assert "Withheld" in text
        assert "CH44" not in text and "Wallasey" not in text
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/case-as-{reader}.png", full_page=True)
