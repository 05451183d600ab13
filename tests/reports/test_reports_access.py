"""Every role against every report page and download, as the access model decides
(cme.accounts.record_access.REPORT_READERS; docs/access.md "The reports: who reads which"),
and the Reports menu link shown exactly to those who read any."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import time_machine
from django.urls import reverse
from reports.conftest import CENSUS, TODAY, Authority

from cme.accounts.record_access import Report, may_read_report

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

CENSUS_QUERY = {"census_date_0": "2", "census_date_1": "10", "census_date_2": "2025"}
YEAR = {
    "period_from_0": "1",
    "period_from_1": "8",
    "period_from_2": "2024",
    "period_to_0": "31",
    "period_to_1": "7",
    "period_to_2": "2025",
}
ROLES = ["officer", "manager", "paews", "school_a", "keyworker", "agency", "otherla", "admin"]


def _pages() -> dict[Report, list[tuple[str, dict[str, str]]]]:
    census = CENSUS.isoformat()
    return {
        Report.MONITORING: [
            (reverse("reports:index"), {}),
            (reverse("reports:dfe-return"), CENSUS_QUERY),
            (reverse("reports:dfe-return-csv", args=[census]), {}),
            (reverse("reports:dfe-figure", args=[census, "CME~Total~Total"]), {}),
            (reverse("reports:pack"), YEAR),
            *((reverse("reports:pack-download", args=[out]), YEAR) for out in ("csv", "xlsx")),
        ],
        Report.EXTRACTS: [
            (reverse("reports:extracts"), YEAR),
            (reverse("reports:extract-csv", args=["register-status"]), YEAR),
        ],
        Report.NOT_IN_SCHOOL: [(reverse("reports:not-in-school"), {})],
    }


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_exactly_the_reports_the_access_model_gives_it(
    client, world: World, authority: Authority, role: str
) -> None:
    user = world.users[role]
    client.force_login(user)
    for report, pages in _pages().items():
        expected = 200 if may_read_report(user.role, report) else 403
        for url, query in pages:
            assert client.get(url, query).status_code == expected, (report, url)


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_links_the_reports_for_their_readers_only(client, world: World, role: str) -> None:
    user = world.users[role]
    client.force_login(user)
    page = client.get(reverse("worklist:home"), follow=True).content.decode()
    assert (reverse("reports:index") in page) == may_read_report(user.role, Report.MONITORING)
