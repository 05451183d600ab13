"""Probes leave a trace: a record page answered 404 (outside scope or missing) or 403 is on the
audit trail, with the path and never the query string or a child (the API's: tests/api)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.audit.verify import audit_chain_verify

if TYPE_CHECKING:
    from conftest import World


def refusals() -> list[tuple[str, str, dict[str, object], int | None]]:
    return list(
        AuditEvent.objects.filter(verb=Verb.DENIED)
        .order_by("seq")
        .values_list("actor_label", "subject_type", "details", "child_id")
    )


def test_a_hidden_and_a_missing_record_are_both_recorded_alike(world: World) -> None:
    client = Client()
    client.force_login(world.users["school_b"])
    hidden = reverse("cases:detail", args=[world.case_at_a.pk])
    missing = reverse("cases:detail", args=[999999])
    assert client.get(hidden + "?q=Smith").status_code == 404
    assert client.get(missing).status_code == 404
    assert refusals() == [
        ("school_b", "page", {"path": hidden, "method": "GET", "status": 404}, None),
        ("school_b", "page", {"path": missing, "method": "GET", "status": 404}, None),
    ]
    assert audit_chain_verify().whole


def test_a_path_that_matches_no_route_is_not_recorded(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    assert client.get("/register/Jane-Smith/").status_code == 404
    assert refusals() == []


def test_a_refused_page_records_its_status(world: World) -> None:
    client = Client()
    client.force_login(world.users["admin"])
    assert client.get(reverse("cases:register")).status_code == 403
    assert [r[2] for r in refusals()] == [
        {"path": reverse("cases:register"), "method": "GET", "status": 403}
    ]
