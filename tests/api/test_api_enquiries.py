"""The enquiry endpoints as the issue names them: paths, fields, outcomes, reach and refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cme.accounts.models import Organisation
from cme.audit.models import AuditEvent, Verb
from cme.enquiries.models import AnsweredVia, Enquiry, State
from cme.people.models import Address

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


def _send(api_as: Api, case_id: int, **body) -> tuple[int, dict]:
    response = api_as("officer").post(f"/api/v1/cases/{case_id}/enquiries/", body, format="json")
    return response.status_code, response.json()


def test_the_officers_system_sends_a_cme3a_by_laestab(api_as: Api, world: World) -> None:
    code, body = _send(
        api_as, world.case_at_a.pk, kind="cme3a", recipient_laestab=world.school_a.laestab
    )
    assert code == 201, body
    assert body["kind"] == "cme3a" and body["state"] == "outstanding"
    assert body["recipient"] == {
        "name": world.school_a.name,
        "laestab": world.school_a.laestab,
        "la_code": "",
    }
    assert body["case_id"] == world.case_at_a.pk and body["response"] is None
    assert body["letter"] == f"/api/v1/enquiries/{body['id']}/letter.pdf"
    assert set(body["child"]) <= {"name", "former_names", "date_of_birth", "sex", "upn"}


def test_a_cme4_by_la_code_with_a_due_date(api_as: Api, world: World, sefton) -> None:
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    code, body = _send(api_as, world.case_at_a.pk, kind="cme4", recipient_la_code="343", due_on=due)
    assert code == 201 and body["due_on"] == due and body["recipient"]["la_code"] == "343"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "cme9", "recipient_la_code": "343"}, "kind"),
        ({"kind": "cme3a"}, "recipient_laestab"),
        ({"kind": "cme3a", "recipient_laestab": "9999999"}, "recipient_laestab"),
        ({"kind": "cme4", "recipient_laestab": "3412001"}, "recipient_la_code"),
        ({"kind": "cme4", "recipient_la_code": "999"}, "recipient_la_code"),
        ({"kind": "cme4", "recipient_la_code": "343", "due_on": "2001-01-01"}, "due_on"),
        ({"kind": "home_visit", "recipient_la_code": "343"}, "kind"),
    ],
)
def test_bad_enquiries_are_refused_naming_the_field(
    api_as: Api, world: World, sefton, body: dict, field: str
) -> None:
    code, answer = _send(api_as, world.case_at_a.pk, **body)
    assert code == 400 and field in {e["field"] for e in answer["errors"]}, answer
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("name", ["school_a", "otherla", "agency", "keyworker", "paews", "admin"])
def test_only_the_cme_team_sends(api_as: Api, world: World, name: str) -> None:
    response = api_as(name).post(
        f"/api/v1/cases/{world.case_at_a.pk}/enquiries/",
        {"kind": "cme3a", "recipient_laestab": world.school_a.laestab},
        format="json",
    )
    assert response.status_code == 403 and not Enquiry.objects.exists()


def test_a_case_the_officer_cannot_see_is_404(api_as: Api, world: World) -> None:
    code, _ = _send(api_as, 999999, kind="cme3a", recipient_laestab=world.school_a.laestab)
    assert code == 404


def test_the_council_lists_reads_and_answers_its_cme4_once(
    api_as: Api, world: World, sefton
) -> None:
    Address.objects.create(
        child=world.case_at_a.child, line_1="1 Planted Street", postcode="L8 1AB"
    )
    _, sent = _send(api_as, world.case_at_a.pk, kind="cme4", recipient_la_code="343")
    council = api_as("otherla")
    listed = council.get("/api/v1/enquiries/").json()
    assert [e["id"] for e in listed["results"]] == [sent["id"]]
    one = council.get(f"/api/v1/enquiries/{sent['id']}/").json()
    assert one["child"]["last_address"].startswith("1 Planted Street")
    assert AuditEvent.objects.filter(
        verb=Verb.VIEW, subject_type="enquiry", subject_id=sent["id"], actor=world.users["otherla"]
    ).exists()
    wrong = council.post(
        f"/api/v1/enquiries/{sent['id']}/response/", {"outcome": "left"}, format="json"
    )
    assert wrong.status_code == 400  # "left" is a CME3b answer, not a CME4 one
    answered = council.post(
        f"/api/v1/enquiries/{sent['id']}/response/",
        {"outcome": "known_to_cme", "details": "Known to our CME team since March."},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    response = answered.json()["response"]
    assert response["outcome"] == "known_to_cme" and response["answered_via"] == "api"
    enquiry = Enquiry.objects.get(pk=sent["id"])
    assert enquiry.state == State.ANSWERED and enquiry.answered_via == AnsweredVia.API
    again = council.post(
        f"/api/v1/enquiries/{sent['id']}/response/", {"outcome": "not_known"}, format="json"
    )
    assert again.status_code == 409 and "already been answered" in again.json()["detail"]
    enquiry.refresh_from_db()
    assert enquiry.outcome == "known_to_cme"


def test_cme3b_outcomes_through_the_api(api_as: Api, world: World) -> None:
    _, sent = _send(
        api_as, world.case_at_a.pk, kind="cme3a", recipient_laestab=world.school_a.laestab
    )
    school = api_as("school_a")
    url = f"/api/v1/enquiries/{sent['id']}/response/"
    missing = school.post(url, {"outcome": "on_roll"}, format="json")
    assert missing.status_code == 400
    assert "on_roll_from" in {e["field"] for e in missing.json()["errors"]}
    since = (timezone.localdate() - timedelta(days=40)).isoformat()
    done = school.post(url, {"outcome": "on_roll", "on_roll_from": since}, format="json")
    assert done.status_code == 200 and done.json()["response"]["on_roll_from"] == since


@pytest.mark.parametrize("name", ["school_b", "agency", "keyworker", "paews_other", "admin"])
def test_anyone_else_gets_404_or_403(api_as: Api, world: World, sefton, name: str) -> None:
    _, sent = _send(api_as, world.case_at_a.pk, kind="cme4", recipient_la_code="343")
    client = api_as(name)
    read = client.get(f"/api/v1/enquiries/{sent['id']}/")
    answer = client.post(
        f"/api/v1/enquiries/{sent['id']}/response/", {"outcome": "not_known"}, format="json"
    )
    letter = client.get(f"/api/v1/enquiries/{sent['id']}/letter.pdf")
    assert read.status_code in {403, 404} and answer.status_code in {403, 404}
    assert letter.status_code in {403, 404}
    assert name == "admin" or read.status_code == 404  # a role that may read: not found
    assert sent["id"] not in [
        e["id"] for e in client.get("/api/v1/enquiries/").json().get("results", [])
    ]
    assert Enquiry.objects.get(pk=sent["id"]).state == State.OUTSTANDING


def test_the_letter_pdf(api_as: Api, world: World, sefton) -> None:
    _, sent = _send(api_as, world.case_at_a.pk, kind="cme5a", recipient_la_code="343")
    for name in ("officer", "otherla"):
        response = api_as(name).get(f"/api/v1/enquiries/{sent['id']}/letter.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert bytes(response.content).startswith(b"%PDF")
