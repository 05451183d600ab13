"""The DfE return page and the children behind a figure: who reaches them, what each reader
sees (the children only as far as their scope), the bad census dates, and the audit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from reports.conftest import CENSUS, Authority, HomeEducationYear

from cme.audit.models import AuditEvent, Verb
from cme.checks.models import HomeEducatedChild
from cme.reports.dfe_return import CME, EHE, Key
from cme.rules.dfe_return import EHE_FLOWS, EHE_RETURNS, EHE_S437

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

QUERY = {"census_date_0": "2", "census_date_1": "10", "census_date_2": "2025"}
TOTAL = Key(CME, "Total", "Total")


def _figure_url(key: Key) -> str:
    return reverse("reports:dfe-figure", args=[CENSUS.isoformat(), key.slug])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("manager", 200),
        ("paews", 403),
        ("school_a", 403),
        ("keyworker", 403),
        ("agency", 403),
        ("otherla", 403),
        ("admin", 403),
    ],
)
def test_who_reaches_the_reports(client, world: World, authority: Authority, role, status) -> None:
    client.force_login(world.users[role])
    assert client.get(reverse("reports:index")).status_code == status
    assert client.get(reverse("reports:dfe-return"), QUERY).status_code == status
    assert client.get(_figure_url(TOTAL)).status_code == status
    csv_url = reverse("reports:dfe-return-csv", args=[CENSUS.isoformat()])
    assert client.get(csv_url).status_code == status


def test_the_page_shows_the_figures_and_links_each_to_its_children(
    client, world: World, authority: Authority, home_education: list[HomeEducatedChild]
) -> None:
    client.force_login(world.users["manager"])
    page = client.get(reverse("reports:dfe-return"), QUERY).content.decode()
    assert "Autumn term 2025/26: census on 2 October 2025" in page
    assert _figure_url(TOTAL) in page
    assert _figure_url(Key(CME, "Reason", "Mental health")) in page
    assert _figure_url(Key(EHE, "Year group", "Year 9")) in page
    # No child is named on the figures page itself.
    assert authority.a.child.surname not in page
    event = AuditEvent.objects.get(verb=Verb.REPORT_RUN)
    assert event.actor == world.users["manager"]
    assert event.details == {"report": "dfe-return", "census_date": "2025-10-02"}


def test_the_cme_team_sees_every_child_behind_a_figure(
    client, world: World, authority: Authority, home_education: list[HomeEducatedChild]
) -> None:
    client.force_login(world.users["officer"])
    page = client.get(_figure_url(TOTAL)).content.decode()
    for case in (authority.a, authority.b, authority.c, authority.h):
        assert case.child.surname.upper() in page
        assert reverse("cases:detail", args=[case.pk]) in page
    for case in (authority.d, authority.e, authority.f, authority.g):
        assert case.child.surname.upper() not in page
    assert "outside the cases you work on" not in page
    listed = set(
        AuditEvent.objects.filter(verb=Verb.LIST, subject_type="case").values_list(
            "subject_id", flat=True
        )
    )
    assert listed == {authority.a.pk, authority.b.pk, authority.c.pk, authority.h.pk}
    ehe = client.get(_figure_url(Key(EHE, "Total", "Total"))).content.decode()
    assert "EDUCATED, Home" in ehe and "1 January 2024" in ehe


def test_the_children_behind_a_figure_obey_the_readers_scope(
    client,
    world: World,
    authority: Authority,
    home_education: list[HomeEducatedChild],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the CME team reads the reports today (docs/access.md); were a reader with a
    narrower scope given them, they would still see only their own cases' children."""
    from cme.accounts import permissions

    monkeypatch.setitem(
        permissions._ALLOWED,
        permissions.Action.VIEW_REPORTS,
        frozenset({*permissions.WHOLE_REGISTER, "paews_officer"}),
    )
    authority.a.paews_officer = world.users["paews"]
    authority.a.save()
    client.force_login(world.users["paews"])
    page = client.get(_figure_url(TOTAL)).content.decode()
    assert "<strong>4</strong> children counted" in page
    assert authority.a.child.surname.upper() in page
    for case in (authority.b, authority.c, authority.h):
        assert case.child.surname.upper() not in page
        assert reverse("cases:detail", args=[case.pk]) not in page
    assert "3 of them are outside the cases you work on" in page
    listed = set(
        AuditEvent.objects.filter(verb=Verb.LIST, subject_type="case").values_list(
            "subject_id", flat=True
        )
    )
    assert listed == {authority.a.pk}
    # Home education entries are the CME team's: outside it, the count only.
    ehe = client.get(_figure_url(Key(EHE, "Total", "Total"))).content.decode()
    assert "EDUCATED, Home" not in ehe
    assert "1 of them is outside the cases you work on" in ehe


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"census_date_0": "6", "census_date_1": "11", "census_date_2": "2099"},
            "is in the future",
        ),
        (
            {"census_date_0": "13", "census_date_1": "6", "census_date_2": "2024"},
            "first record is from 10 September 2024",
        ),
        (
            {"census_date_0": "14", "census_date_1": "8", "census_date_2": "2025"},
            "is not in any term",
        ),
        (
            {"census_date_0": "31", "census_date_1": "2", "census_date_2": "2025"},
            "Census date must be a real date",
        ),
        (
            {"census_date_0": "", "census_date_1": "10", "census_date_2": "2025"},
            "Census date must include a day",
        ),
    ],
)
def test_a_bad_census_date_is_shown_beside_the_field_and_kept(
    client, world: World, authority: Authority, query, message
) -> None:
    client.force_login(world.users["manager"])
    page = client.get(reverse("reports:dfe-return"), query).content.decode()
    assert "There is a problem" in page
    assert message in page
    assert 'class="govuk-error-message"' in page
    assert f'value="{query["census_date_2"]}"' in page
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_RUN).exists()


def test_the_csv_download_has_figures_only(client, world: World, authority: Authority) -> None:
    client.force_login(world.users["manager"])
    response = client.get(reverse("reports:dfe-return-csv", args=[CENSUS.isoformat()]))
    text = response.content.decode()
    assert text.startswith("collection,breakdown_topic,breakdown,child_count\r\n")
    assert "CME,Total,Total,4\r\n" in text
    assert authority.a.child.surname not in text


def test_an_unknown_figure_or_date_is_not_found(client, world: World, authority: Authority) -> None:
    client.force_login(world.users["manager"])
    assert (
        client.get(reverse("reports:dfe-figure", args=[CENSUS.isoformat(), "x"])).status_code == 404
    )
    bad = Key(CME, "Sex", "Other")
    assert client.get(_figure_url(bad)).status_code == 404
    assert (
        client.get(reverse("reports:dfe-figure", args=["2025-02-30", TOTAL.slug])).status_code
        == 404
    )


def test_the_ehe_measures_are_on_the_page_with_their_children(
    client, world: World, authority: Authority, ehe_year: HomeEducationYear
) -> None:
    client.force_login(world.users["officer"])
    page = client.get(reverse("reports:dfe-return"), QUERY).content.decode()
    for topic in EHE_FLOWS:
        assert f"EHE: {topic}" in page
    assert _figure_url(Key(EHE, "Reason", "Religious")) in page
    returns = client.get(_figure_url(Key(EHE, EHE_RETURNS, "Total"))).content.decode()
    assert "EDUCATED, V" in returns and "EDUCATED, Q" not in returns
    notices = client.get(_figure_url(Key(EHE, EHE_S437, "Total"))).content.decode()
    assert "EDUCATED, U" in notices
    listed = AuditEvent.objects.filter(verb=Verb.LIST, subject_type="homeeducatedchild")
    assert set(listed.values_list("subject_id", flat=True)) == {ehe_year.v.pk, ehe_year.u.pk}
