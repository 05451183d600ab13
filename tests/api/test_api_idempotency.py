"""Idempotency-Key: a retried POST gets the first answer and creates nothing twice; the same
key with another request is refused; keys are kept per token and expire."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from io import StringIO
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from cme.api.models import IdempotencyKey
from cme.api.tokens import api_token_create
from cme.audit.models import AuditEvent, Verb
from cme.referrals.models import Referral
from cme.roll.models import SicknessReturn

if TYPE_CHECKING:
    from conftest import World

Api = Callable[[str], APIClient]
URL = "/api/v1/referrals/"


def _made() -> Any:
    return Referral.objects.filter(recorded_by__isnull=False)


def _send(client: APIClient, body: dict[str, Any], key: str | None = "mis-0001") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format="json", **headers)


def test_a_retry_with_the_same_key_gets_the_first_response_and_makes_nothing(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]]
) -> None:
    client = api_as("officer")
    first = _send(client, referral_body())
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = _send(client, referral_body())
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert _made().count() == 1
    # One referral, one creation in the audit trail: the replay made nothing.
    assert AuditEvent.objects.filter(verb=Verb.CREATE, subject_type="referral").count() == 1


def test_the_same_body_in_another_order_is_the_same_request(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]]
) -> None:
    client = api_as("officer")
    body = referral_body()
    first = _send(client, body)
    reordered = dict(reversed(list(body.items())))
    again = _send(client, reordered)
    assert again.status_code == 201 and again.json() == first.json()
    assert _made().count() == 1


def test_the_same_key_with_a_different_body_is_refused_and_saves_nothing(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]]
) -> None:
    client = api_as("officer")
    assert _send(client, referral_body()).status_code == 201
    other = _send(client, referral_body(child__forename="Ava"))
    assert other.status_code == 422
    assert "already used for a different request" in other.json()["detail"]
    assert "Nothing was saved" in other.json()["detail"]
    assert _made().count() == 1
    assert not _made().filter(described__forename="Ava").exists()


def test_the_same_key_on_another_endpoint_is_another_request(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]]
) -> None:
    """A key names one request: used for a referral, it cannot answer a return."""
    client = api_as("school_a")
    assert _send(client, referral_body(route=None, referrer=None)).status_code == 201
    other = client.post(
        "/api/v1/returns/sickness/", {"pupil": {}}, format="json", HTTP_IDEMPOTENCY_KEY="mis-0001"
    )
    assert other.status_code == 422


def test_without_a_key_each_post_is_a_new_referral(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]]
) -> None:
    client = api_as("officer")
    assert _send(client, referral_body(), key=None).status_code == 201
    assert _send(client, referral_body(), key=None).status_code == 201
    assert _made().count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_refused_request_keeps_no_key_so_the_corrected_one_goes_through(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]]
) -> None:
    client = api_as("officer")
    refused = _send(client, referral_body(reason="not-a-reason"))
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    corrected = _send(client, referral_body())
    assert corrected.status_code == 201 and "Idempotent-Replayed" not in corrected
    assert _made().count() == 1


def test_keys_are_kept_per_token(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]]
) -> None:
    """Two systems that happen to pick the same key each get their own referral; a second
    token of the same account is another system too."""
    assert _send(api_as("officer"), referral_body()).status_code == 201
    other = _send(api_as("manager"), referral_body())
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    second_token = api_token_create(owner=world.users["officer"], name="Second system")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {second_token}")
    third = _send(client, referral_body())
    assert third.status_code == 201 and "Idempotent-Replayed" not in third
    assert _made().count() == 3


def test_a_key_expires_after_the_hours_set(
    world: World,
    api_as: Api,
    referral_body: Callable[..., dict[str, Any]],
    settings: Any,
) -> None:
    settings.CME_IDEMPOTENCY_KEY_HOURS = 2
    client = api_as("officer")
    start = timezone.now()
    # One body for every send: made inside the travel, its dates would move past midnight.
    body = referral_body()
    with time_machine.travel(start, tick=False):
        assert _send(client, body).status_code == 201
    with time_machine.travel(start + timedelta(hours=1, minutes=59), tick=False):
        assert _send(client, body)["Idempotent-Replayed"] == "true"
    with time_machine.travel(start + timedelta(hours=2, minutes=1), tick=False):
        fresh = _send(client, body)
        assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh
    assert _made().count() == 2
    assert IdempotencyKey.objects.count() == 1  # the expired one is gone


def test_expired_keys_of_every_account_are_forgotten_with_their_responses(
    world: World,
    api_as: Api,
    referral_body: Callable[..., dict[str, Any]],
    settings: Any,
) -> None:
    """A kept response can name a pupil: it goes when the window ends, whoever sent it, either
    at the next keyed POST from anyone or by the daily command."""
    settings.CME_IDEMPOTENCY_KEY_HOURS = 2
    start = timezone.now()
    body = referral_body()
    with time_machine.travel(start, tick=False):
        _send(api_as("officer"), body, key="officer-1")
        _send(api_as("manager"), body, key="manager-1")
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        _send(api_as("manager"), body, key="manager-2")
    with time_machine.travel(start + timedelta(hours=2, minutes=1), tick=False):
        _send(api_as("manager"), body, key="manager-3")  # prunes the officer's key too
        assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {
            "manager-2",
            "manager-3",
        }
    out = StringIO()
    with time_machine.travel(start + timedelta(hours=4, minutes=2), tick=False):
        call_command("prune_idempotency_keys", stdout=out)
    assert out.getvalue().strip() == "Removed 2 expired idempotency keys."
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "line\nbreak"])
def test_a_key_that_cannot_be_a_key_is_refused_in_words(
    world: World, api_as: Api, referral_body: Callable[..., dict[str, Any]], key: str
) -> None:
    response = _send(api_as("officer"), referral_body(), key=key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert "printable characters" in response.json()["errors"][0]["message"]
    assert not _made().exists()


def test_a_sickness_return_retried_is_made_once(
    term_dates: None, world: World, api_as: Api
) -> None:
    body = {
        "pupil": {
            "forename": "Evie",
            "surname": "Fictional",
            "date_of_birth": "2015-03-31",
            "sex": "F",
            "upn": "P207000016049",
            "address_line_1": "1 Example Street",
            "town": "Liverpool",
            "postcode": "L1 1JQ",
        },
        "absent_from": "2026-02-23",
        "basis": "consecutive",
    }
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        client = api_as("school_a")
        first = client.post(
            "/api/v1/returns/sickness/", body, format="json", HTTP_IDEMPOTENCY_KEY="s-1"
        )
        assert first.status_code == 201, first.json()
        again = client.post(
            "/api/v1/returns/sickness/", body, format="json", HTTP_IDEMPOTENCY_KEY="s-1"
        )
    assert again.status_code == 201 and again.json() == first.json()
    assert SicknessReturn.objects.count() == 1
    assert date.fromisoformat(again.json()["absent_from"]) == date(2026, 2, 23)


def test_a_failure_after_the_key_is_claimed_leaves_no_key(
    world: World,
    api_as: Api,
    referral_body: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key is claimed in the work's own transaction: if the work fails, neither stays."""
    import cme.api.views as views

    original = views.api_referral_record

    def broken(**kwargs: Any) -> Any:
        original(**kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views, "api_referral_record", broken)
    client = api_as("officer")
    client.raise_request_exception = False
    assert _send(client, referral_body()).status_code == 500
    assert not IdempotencyKey.objects.exists() and not _made().exists()
    monkeypatch.undo()
    assert _send(client, referral_body()).status_code == 201
    assert _made().count() == 1


def test_every_post_in_the_api_takes_the_header(client: Any, db: None) -> None:
    """Every POST makes something, so every POST honours a retry: none may be left out."""
    schema = client.get("/api/v1/openapi.json").json()
    posts = {path: ops["post"] for path, ops in schema["paths"].items() if "post" in ops}
    assert {
        "/api/v1/referrals/",
        "/api/v1/returns/deletions/",
        "/api/v1/enquiries/",
        "/api/v1/children/{child_id}/carers/",
    } <= set(posts)
    for path, post in posts.items():
        headers = {p["name"] for p in post.get("parameters", []) if p["in"] == "header"}
        assert "Idempotency-Key" in headers, path
        assert "422" in post["responses"], path


def test_every_post_view_is_wrapped(db: None) -> None:
    """The document and the code agree: each APIView's post is the idempotent wrapper."""
    from django.urls import get_resolver
    from rest_framework.views import APIView

    views = []
    for pattern in get_resolver("cme.api.urls").url_patterns:
        view = getattr(pattern.callback, "view_class", None)
        if view is not None and issubclass(view, APIView) and hasattr(view, "post"):
            views.append(view)
    assert len(views) >= 10
    for view in views:
        assert getattr(view.post, "honours_idempotency_key", False), view.__name__
