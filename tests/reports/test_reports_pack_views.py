"""The pack's dashboard and downloads: who reaches them, the period refused in plain words,
the audit of each run, and the Reports menu link shown exactly to those who may read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import time_machine
from django.urls import reverse
from reports.conftest import TODAY, Authority

from cme.accounts.models import User
from cme.accounts.permissions import Action, can
from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

YEAR = {
    "period_from_0": "1",
    "period_from_1": "8",
    "period_from_2": "2024",
    "period_to_0": "31",
    "period_to_1": "7",
    "period_to_2": "2025",
}
READERS = {"officer", "manager"}  # docs/access.md, "The reports: who reads which"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.parametrize(
    "role",
    ["officer", "manager", "paews", "school_a", "keyworker", "agency", "otherla", "admin"],
)
def test_who_reaches_the_pack(client, world: World, authority: Authority, role: str) -> None:
    client.force_login(world.users[role])
    status = 200 if role in READERS else 403
    assert client.get(reverse("reports:pack"), YEAR).status_code == status
    for output in ("csv", "xlsx"):
        url = reverse("reports:pack-download", args=[output])
        assert client.get(url, YEAR).status_code == status


def test_the_dashboard_has_a_chart_and_table_for_each_section_and_is_audited(
    client, world: World, authority: Authority
) -> None:
    client.force_login(world.users["manager"])
    page = client.get(reverse("reports:pack"), YEAR).content.decode()
    assert '<h1 class="govuk-heading-l">Annual report 2024/25</h1>' in page
    assert page.count('role="img"') == page.count("the chart's figures") == 9
    for output in ("pdf", "xlsx", "csv"):
        assert reverse("reports:pack-download", args=[output]) in page
    # No child is named in the pack.
    assert authority.b.child.surname not in page
    event = AuditEvent.objects.get(verb=Verb.REPORT_RUN)
    assert event.actor == world.users["manager"]
    assert event.details == {
        "report": "pack",
        "period_from": "2024-08-01",
        "period_to": "2025-07-31",
        "output": "page",
    }


def test_empty_dates_give_this_school_year_to_date(
    client, world: World, authority: Authority
) -> None:
    client.force_login(world.users["officer"])
    page = client.get(reverse("reports:pack")).content.decode()
    assert "Management team pack, 1 August 2025 to 20 October 2025" in page


def test_the_downloads_are_files_and_each_is_audited(
    client, world: World, authority: Authority
) -> None:
    client.force_login(world.users["officer"])
    csv_response = client.get(reverse("reports:pack-download", args=["csv"]), YEAR)
    assert csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="cme-pack-2024-08-01-to-2025-07-31.csv"' in csv_response["Content-Disposition"]
    assert csv_response.content.decode().startswith("section,row,column,value\r\n")
    xlsx = client.get(reverse("reports:pack-download", args=["xlsx"]), YEAR)
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("reports:pack-download", args=["doc"]), YEAR).status_code == 404
    outputs = [e.details["output"] for e in AuditEvent.objects.filter(verb=Verb.REPORT_RUN)]
    assert sorted(outputs) == ["csv", "xlsx"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({**YEAR, "period_to_2": "2026"}, "The period must end today or earlier"),
        (
            {
                **YEAR,
                "period_from_2": "2026",
                "period_to_0": "1",
                "period_to_1": "10",
                "period_to_2": "2025",
            },
            "The period must start on or before its end",
        ),
        ({**YEAR, "period_from_2": "2023", "period_to_2": "2024"}, "first record is from"),
        ({**YEAR, "period_to_0": ""}, "To must include a day"),
        ({**YEAR, "period_to_0": "", "period_to_1": "", "period_to_2": ""}, "Enter both dates"),
    ],
)
def test_a_bad_period_is_refused_beside_the_field_and_kept(
    client, world: World, authority: Authority, query: dict[str, str], message: str
) -> None:
    client.force_login(world.users["manager"])
    response = client.get(reverse("reports:pack"), query)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert f'value="{query["period_from_2"]}"' in page
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_RUN).exists()
    assert client.get(reverse("reports:pack-download", args=["csv"]), query).status_code == 404


def test_the_reports_link_shows_exactly_for_those_who_may_read_reports(
    client, world: World
) -> None:
    link = f'href="{reverse("reports:index")}"'
    for name, user in world.users.items():
        client.force_login(user)
        page = client.get(reverse("worklist:home")).content.decode()
        assert (link in page) == can(user, Action.VIEW_REPORTS), name
    assert {u.username for u in User.objects.all() if can(u, Action.VIEW_REPORTS)} >= READERS
