"""For every role in the world fixture: what each API endpoint gives it.

403 is an endpoint the role may not use at all; 404 a record outside its scope (the same answer
as for a record that does not exist, so nothing leaks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cme.referrals.models import Referral

if TYPE_CHECKING:
    from conftest import World

OK, MADE, DENIED, HIDDEN = 200, 201, 403, 404

# role: (case list, case at A, case at B, case the police referred, referral list,
#        the police's referral, new referral)
REACH = {
    "officer": (OK, OK, OK, OK, OK, OK, MADE),
    "manager": (OK, OK, OK, OK, OK, OK, MADE),
    "paews": (OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, MADE),
    "paews_other": (OK, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, MADE),
    "school_a": (OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, MADE),
    "school_b": (OK, HIDDEN, OK, HIDDEN, OK, HIDDEN, MADE),
    "keyworker": (OK, OK, HIDDEN, HIDDEN, DENIED, DENIED, DENIED),
    "keyworker_other": (OK, HIDDEN, HIDDEN, HIDDEN, DENIED, DENIED, DENIED),
    "agency": (OK, HIDDEN, HIDDEN, OK, OK, OK, MADE),
    "agency_other": (OK, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, MADE),
    "otherla": (OK, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, MADE),
    "admin": (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
}

# role: the cases its list shows (a, b, p = the police's), and whether it sees the full record
LISTED = {
    "officer": "abp",
    "manager": "abp",
    "paews": "a",
    "paews_other": "",
    "school_a": "a",
    "school_b": "b",
    "keyworker": "a",
    "keyworker_other": "",
    "agency": "p",
    "agency_other": "",
    "otherla": "",
}


def _police_referral(world: World):
    return Referral.objects.get(case=world.case_referred_by_agency)


@pytest.mark.parametrize("role", sorted(REACH))
def test_each_role_reaches_exactly_its_endpoints(world: World, api_as, referral_body, role) -> None:
    client = api_as(role)
    police = _police_referral(world)
    body = referral_body()
    if role in {"school_a", "school_b", "agency", "agency_other", "otherla"}:
        body.pop("route")  # their account decides the route
    got = (
        client.get("/api/v1/cases/").status_code,
        client.get(f"/api/v1/cases/{world.case_at_a.pk}/").status_code,
        client.get(f"/api/v1/cases/{world.case_at_b.pk}/").status_code,
        client.get(f"/api/v1/cases/{world.case_referred_by_agency.pk}/").status_code,
        client.get("/api/v1/referrals/").status_code,
        client.get(f"/api/v1/referrals/{police.pk}/").status_code,
        client.post("/api/v1/referrals/", body, format="json").status_code,
    )
    assert got == REACH[role]


@pytest.mark.parametrize("role", sorted(LISTED))
def test_case_list_shows_exactly_the_cases_in_scope(world: World, api_as, role) -> None:
    ids = {
        "a": world.case_at_a.pk,
        "b": world.case_at_b.pk,
        "p": world.case_referred_by_agency.pk,
    }
    response = api_as(role).get("/api/v1/cases/")
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == {ids[letter] for letter in LISTED[role]}
    assert response.json()["count"] == len(LISTED[role])


@pytest.mark.parametrize("role", sorted(LISTED))
def test_referral_list_shows_only_what_the_role_may_see(world: World, api_as, role) -> None:
    response = api_as(role).get("/api/v1/referrals/")
    if role.startswith("keyworker"):
        assert response.status_code == 403
        return
    listed = {row["id"] for row in response.json()["results"]}
    expected = {_police_referral(world).pk} if role in {"officer", "manager", "agency"} else set()
    assert listed == expected


def test_missing_records_look_the_same_as_hidden_ones(world: World, api_as) -> None:
    client = api_as("school_a")
    hidden = client.get(f"/api/v1/cases/{world.case_at_b.pk}/")
    missing = client.get("/api/v1/cases/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_admin_is_refused_even_for_records_that_do_not_exist(world: World, api_as) -> None:
    client = api_as("admin")
    assert client.get("/api/v1/cases/999999/").status_code == 403
    assert client.get(f"/api/v1/cases/{world.case_at_a.pk}/").status_code == 403


def test_partner_agency_sees_status_and_outcome_only(world: World, api_as) -> None:
    case = world.case_referred_by_agency
    got = api_as("agency").get(f"/api/v1/cases/{case.pk}/").json()
    assert got == {
        "id": case.pk,
        "parts": ["status"],
        "status": case.status,
        "outcome": "",
        "opened_on": case.opened_on.isoformat(),
        "closed_on": None,
        "updated_at": got["updated_at"],
        "full_record": False,
    }
    listed = api_as("agency").get("/api/v1/cases/").json()["results"]
    assert listed == [got]


def test_partner_agency_that_is_the_key_worker_sees_the_full_record(world: World, api_as) -> None:
    case = world.case_referred_by_agency
    case.key_worker = world.users["agency"]
    case.save()
    got = api_as("agency").get(f"/api/v1/cases/{case.pk}/").json()
    assert got["full_record"] is True
    assert got["key_worker"] == world.users["agency"].get_full_name()


def test_school_sees_dates_and_school_but_not_the_workers(world: World, api_as) -> None:
    case = world.case_at_a
    got = api_as("school_a").get(f"/api/v1/cases/{case.pk}/").json()
    assert got == {
        "id": case.pk,
        "parts": ["identity", "notes", "status"],
        "full_record": True,
        "status": case.status,
        "outcome": "",
        "opened_on": case.opened_on.isoformat(),
        "closed_on": None,
        "school_urn": world.school_a.urn,
        "updated_at": got["updated_at"],
    }


def test_paews_officer_sees_dates_school_and_key_worker(world: World, api_as) -> None:
    case = world.case_at_a
    got = api_as("paews").get(f"/api/v1/cases/{case.pk}/").json()
    assert got == {
        "id": case.pk,
        "parts": [
            "carers",
            "contact",
            "enquiries",
            "identity",
            "needs",
            "notes",
            "plan",
            "referrals",
            "safeguarding",
            "status",
            "workers",
        ],
        "full_record": True,
        "status": case.status,
        "outcome": "",
        "opened_on": case.opened_on.isoformat(),
        "closed_on": None,
        "school_urn": world.school_a.urn,
        "key_worker": world.users["keyworker"].get_full_name(),
        "updated_at": got["updated_at"],
    }
    assert got["updated_at"]


def test_no_child_data_in_case_responses(world: World, api_as) -> None:
    child = world.case_at_a.child
    text = api_as("officer").get("/api/v1/cases/").content.decode()
    assert child.surname not in text
    assert child.forename not in text
