"""Every API refusal (401, 403) and record not found (404) is on the audit trail, with the
path of a known endpoint and never the query string or a child."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.test import APIClient

from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World


def refusals() -> list[tuple[str, str, dict[str, object], int | None]]:
    return list(
        AuditEvent.objects.filter(verb=Verb.DENIED)
        .order_by("seq")
        .values_list("actor_label", "subject_type", "details", "child_id")
    )


def test_api_refusals_are_recorded(world: World, api_as) -> None:
    case = f"/api/v1/cases/{world.case_at_a.pk}/"
    assert APIClient().get(case).status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bad.get(case).status_code == 401
    assert api_as("admin").get("/api/v1/cases/").status_code == 403
    assert api_as("school_b").get(case + "?name=Smith").status_code == 404
    assert api_as("school_b").get("/api/v1/children/Jane-Smith").status_code == 404
    assert refusals() == [
        ("public", "api", {"path": case, "method": "GET", "status": 401}, None),
        ("public", "api", {"path": case, "method": "GET", "status": 401}, None),
        ("admin", "api", {"path": "/api/v1/cases/", "method": "GET", "status": 403}, None),
        ("school_b", "api", {"path": case, "method": "GET", "status": 404}, None),
        # The catch-all endpoint reads no token, and what was typed is not kept.
        ("public", "api", {"path": "(no such endpoint)", "method": "GET", "status": 404}, None),
    ]
    assert AuditEvent.objects.filter(verb=Verb.DENIED, source="api").count() == 5
