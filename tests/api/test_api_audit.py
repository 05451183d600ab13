"""Every read of a case or referral through the API leaves an audit event, marked as the API's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cme.audit.models import AuditEvent, Verb
from cme.referrals.models import Referral

if TYPE_CHECKING:
    from conftest import World


def test_reading_a_case_is_audited(world: World, api_as) -> None:
    case = world.case_at_a
    assert api_as("school_a").get(f"/api/v1/cases/{case.pk}/").status_code == 200
    event = AuditEvent.objects.exclude(subject_type="apitoken").get()
    assert (event.verb, event.subject_type, event.subject_id, event.child_id) == (
        Verb.VIEW,
        "case",
        case.pk,
        case.child_id,
    )
    assert (event.actor, event.source) == (world.users["school_a"], "api")


def test_listing_cases_audits_one_event_per_child_shown(world: World, api_as) -> None:
    api_as("officer").get("/api/v1/cases/")
    events = AuditEvent.objects.filter(verb=Verb.LIST, subject_type="case")
    cases = [world.case_at_a, world.case_at_b, world.case_referred_by_agency]
    assert sorted(events.values_list("subject_id", "child_id")) == sorted(
        (c.pk, c.child_id) for c in cases
    )
    assert set(events.values_list("source", flat=True)) == {"api"}


def test_reading_and_listing_referrals_is_audited(world: World, api_as) -> None:
    referral = Referral.objects.get()
    client = api_as("agency")
    client.get("/api/v1/referrals/")
    client.get(f"/api/v1/referrals/{referral.pk}/")
    got = list(
        AuditEvent.objects.exclude(subject_type="apitoken")
        .order_by("id")
        .values_list("verb", "subject_type", "subject_id", "child_id")
    )
    assert got == [
        (Verb.LIST, "referral", referral.pk, referral.child_id),
        (Verb.VIEW, "referral", referral.pk, referral.child_id),
    ]


def test_refused_and_hidden_reads_write_no_view_event(world: World, api_as) -> None:
    api_as("school_b").get(f"/api/v1/cases/{world.case_at_a.pk}/")
    api_as("admin").get(f"/api/v1/cases/{world.case_at_a.pk}/")
    api_as("admin").get("/api/v1/cases/")
    assert not AuditEvent.objects.filter(verb__in=[Verb.VIEW, Verb.LIST]).exists()


def test_pages_link_by_number_only(world: World, api_as, settings) -> None:
    settings.CME_PAGE_SIZE = 1
    for _ in range(2):
        Referral.objects.create(
            reference=f"CME-PAGE-{_}",
            route="phone",
            reason="other",
            received_on=world.case_at_a.opened_on,
            described={"forename": "Paged"},
            recorded_by=world.users["officer"],
        )
    first = api_as("officer").get("/api/v1/referrals/").json()
    assert first["count"] == 3
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/referrals/?page=2"
    second = api_as("officer").get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/v1/referrals/"
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])


def test_case_list_filters_by_status_and_refuses_unknown_ones(world: World, api_as) -> None:
    client = api_as("officer")
    assert client.get("/api/v1/cases/?status=closed").json()["count"] == 0
    assert client.get("/api/v1/cases/?status=open").json()["count"] == 3
    assert client.get(f"/api/v1/cases/?status={world.case_at_a.status}").json()["count"] == 3
    bad = client.get("/api/v1/cases/?status=lost")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "status"


def test_unknown_api_paths_answer_in_json(world: World, api_as) -> None:
    for path in ("/api/v1/children/", "/api/v1/cases/abc/", "/api/v1/nothing"):
        response = api_as("officer").get(path)
        assert response.status_code == 404
        assert response.json() == {
            "detail": "There is nothing at this address that your account may see."
        }


def test_the_api_never_updates_or_deletes(world: World, api_as) -> None:
    client = api_as("officer")
    path = f"/api/v1/cases/{world.case_at_a.pk}/"
    for method in (client.put, client.patch, client.delete):
        response = method(path, {}, format="json")
        assert response.status_code == 405
        assert set(response.json()) == {"detail"}
    world.case_at_a.refresh_from_db()
    assert world.case_at_a.version == 1
