"""GET and PATCH /api/v1/children/{id}/: the parts each role may read and write, former names
in the read, the version refusing a stale write, plain messages, and the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from cme.audit.models import AuditEvent, Verb
from cme.people.models import Address, Carer, FormerName, RecordChange

if TYPE_CHECKING:
    from conftest import World


@pytest.fixture(autouse=True)
def _no_throttle() -> None:
    cache.clear()


def _url(world: World) -> str:
    return f"/api/v1/children/{world.case_at_a.child_id}/"


@pytest.fixture
def planted(world: World) -> None:
    child = world.case_at_a.child
    FormerName.objects.create(child=child, surname="Formerplanted", reason="Adopted")
    Address.objects.create(child=child, line_1="1 Planted Street", postcode="L1 1AA")
    Carer.objects.create(child=child, name="Planted Carer", phone="0151 000 0000")


# Who reads which parts of the child at school A (docs/access.md), and who writes identity.
READS = {
    "officer": {"identity", "contact", "carers", "needs", "safeguarding"},
    "manager": {"identity", "contact", "carers", "needs", "safeguarding"},
    "paews": {"identity", "contact", "carers", "needs", "safeguarding"},
    "keyworker": {"identity", "contact", "carers", "needs"},
    "school_a": {"identity"},
}
OUT_OF_REACH = {"school_b": 404, "agency": 404, "otherla": 404, "admin": 403}
SECTIONS = {
    "contact": "addresses",
    "carers": "carers",
    "needs": "needs",
    "safeguarding": "safeguarding",
}


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize("who", [*READS, *OUT_OF_REACH])
def test_each_role_reads_exactly_its_parts_and_writes_only_if_allowed(
    world: World, api_as: Callable[[str], APIClient], who: str
) -> None:
    client = api_as(who)
    response = client.get(_url(world))
    if who in OUT_OF_REACH:
        assert response.status_code == OUT_OF_REACH[who]
        assert "Formerplanted" not in response.content.decode()
    else:
        assert response.status_code == 200
        got = response.json()
        assert got["id"] == world.case_at_a.child_id
        assert got["identity"]["former_names"][0]["name"] == "Formerplanted"
        for part, key in SECTIONS.items():
            assert (key in got) == (part in READS[who]), (who, key)
        assert ("Planted Carer" in response.content.decode()) == ("carers" in READS[who])
    version = world.case_at_a.child.version
    patch = client.patch(
        _url(world),
        {"version": version, "reason": "Adopted", "identity": {"surname": "Patched"}},
        format="json",
    )
    may = who in {"officer", "manager"}
    expected = 200 if may else OUT_OF_REACH.get(who, 403)
    assert patch.status_code == expected
    child = world.case_at_a.child
    child.refresh_from_db()
    assert (child.surname == "Patched") == may


def test_patch_keeps_the_old_name_shows_it_and_audits(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    child = world.case_at_a.child
    old = child.surname
    response = api_as("officer").patch(
        _url(world),
        {"version": child.version, "reason": "Adopted", "identity": {"surname": "Brennan"}},
        format="json",
    )
    assert response.status_code == 200
    got = response.json()
    assert got["identity"]["surname"] == "Brennan"
    assert got["version"] == child.version + 1
    assert got["identity"]["former_names"][0]["name"].endswith(old)
    assert got["identity"]["former_names"][0]["reason"] == "Adopted"
    change = RecordChange.objects.get(child=child)
    assert (change.before, change.after) == ({"surname": old}, {"surname": "Brennan"})
    event = AuditEvent.objects.get(verb=Verb.UPDATE, child_id=child.pk)
    assert event.source == "api"
    assert event.details["change_id"] == change.pk and event.details["fields"] == ["surname"]


def test_a_stale_version_is_refused_with_the_record_as_it_is(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    child = world.case_at_a.child
    first = api_as("manager").patch(
        _url(world),
        {"version": child.version, "identity": {"preferred_name": "Alf"}},
        format="json",
    )
    assert first.status_code == 200
    stale = api_as("officer").patch(
        _url(world),
        {"version": child.version, "reason": "Typo", "identity": {"surname": "Mine"}},
        format="json",
    )
    assert stale.status_code == 409
    body = stale.json()
    assert "Someone else changed this child's record" in body["detail"]
    assert body["current"]["identity"]["preferred_name"] == "Alf"
    assert body["current"]["version"] == child.version + 1
    child.refresh_from_db()
    assert child.surname != "Mine"


def test_bad_input_lists_every_problem_in_plain_words_and_saves_nothing(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    child = world.case_at_a.child
    client = api_as("officer")
    response = client.patch(
        _url(world),
        {"version": child.version, "identity": {"surname": "New", "upn": "A12"}},
        format="json",
    )
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["identity.upn"] == "A UPN has 13 characters; this one has 3."
    assert errors["reason"].startswith("Say why the name or date of birth is changing")
    missing = client.patch(_url(world), {"identity": {"surname": "X"}}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "version"
    odd = client.patch(
        _url(world), {"version": child.version, "addresses": [{"line_1": "x"}]}, format="json"
    )
    assert odd.status_code == 400
    assert {e["field"] for e in odd.json()["errors"]} == {"addresses"}
    assert "POST /children/{id}/addresses/" in odd.json()["errors"][0]["message"]
    child.refresh_from_db()
    assert child.surname != "New"
    assert not RecordChange.objects.exists()


def test_the_openapi_document_describes_the_child_endpoint(db: None, client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operations = schema["paths"]["/api/v1/children/{child_id}/"]
    assert set(operations) >= {"get", "patch"}
    assert "409" in operations["patch"]["responses"]
