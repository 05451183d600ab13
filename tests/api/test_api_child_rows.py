"""The child's record written through the API: addresses, carers and risk factors as rows
under /children/{id}/, needs and child protection in PATCH /children/{id}/. The same version
and 409 as the pages, the same write rules per role, each problem named, nothing half-written,
each change audited with before and after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from cme.audit.models import AuditEvent, Verb
from cme.people.models import Address, Carer, Child, ChildRiskFactor, RecordChange, RiskFactor

if TYPE_CHECKING:
    from conftest import World


@pytest.fixture(autouse=True)
def _no_throttle() -> None:
    cache.clear()


def _today() -> date:
    return timezone.localdate()


def _version(world: World) -> int:
    return Child.objects.get(pk=world.case_at_a.child_id).version


def _base(world: World) -> str:
    return f"/api/v1/children/{world.case_at_a.child_id}/"


def _errors(response: Any) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_an_address_is_added_and_the_old_one_becomes_previous(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    child = world.case_at_a.child
    old = Address.objects.create(
        child=child, line_1="1 Old Road", lived_from=_today() - timedelta(days=100)
    )
    client = api_as("officer")
    response = client.post(
        _base(world) + "addresses/",
        {
            "version": _version(world),
            "line_1": "2 New Street",
            "postcode": "l8 7ab",
            "lived_from": _today().isoformat(),
            "lives_with": "Jo Example",
        },
        format="json",
    )
    assert response.status_code == 201
    got = response.json()
    periods = {a["line_1"]: a["period"] for a in got["addresses"]}
    assert periods == {"2 New Street": "current", "1 Old Road": "previous"}
    assert got["version"] == 3
    new = next(a for a in got["addresses"] if a["line_1"] == "2 New Street")
    assert new["postcode"] == "L8 7AB"
    # Corrected, then ended, by PATCH on its own path.
    fixed = client.patch(
        f"{_base(world)}addresses/{new['id']}/",
        {"version": got["version"], "town": "Liverpool"},
        format="json",
    )
    assert fixed.status_code == 200
    change = RecordChange.objects.filter(subject_id=new["id"], action="changed").get()
    assert (change.before, change.after) == ({"town": ""}, {"town": "Liverpool"})
    event = AuditEvent.objects.get(verb=Verb.UPDATE, details__change_id=change.pk)
    assert event.source == "api" and "Liverpool" not in str(event.details)
    old.refresh_from_db()
    assert old.lived_until == _today() - timedelta(days=1)


def test_a_future_address_and_bad_input_named_by_field(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as("officer")
    bad = client.post(
        _base(world) + "addresses/",
        {
            "version": _version(world),
            "line_1": "",
            "postcode": "NOPE",
            "lived_from": "2026-05-01",
            "lived_until": "2026-04-01",
            "colour": "blue",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert _errors(bad) == {"colour": "This field is not part of this record"}
    bad = client.post(
        _base(world) + "addresses/",
        {
            "version": _version(world),
            "line_1": "",
            "postcode": "NOPE",
            "lived_from": "2026-05-01",
            "lived_until": "2026-04-01",
        },
        format="json",
    )
    assert bad.status_code == 400
    errors = _errors(bad)
    assert errors["line_1"].startswith("Enter the first line of the address")
    assert errors["postcode"] == "Enter a real postcode, like L1 1JQ"
    assert "the date they moved in (1 May 2026)" in errors["lived_until"]
    assert not Address.objects.exists() and not RecordChange.objects.exists()
    future = client.post(
        _base(world) + "addresses/",
        {
            "version": _version(world),
            "line_1": "3 Future Lane",
            "lived_from": (_today() + timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert future.status_code == 201
    assert future.json()["addresses"][0]["period"] == "future"


def test_a_withheld_address_is_not_found_for_paews(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    refuge = Address.objects.create(child=world.case_at_a.child, line_1="Refuge", do_not_share=True)
    response = api_as("paews").patch(
        f"{_base(world)}addresses/{refuge.pk}/",
        {"version": _version(world), "line_1": "Guess"},
        format="json",
    )
    assert response.status_code == 404
    refuge.refresh_from_db()
    assert refuge.line_1 == "Refuge"


def test_a_carer_is_added_changed_and_ended(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as("paews")
    added = client.post(
        _base(world) + "carers/",
        {
            "version": _version(world),
            "name": "Sam Carer",
            "relationship": "Stepfather",
            "parental_responsibility": False,
            "lives_with_child": True,
            "emergency_phone": "07700 900123",
        },
        format="json",
    )
    assert added.status_code == 201
    carer = added.json()["carers"][0]
    assert (carer["name"], carer["emergency_phone"]) == ("Sam Carer", "07700 900123")
    ended = client.patch(
        f"{_base(world)}carers/{carer['id']}/",
        {"version": added.json()["version"], "phone": "0151 496 0000", "ended_on": str(_today())},
        format="json",
    )
    assert ended.status_code == 200
    got = ended.json()["carers"][0]
    assert got["phone"] == "0151 496 0000" and got["ended_on"] == _today().isoformat()
    assert list(
        RecordChange.objects.filter(part="carers").order_by("version").values_list("action")
    ) == [("added",), ("changed",), ("ended",)]


def test_a_carer_patch_with_a_bad_end_date_writes_nothing(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    carer = Carer.objects.create(child=world.case_at_a.child, name="Jo")
    response = api_as("officer").patch(
        f"{_base(world)}carers/{carer.pk}/",
        {
            "version": _version(world),
            "phone": "0151 496 0000",
            "ended_on": (_today() + timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "today or in the past" in _errors(response)["ended_on"]
    carer.refresh_from_db()
    assert carer.phone == "" and carer.ended_on is None  # the phone change rolled back too
    assert not RecordChange.objects.exists() and _version(world) == 1


def test_bad_phone_is_named(world: World, api_as: Callable[[str], APIClient]) -> None:
    response = api_as("officer").post(
        _base(world) + "carers/",
        {"version": _version(world), "name": "Jo", "phone": "ring the school"},
        format="json",
    )
    assert response.status_code == 400
    assert _errors(response)["phone"].startswith("Enter the telephone number in the right format")


def test_a_risk_factor_is_raised_and_ended(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as("officer")
    raised = client.post(
        _base(world) + "risk-factors/",
        {"version": _version(world), "code": "runaway", "raised_on": "2025-02-28"},
        format="json",
    )
    assert raised.status_code == 201
    risk = raised.json()["needs"]["risk_factors"][0]
    assert (risk["code"], risk["raised_on"], risk["ended_on"]) == ("runaway", "2025-02-28", None)
    again = client.post(
        _base(world) + "risk-factors/",
        {"version": raised.json()["version"], "code": "runaway", "raised_on": "2025-03-01"},
        format="json",
    )
    assert again.status_code == 400
    assert "already recorded since 28 February 2025" in _errors(again)["risk_factor"]
    unknown = client.post(
        _base(world) + "risk-factors/",
        {"version": raised.json()["version"], "code": "bored", "raised_on": "2025-03-01"},
        format="json",
    )
    assert _errors(unknown)["risk_factor"] == "Choose a risk factor from the policy's list"
    ended = client.patch(
        f"{_base(world)}risk-factors/{risk['id']}/",
        {"version": raised.json()["version"], "ended_on": "2025-02-27"},
        format="json",
    )
    assert ended.status_code == 400
    assert "the date raised" in _errors(ended)["ended_on"]
    ended = client.patch(
        f"{_base(world)}risk-factors/{risk['id']}/",
        {"version": raised.json()["version"], "ended_on": _today().isoformat()},
        format="json",
    )
    assert ended.status_code == 200
    assert ended.json()["needs"]["risk_factors"][0]["ended_on"] == _today().isoformat()


def test_needs_and_child_protection_by_patch_all_or_nothing(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as("officer")
    bad = client.patch(
        _base(world),
        {
            "version": _version(world),
            "safeguarding": {"child_protection_plan": True},
            "needs": {"ehcp": True},
        },
        format="json",
    )
    assert bad.status_code == 400
    assert _errors(bad) == {
        "needs.ehcp_council": "Enter the council responsible for the EHC plan, like Liverpool "
        "or Sefton"
    }
    child = Child.objects.get(pk=world.case_at_a.child_id)
    assert not child.child_protection_plan and not child.ehcp  # nothing half-written
    good = client.patch(
        _base(world),
        {
            "version": _version(world),
            "identity": {"preferred_name": "Evie"},
            "needs": {"ehcp": True, "ehcp_council": "Sefton", "yot": True},
            "safeguarding": {"child_in_need": True},
        },
        format="json",
    )
    assert good.status_code == 200
    got = good.json()
    assert got["needs"]["ehcp_council"] == "Sefton" and got["needs"]["yot"] is True
    assert got["safeguarding"]["child_in_need"] is True
    assert got["identity"]["preferred_name"] == "Evie"
    assert got["version"] == 4
    assert set(RecordChange.objects.values_list("part", flat=True)) == {
        "identity",
        "needs",
        "safeguarding",
    }
    odd = client.patch(
        _base(world), {"version": got["version"], "needs": {"colour": "blue"}}, format="json"
    )
    assert _errors(odd) == {"needs.colour": "This is not one of the needs fields"}


def test_a_stale_row_write_is_refused_with_the_record_as_it_is(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    opened = _version(world)
    assert (
        api_as("manager")
        .post(_base(world) + "carers/", {"version": opened, "name": "First Carer"}, format="json")
        .status_code
        == 201
    )
    for url, body in (
        ("carers/", {"name": "Second Carer"}),
        ("addresses/", {"line_1": "1 Late Road"}),
        ("risk-factors/", {"code": "bullied", "raised_on": "2025-01-01"}),
    ):
        stale = api_as("officer").post(
            _base(world) + url, {"version": opened, **body}, format="json"
        )
        assert stale.status_code == 409
        assert "Someone else changed this child's record" in stale.json()["detail"]
        assert stale.json()["current"]["carers"][0]["name"] == "First Carer"
    stale = api_as("officer").patch(
        _base(world), {"version": opened, "needs": {"yot": True}}, format="json"
    )
    assert stale.status_code == 409
    assert Carer.objects.count() == 1 and not Address.objects.exists()
    assert not ChildRiskFactor.objects.exists()
    assert not Child.objects.get(pk=world.case_at_a.child_id).yot


# Which parts each role writes on the child at school A (docs/access.md): the CME team all;
# PAEWS addresses, carers and child protection; the key worker and the school none (403);
# those who cannot see the child 404; an administrator may not use the child endpoints (403).
WRITES = {
    "officer": {"contact", "carers", "needs", "safeguarding"},
    "manager": {"contact", "carers", "needs", "safeguarding"},
    "paews": {"contact", "carers", "safeguarding"},
    "keyworker": set(),
    "school_a": set(),
}
OUTSIDE = {"school_b": 404, "agency": 404, "otherla": 404, "admin": 403, "paews_other": 404}


@pytest.mark.parametrize("who", [*WRITES, *OUTSIDE])
def test_each_role_writes_exactly_its_parts(
    world: World, api_as: Callable[[str], APIClient], who: str
) -> None:
    child = world.case_at_a.child
    address = Address.objects.create(child=child, line_1="1 Old Road")
    carer = Carer.objects.create(child=child, name="Jo")
    link = ChildRiskFactor.objects.create(
        child=child,
        risk_factor=RiskFactor.objects.get(code="runaway"),
        raised_on=_today() - timedelta(days=3),
    )
    client = api_as(who)
    writes: list[tuple[str, str, str, dict[str, Any]]] = [
        ("contact", "post", "addresses/", {"line_1": "2 New Street"}),
        ("contact", "patch", f"addresses/{address.pk}/", {"town": "Bootle"}),
        ("carers", "post", "carers/", {"name": "Sam"}),
        ("carers", "patch", f"carers/{carer.pk}/", {"phone": "0151 496 0000"}),
        ("needs", "post", "risk-factors/", {"code": "bullied", "raised_on": "2025-01-01"}),
        ("needs", "patch", f"risk-factors/{link.pk}/", {"ended_on": _today().isoformat()}),
        ("needs", "patch", "", {"needs": {"young_carer": True}}),
        ("safeguarding", "patch", "", {"safeguarding": {"child_protection_plan": True}}),
    ]
    for part, method, url, body in writes:
        response = getattr(client, method)(
            _base(world) + url, {"version": _version(world), **body}, format="json"
        )
        if who in OUTSIDE:
            expected = OUTSIDE[who]
        elif part in WRITES[who]:
            expected = 201 if method == "post" else 200
        else:
            expected = 403
        assert response.status_code == expected, (who, method, url)
    mine = WRITES.get(who, set())
    assert Address.objects.filter(line_1="2 New Street").exists() == ("contact" in mine)
    assert Carer.objects.filter(name="Sam").exists() == ("carers" in mine)
    fresh = Child.objects.get(pk=child.pk)
    assert fresh.young_carer == ("needs" in mine)
    assert fresh.child_protection_plan == ("safeguarding" in mine)
    link.refresh_from_db()
    assert (link.ended_on is not None) == ("needs" in mine)


def test_the_date_a_risk_factor_was_raised_is_corrected(
    world: World, api_as: Callable[[str], APIClient]
) -> None:
    client = api_as("officer")
    raised = client.post(
        _base(world) + "risk-factors/",
        {"version": _version(world), "code": "runaway", "raised_on": "2025-02-28"},
        format="json",
    )
    risk = raised.json()["needs"]["risk_factors"][0]
    path = f"{_base(world)}risk-factors/{risk['id']}/"
    nothing = client.patch(path, {"version": raised.json()["version"]}, format="json")
    assert nothing.status_code == 400
    assert "raised_on to correct the date raised" in _errors(nothing)[""]
    late = client.patch(
        path,
        {"version": raised.json()["version"], "raised_on": "2099-01-01"},
        format="json",
    )
    assert late.status_code == 400
    assert _errors(late)["raised_on"] == "The date raised must be today or in the past"
    corrected = client.patch(
        path,
        {"version": raised.json()["version"], "raised_on": "2025-01-15", "reason": "Mistyped"},
        format="json",
    )
    assert corrected.status_code == 200
    shown = corrected.json()["needs"]["risk_factors"][0]
    assert (shown["raised_on"], shown["ended_on"]) == ("2025-01-15", None)
    change = RecordChange.objects.filter(child=world.case_at_a.child).latest("at")
    assert change.before["raised_on"] == "2025-02-28" and change.reason == "Mistyped"
    # Corrected and ended in one request: the end is checked against the corrected date.
    both = client.patch(
        path,
        {
            "version": corrected.json()["version"],
            "raised_on": "2025-01-10",
            "ended_on": "2025-01-12",
        },
        format="json",
    )
    assert both.status_code == 200
    shown = both.json()["needs"]["risk_factors"][0]
    assert (shown["raised_on"], shown["ended_on"]) == ("2025-01-10", "2025-01-12")
    stale = client.patch(
        path, {"version": corrected.json()["version"], "raised_on": "2025-01-09"}, format="json"
    )
    assert stale.status_code == 409
