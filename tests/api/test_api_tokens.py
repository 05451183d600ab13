"""Token authentication: a live token acts as its owner; anything else is a 401."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from cme.api.models import ApiToken
from cme.api.tokens import api_token_create, api_token_revoke
from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_valid_token_acts_as_its_owner(world: World) -> None:
    _, token = api_token_create(owner=world.users["school_a"], name="MIS")
    response = _client(token).get("/api/v1/cases/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.case_at_a.pk]
    event = AuditEvent.objects.filter(verb=Verb.LIST).get()
    assert event.actor == world.users["school_a"]
    assert event.source == "api"


def test_only_a_hash_of_the_token_is_stored(world: World) -> None:
    row, token = api_token_create(owner=world.users["officer"], name="Test")
    row.refresh_from_db()
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in ApiToken.objects.values_list().get()}
    assert len(token) > 40


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cme_not-a-real-token",
        "Bearer",
        "Bearer two parts",
        "Token cme_whatever",
        "",
    ],
)
def test_wrong_or_missing_tokens_are_refused_with_401(world: World, header: str) -> None:
    api_token_create(owner=world.users["officer"], name="Real")
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(response.json()) == {"detail"}
    assert not AuditEvent.objects.filter(verb=Verb.LIST).exists()


def test_a_revoked_token_is_refused(world: World) -> None:
    row, token = api_token_create(owner=world.users["officer"], name="Old MIS")
    assert _client(token).get("/api/v1/cases/").status_code == 200
    api_token_revoke(token=row)
    response = _client(token).get("/api/v1/cases/")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_refused(world: World) -> None:
    expires = timezone.now() + timedelta(days=1)
    _, token = api_token_create(owner=world.users["officer"], name="Short", expires_at=expires)
    assert _client(token).get("/api/v1/cases/").status_code == 200
    with time_machine.travel(expires + timedelta(seconds=1)):
        assert _client(token).get("/api/v1/cases/").status_code == 401


def test_a_deactivated_owner_takes_the_token_with_them(world: World) -> None:
    user = world.users["officer"]
    _, token = api_token_create(owner=user, name="Leaver")
    user.is_active = False
    user.save()
    assert _client(token).get("/api/v1/cases/").status_code == 401


def test_a_change_of_role_changes_what_the_token_reaches(world: World) -> None:
    user = world.users["officer"]
    _, token = api_token_create(owner=user, name="MIS")
    user.role = "system_admin"
    user.save()
    assert _client(token).get("/api/v1/cases/").status_code == 403


def test_last_used_is_recorded(world: World) -> None:
    row, token = api_token_create(owner=world.users["officer"], name="MIS")
    assert row.last_used_at is None
    _client(token).get("/api/v1/cases/")
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_create_command_prints_the_token_once_and_it_works(world: World) -> None:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "school_a", "--name", "Arnside MIS", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert token.startswith("cme_")
    assert "cannot be shown again" in err.getvalue()
    row = ApiToken.objects.get()
    assert (row.name, row.owner, row.expires_at) == ("Arnside MIS", world.users["school_a"], None)
    assert _client(token).get("/api/v1/cases/").status_code == 200
    created = AuditEvent.objects.get(subject_type="apitoken", verb=Verb.CREATE)
    assert created.details["owner_id"] == world.users["school_a"].pk


@time_machine.travel(datetime(2026, 4, 3, 9, 5, tzinfo=UTC), tick=False)
def test_create_command_with_expiry(world: World) -> None:
    err = StringIO()
    call_command(
        "create_api_token",
        "officer",
        "--name",
        "Trial",
        "--expires-in-days",
        "30",
        stdout=StringIO(),
        stderr=err,
    )
    row = ApiToken.objects.get()
    assert row.expires_at is not None
    assert row.expires_at - timezone.now() == timedelta(days=30)
    # As the service writes dates, in local time (British Summer Time on 3 May 2026).
    assert "expires 3 May 2026 at 10:05." in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "X"], "No account"),
        (["officer", "--name", "  "], "Say what the token is for"),
        (["officer", "--name", "X", "--expires-in-days", "0"], "1 or more"),
    ],
)
def test_create_command_refuses_bad_input(world: World, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_revoke_command(world: World) -> None:
    row, token = api_token_create(owner=world.users["officer"], name="MIS")
    call_command("revoke_api_token", str(row.pk), stdout=StringIO())
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert _client(token).get("/api/v1/cases/").status_code == 401
    on = timezone.localtime(row.revoked_at)
    with pytest.raises(CommandError, match=f"already revoked on {on.day} {on:%B %Y}"):
        call_command("revoke_api_token", str(row.pk), stdout=StringIO())


def test_signed_in_staff_can_use_the_api_from_the_browser_with_csrf(world: World) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["officer"])
    assert client.get("/api/v1/cases/").status_code == 200
    # A cross-site form post cannot ride on the session.
    refused = client.post("/api/v1/referrals/", {}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
