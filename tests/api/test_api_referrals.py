"""Creating referrals through the API: recorded as given, or refused whole with reasons."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from cme.audit.models import AuditEvent, Verb
from cme.referrals.models import Referral

if TYPE_CHECKING:
    from conftest import World


def _made():
    """Referrals made in the test (the world fixture's one was recorded by nobody)."""
    return Referral.objects.filter(recorded_by__isnull=False)


def _post(client, body):
    return client.post("/api/v1/referrals/", body, format="json")


def test_an_officer_records_a_phone_referral(world: World, api_as, referral_body) -> None:
    response = _post(api_as("officer"), referral_body(school_urn=world.school_b.urn))
    assert response.status_code == 201
    got = response.json()
    referral = _made().get()
    assert got == {
        "id": referral.pk,
        "reference": referral.reference,
        "status": "received",
        "warnings": [],
    }
    assert response["Location"] == f"/api/v1/referrals/{referral.pk}/"
    assert referral.route == "phone"
    assert referral.reason == "whereabouts_unknown"
    assert referral.school == world.school_b
    assert referral.recorded_by == world.users["officer"]
    assert referral.referring_organisation is None
    assert referral.referrer_name == "A Caller"
    assert referral.described == {
        "forename": "Evie",
        "middle_names": "",
        "surname": "Fictional",
        "date_of_birth": "2015-03-31",
        "sex": "F",
        "upn": "P207000016049",
        "address_line_1": "1 Example Street",
        "address_line_2": "",
        "town": "Liverpool",
        "postcode": "L1 1JQ",
    }
    event = AuditEvent.objects.get(verb=Verb.CREATE, subject_type="referral")
    assert (event.subject_id, event.actor, event.source) == (
        referral.pk,
        world.users["officer"],
        "api",
    )


def test_a_school_refers_as_itself_for_its_own_pupil(world: World, api_as, referral_body) -> None:
    body = referral_body(route=None, referrer=None)
    response = _post(api_as("school_a"), body)
    assert response.status_code == 201
    referral = _made().get()
    assert referral.route == "school"
    assert referral.school == world.school_a
    assert referral.referring_organisation == world.users["school_a"].organisation
    assert referral.referrer_name == world.users["school_a"].get_full_name()
    # ... and can read it back, as can the CME team, but not the other school.
    path = f"/api/v1/referrals/{referral.pk}/"
    assert api_as("school_a").get(path).json()["reference"] == referral.reference
    assert api_as("officer").get(path).status_code == 200
    assert api_as("school_b").get(path).status_code == 404


def test_an_agency_refers_on_the_agency_route(world: World, api_as, referral_body) -> None:
    assert _post(api_as("agency"), referral_body(route="agency")).status_code == 201
    assert _made().get().route == "agency"


@pytest.mark.parametrize(
    ("role", "changes", "field", "words"),
    [
        ("school_a", {"route": "phone"}, "route", "leave route out"),
        ("school_a", {"route": None, "school_urn": 999998}, "school_urn", "leave school_urn out"),
        ("officer", {"route": None}, "route", "how the referral reached you"),
        ("officer", {"school_urn": 999998}, "school_urn", "No school with URN 999998"),
    ],
)
def test_route_and_school_follow_the_account(
    world: World, api_as, referral_body, role, changes, field, words
) -> None:
    response = _post(api_as(role), referral_body(**changes))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["message"]
    assert not _made().exists()


def _future(days: int = 1) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


BAD_INPUT = [
    ({"child__date_of_birth": "tomorrow"}, "child.date_of_birth", "YYYY-MM-DD"),
    ({"child__date_of_birth": "FUTURE"}, "child.date_of_birth", "must be in the past"),
    ({"child__upn": "A207000016049"}, "child.upn", "check letter should be P"),
    ({"child__upn": "P2070"}, "child.upn", "13 characters"),
    ({"child__postcode": "NOT A CODE"}, "child.postcode", "Enter a real postcode"),
    ({"child__forename": "", "child__surname": ""}, "child.forename", "first name or last name"),
    ({"child__forename": None, "child__surname": None}, "child.forename", "first name"),
    ({"child__sex": "X"}, "child.sex", "Choose sex"),
    ({"child": None}, "child", "Give the child's details"),
    ({"reason": None}, "reason", "Choose a reason"),
    ({"reason": "bored"}, "reason", "never_entered"),
    ({"route": "pigeon"}, "route", "Choose a route"),
    ({"received_on": None}, "received_on", "Enter the date the referral was received"),
    ({"received_on": "FUTURE"}, "received_on", "today or earlier"),
    ({"referrer": {"email": "not-an-email"}}, "referrer.email", "email address"),
    ({"school_urn": "abc"}, "school_urn", "6 digits"),
]


@pytest.mark.parametrize(("changes", "field", "words"), BAD_INPUT)
def test_bad_input_is_refused_whole_with_a_message_per_field(
    world: World, api_as, referral_body, changes, field, words
) -> None:
    changes = {k: _future() if v == "FUTURE" else v for k, v in changes.items()}
    response = _post(api_as("officer"), referral_body(**changes))
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["detail"].startswith("Nothing was saved")
    assert [e["field"] for e in body["errors"]] == [field]
    assert words in body["errors"][0]["message"]
    assert not _made().exists()
    assert not AuditEvent.objects.filter(verb=Verb.CREATE, subject_type="referral").exists()


def test_every_problem_is_reported_at_once(world: World, api_as, referral_body) -> None:
    body = referral_body(
        route=None,
        child__forename="",
        child__surname="",
        child__date_of_birth=_future(30),
        child__upn="A207000016049",
    )
    response = _post(api_as("officer"), body)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"route", "child.forename", "child.date_of_birth", "child.upn"}
    assert not _made().exists()


def test_format_and_content_problems_are_reported_together(
    world: World, api_as, referral_body
) -> None:
    body = referral_body(
        reason="bored",
        child__postcode="zz",
        child__upn="a2070 0001 6049",
        child__forename=None,
        child__surname="",
        child__date_of_birth=_future(),
    )
    response = _post(api_as("officer"), body)
    assert response.status_code == 400
    got = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(got) == {
        "reason",
        "child.postcode",
        "child.upn",
        "child.forename",
        "child.date_of_birth",
    }
    assert got["child.upn"].startswith("The check letter should be P")
    assert not _made().exists()


def test_a_body_that_is_not_an_object_is_refused(world: World, api_as) -> None:
    response = api_as("officer").post("/api/v1/referrals/", [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Send the referral as a JSON object."


def test_malformed_json_is_a_400(world: World, api_as) -> None:
    response = api_as("officer").post(
        "/api/v1/referrals/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_referrals_are_rate_limited(world: World, api_as, referral_body, monkeypatch) -> None:
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "referral_create", "2/hour")
    client = api_as("officer")
    statuses = [_post(client, referral_body()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert _made().count() == 2
    # Reading is limited separately.
    assert client.get("/api/v1/referrals/").status_code == 200


def test_api_flags_a_child_too_old_for_compulsory_school_age(world: World) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.users["officer"])
    today = timezone.localdate()
    body = {
        "route": "phone",
        "reason": "other",
        "received_on": today.isoformat(),
        "child": {
            "forename": "Old",
            "surname": "Enough",
            "date_of_birth": f"{today.year - 17}-01-15",
        },
    }
    response = client.post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201
    assert response.json()["warnings"][0].startswith("Past compulsory school age")
