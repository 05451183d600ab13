"""Partner extracts: a CME manager's only; aggregate; no shown count below the threshold; a
suppressed cell cannot be got back from the totals; the method chosen per extract."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from reports.conftest import CENSUS, TODAY, Authority
from rules.test_rules_suppression import attack

from cme.audit.models import AuditEvent, Verb
from cme.reports.extracts import EXTRACTS, extract_by_slug, extract_publish
from cme.rules.suppression import LOW, SUPPRESSED, Method

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

FIRST, LAST = TODAY.replace(month=8, day=1), CENSUS
QUERY = {
    "period_from_0": "1",
    "period_from_1": "8",
    "period_from_2": "2025",
    "period_to_0": "2",
    "period_to_1": "10",
    "period_to_2": "2025",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.parametrize(
    "role",
    ["officer", "manager", "paews", "school_a", "keyworker", "agency", "otherla", "admin"],
)
def test_only_a_cme_manager_makes_extracts(
    client, world: World, authority: Authority, role: str
) -> None:
    client.force_login(world.users[role])
    status = 200 if role == "manager" else 403
    assert client.get(reverse("reports:extracts"), QUERY).status_code == status
    url = reverse("reports:extract-csv", args=["register-status"])
    assert client.get(url, QUERY).status_code == status
    index = client.get(reverse("reports:index"))
    if index.status_code == 200:
        assert (reverse("reports:extracts") in index.content.decode()) == (role == "manager")


def test_no_extract_shows_a_count_below_its_threshold(authority: Authority) -> None:
    for extract in EXTRACTS:
        published = extract_publish(extract, FIRST, LAST)
        table = extract.table(FIRST, LAST)
        grid = table.grid()
        for i, line in enumerate(published.cells):
            for j, text in enumerate(line):
                if published.method is Method.SUPPRESS and text != SUPPRESSED:
                    assert not 0 < int(text) < (published.threshold or 0), (extract.slug, i, j)
                    assert int(text) == grid[i][j]
                if published.method is Method.ROUND:
                    assert text in {LOW, "0"} or int(text) % 10 == 0


def test_a_suppressed_cell_cannot_be_recovered_from_the_extracts_totals(
    authority: Authority,
) -> None:
    # On 2 October 2025 A, B, C and H are missing education: each alone in their cell.
    extract = extract_by_slug("cme-by-year-group-and-sex")
    published = extract_publish(extract, FIRST, LAST)
    assert published.cell("Year 6", "Female") == SUPPRESSED
    assert published.cell("Total", "Total") == SUPPRESSED  # 4 children: below 5 too
    bounds = attack(published)
    assert bounds and all(low < high for low, high in bounds.values())


def test_the_method_is_chosen_per_extract(authority: Authority) -> None:
    route = extract_by_slug("referrals-by-route")
    assert extract_publish(route, FIRST, LAST).method is Method.SUPPRESS
    with override_settings(CME_EXTRACTS={"referrals-by-route": ("round", 5)}):
        rounded = extract_publish(route, FIRST, LAST)
    assert rounded.method is Method.ROUND
    assert SUPPRESSED not in {c for line in rounded.cells for c in line}


def test_the_page_and_csv_are_figures_only_and_audited(
    client, world: World, authority: Authority
) -> None:
    client.force_login(world.users["manager"])
    page = client.get(reverse("reports:extracts"), QUERY).content.decode()
    for extract in EXTRACTS:
        assert extract.title in page
    assert authority.a.child.surname not in page
    response = client.get(reverse("reports:extract-csv", args=["cme-by-year-group-and-sex"]), QUERY)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["", "Female", "Male", "Unknown", "Total"]
    assert rows[1][0] == "Reception" and rows[14][0] == "Total"
    assert authority.a.child.surname not in response.content.decode()
    events = AuditEvent.objects.filter(verb=Verb.REPORT_RUN).order_by("pk")
    assert [e.details["report"] for e in events] == ["partner-extract", "partner-extract"]
    assert list(events)[-1].details["extracts"] == ["cme-by-year-group-and-sex"]
    missing = reverse("reports:extract-csv", args=["nothing-like-it"])
    assert client.get(missing, QUERY).status_code == 404
