"""Another council's system sends this council a CME4 (`POST /api/v1/enquiries/`) and reads the
answer (`GET /api/v1/enquiries/{id}/`): the contract, the reach of every role, the audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cme.accounts.models import Organisation
from cme.audit.models import AuditEvent, Verb
from cme.enquiries.models import IncomingEnquiry, IncomingState
from cme.enquiries.services import IncomingAnswer, incoming_answer, incoming_check

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db
Api = Callable[[str], APIClient]


@pytest.fixture
def sefton(world: World) -> Organisation:
    council = Organisation.objects.get(name="Sefton Council")
    council.la_code = "343"
    council.save(update_fields=["la_code"])
    return council


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "cme4",
        "forename": "Tamsin",
        "surname": "Fictionalwood",
        "date_of_birth": "2015-06-01",
        "sex": "F",
        "former_names": ["Tamsin Oldname"],
        "last_address": "2 Example Road, Bootle",
        "last_postcode": "L20 1AA",
        "their_reference": "SEF/77",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _post(api_as: Api, name: str = "otherla", **changes: Any) -> Any:
    return api_as(name).post("/api/v1/enquiries/", _body(**changes), format="json")


def test_another_councils_system_sends_a_cme4(api_as: Api, world: World, sefton) -> None:
    response = _post(api_as)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == f"/api/v1/enquiries/{body['id']}/"
    assert body["direction"] == "incoming" and body["kind"] == "cme4"
    assert body["state"] == "outstanding" and body["response"] is None
    assert body["case_id"] is None and body["letter"] is None
    assert body["sender"] == {"name": "Sefton Council", "la_code": "343"}
    assert body["child"]["name"] == "Tamsin Fictionalwood"
    assert body["child"]["last_address"] == "2 Example Road, Bootle L20 1AA"
    incoming = IncomingEnquiry.objects.get(pk=body["id"])
    assert incoming.sent_by == world.users["otherla"] and incoming.their_reference == "SEF/77"
    assert AuditEvent.objects.filter(
        verb=Verb.ENQUIRY_RECEIVED, subject_id=incoming.pk, actor=world.users["otherla"]
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "cme3a"}, "kind"),
        ({"forename": None}, "forename"),
        ({"date_of_birth": "01/06/2015"}, "date_of_birth"),
        ({"upn": "A12345678901"}, "upn"),
        ({"due_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, "due_on"),
    ],
)
def test_bad_cme4s_are_refused_naming_the_field(
    api_as: Api, world: World, sefton, changes: dict[str, Any], field: str
) -> None:
    response = _post(api_as, **changes)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not IncomingEnquiry.objects.exists()


@pytest.mark.parametrize("name", ["officer", "manager", "school_a", "agency", "paews", "admin"])
def test_only_another_council_sends_one(api_as: Api, world: World, sefton, name: str) -> None:
    assert _post(api_as, name).status_code == 403
    assert not IncomingEnquiry.objects.exists()


def test_the_sender_reads_the_answer_and_cannot_answer_it(
    api_as: Api, world: World, sefton
) -> None:
    sent = _post(api_as).json()
    council = api_as("otherla")
    assert [e["id"] for e in council.get("/api/v1/enquiries/").json()["results"]] == [sent["id"]]
    url = f"/api/v1/enquiries/{sent['id']}/"
    assert council.get(url).json()["response"] is None
    refused = council.post(url + "response/", {"outcome": "not_known"}, format="json")
    assert refused.status_code == 403
    assert council.get(url + "letter.pdf").status_code == 404
    incoming = IncomingEnquiry.objects.get(pk=sent["id"])
    officer = world.users["officer"]
    checked = incoming_check(incoming=incoming, by=officer)
    incoming_answer(
        incoming=checked,
        answer=IncomingAnswer(outcome="on_roll", on_roll_school=world.school_b),
        by=officer,
    )
    answered = council.get(url).json()
    assert answered["state"] == "answered"
    assert answered["response"]["outcome"] == "on_roll"
    assert answered["response"]["on_roll_at"].startswith(world.school_b.name)
    assert answered["response"]["answered_via"] == "officer"
    assert AuditEvent.objects.filter(
        verb=Verb.VIEW, subject_type="incomingenquiry", subject_id=sent["id"]
    ).exists()


def test_the_cme_team_lists_it_and_answers_in_the_register(
    api_as: Api, world: World, sefton
) -> None:
    sent = _post(api_as).json()
    team = api_as("officer")
    assert sent["id"] in [e["id"] for e in team.get("/api/v1/enquiries/").json()["results"]]
    assert team.get(f"/api/v1/enquiries/{sent['id']}/").status_code == 200
    answer = team.post(
        f"/api/v1/enquiries/{sent['id']}/response/", {"outcome": "not_known"}, format="json"
    )
    assert answer.status_code == 409 and "checked the sources" in answer.json()["detail"]
    assert IncomingEnquiry.objects.get(pk=sent["id"]).state == IncomingState.RECEIVED


@pytest.mark.parametrize("name", ["school_a", "agency", "keyworker", "paews", "admin"])
def test_anyone_else_gets_404_or_403(api_as: Api, world: World, sefton, name: str) -> None:
    sent = _post(api_as).json()
    client = api_as(name)
    read = client.get(f"/api/v1/enquiries/{sent['id']}/")
    assert read.status_code in {403, 404}
    assert name == "admin" or read.status_code == 404
    listed = client.get("/api/v1/enquiries/").json().get("results", [])
    assert sent["id"] not in [e["id"] for e in listed]


def test_the_list_pages_through_both_kinds_newest_first(
    api_as: Api, world: World, sefton, settings
) -> None:
    settings.CME_PAGE_SIZE = 2
    ids = [_post(api_as, forename=f"Child{n}").json()["id"] for n in range(2)]
    officer = api_as("officer")
    out = officer.post(
        f"/api/v1/cases/{world.case_at_a.pk}/enquiries/",
        {"kind": "cme3a", "recipient_laestab": world.school_a.laestab},
        format="json",
    ).json()
    first = officer.get("/api/v1/enquiries/").json()
    second = officer.get("/api/v1/enquiries/?page=2").json()
    assert first["count"] == 3
    seen = [e["id"] for e in first["results"] + second["results"]]
    assert seen == [out["id"], ids[1], ids[0]]
    assert {e["direction"] for e in first["results"]} == {"outgoing", "incoming"}
