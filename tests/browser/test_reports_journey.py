"""Done when (issue 14): a manager opens the reports dashboard, each chart with its data table
visible, and the children behind a figure of the DfE return; a role the access model gives no
reports is refused. In headless Chromium, with and without JavaScript."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from factories import OrganisationFactory, UserFactory
from reports.conftest import CH, CL, LO, R, make_case

from cme.accounts.models import OrganisationKind, Role
from cme.audit.models import AuditEvent, Verb
from cme.calendars.selectors import forget_calendars
from cme.calendars.services import term_dates_import
from cme.cases.models import Case
from cme.people.models import Sex

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a long test password"
LIVERPOOL = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"


@pytest.fixture
def register(transactional_db: None) -> Iterator[dict[str, Case]]:
    forget_calendars()
    term_dates_import(path=LIVERPOOL)
    UserFactory.create(username="manager", role=Role.CME_MANAGER)
    UserFactory.create(username="officer", role=Role.CME_OFFICER)
    UserFactory.create(
        username="ewo",
        role=Role.PAEWS_OFFICER,
        organisation=OrganisationFactory.create(name="PAEWS", kind=OrganisationKind.PAEWS),
    )
    yield {
        # Missing education on the census of 2 October 2025 (a girl in Year 6, a boy in Year 11).
        "ada": make_case(
            forename="Ada",
            sex=Sex.FEMALE,
            dob=date(2015, 3, 10),
            steps=[(R, date(2025, 9, 25)), (CH, date(2025, 9, 26))],
        ),
        "ben": make_case(
            forename="Ben",
            sex=Sex.MALE,
            dob=date(2010, 1, 5),
            steps=[(R, date(2025, 6, 1)), (LO, date(2025, 7, 1))],
        ),
        # Closed on a roll in 2024/25: in that year's annual report, not in the census.
        "cal": make_case(
            forename="Cal",
            sex=Sex.MALE,
            dob=date(2013, 11, 11),
            steps=[(R, date(2025, 3, 1)), (CL, date(2025, 5, 1))],
            outcome="on_roll",
        ),
    }
    forget_calendars()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def test_a_manager_reads_the_dashboard_with_each_charts_table(
    live_server, page: Page, register: dict[str, Case]
) -> None:
    base = live_server.url
    _sign_in(page, base, "manager")
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Management team pack and annual report").click()
    page.get_by_role("link", name="annual report 2024/25").click()
    page.get_by_role("heading", level=1, name="Annual report 2024/25").wait_for()
    charts = page.get_by_role("img")
    assert charts.count() == 9
    for n in range(charts.count()):
        chart = charts.nth(n)
        assert chart.is_visible()
        # Each chart is named, and its figures are in a table a person can read straight after.
        assert chart.get_attribute("aria-labelledby") or chart.get_attribute("aria-label")
    tables = page.locator("main table")
    assert tables.count() >= 9
    assert all(tables.nth(n).is_visible() for n in range(tables.count()))
    closures = page.locator("table", has=page.locator("caption", has_text="Closures by outcome"))
    row = closures.get_by_role("row", name=re.compile("Found on a school roll"))
    assert row.get_by_role("cell").last.inner_text().strip() == "1"
    assert AuditEvent.objects.filter(verb=Verb.REPORT_RUN, details__report="pack").exists()


def test_a_manager_opens_the_children_behind_a_figure_of_the_return(
    live_server, page: Page, register: dict[str, Case]
) -> None:
    base = live_server.url
    _sign_in(page, base, "manager")
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=re.compile("^DfE termly return")).click()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Count").click()
    page.get_by_role("heading", name="Autumn term 2025/26: census on 2 October 2025").wait_for()
    page.get_by_role("link", name="1 child: CME, Sex, Female").click()
    page.get_by_role("heading", level=1, name="CME: Sex: Female").wait_for()
    main = page.locator("main").inner_text()
    ada, ben = register["ada"].child, register["ben"].child
    assert f"{ada.surname.upper()}, Ada" in main
    assert ben.surname.upper() not in main
    assert "1 child counted" in main
    page.get_by_role("link", name="Back to the return").click()
    page.get_by_role("link", name="2 children: CME, Total, Total").click()
    main = page.locator("main").inner_text()
    assert f"{ada.surname.upper()}, Ada" in main and f"{ben.surname.upper()}, Ben" in main
    listed = set(
        AuditEvent.objects.filter(verb=Verb.LIST, subject_type="case").values_list(
            "subject_id", flat=True
        )
    )
    assert listed == {register["ada"].pk, register["ben"].pk}


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("ewo", "/reports/"),  # a PAEWS officer: no monitoring reports (docs/access.md)
        ("ewo", "/reports/dfe-return/"),
        ("officer", "/reports/not-in-school/"),  # a CME officer: not the register of 436B
    ],
)
def test_a_role_without_the_report_is_refused(
    live_server, page: Page, register: dict[str, Case], username: str, path: str
) -> None:
    base = live_server.url
    _sign_in(page, base, username)
    reports_link = page.get_by_role("navigation").get_by_role("link", name="Reports")
    assert reports_link.count() == (1 if username == "officer" else 0)
    response = page.goto(base + path)
    assert response is not None and response.status == 403
    page.get_by_role("heading", level=1, name="You cannot see this page").wait_for()
    assert "Ada" not in page.locator("main").inner_text()
