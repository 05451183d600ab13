"""Fixtures for the API tests: a live token for every user in the world fixture."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cme.api.tokens import api_token_create

if TYPE_CHECKING:
    from conftest import World


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    return {
        name: api_token_create(owner=user, name=f"{name} test")[1]
        for name, user in world.users.items()
    }


@pytest.fixture
def api_as(tokens: dict[str, str]) -> Callable[[str], APIClient]:
    """A client that sends `name`'s token."""

    def make(name: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[name]}")
        return client

    return make


@pytest.fixture
def referral_body() -> Callable[..., dict[str, Any]]:
    """Builds a valid referral, as an officer would send it; `child__x=` changes a child field,
    `x=None` leaves a field out."""
    return _referral_body


def _referral_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "route": "phone",
        "reason": "whereabouts_unknown",
        "received_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "child": {
            "forename": "Evie",
            "surname": "Fictional",
            "date_of_birth": "2015-03-31",
            "sex": "F",
            "upn": "P207000016049",
            "address_line_1": "1 Example Street",
            "town": "Liverpool",
            "postcode": "l1 1jq",
        },
        "details": "Not seen since half term.",
        "referrer": {"name": "A Caller", "role": "Neighbour", "phone": "0151 000 0000"},
    }
    for key, value in changes.items():
        if key.startswith("child__") and value is None:
            body["child"].pop(key.removeprefix("child__"), None)
        elif key.startswith("child__"):
            body["child"][key.removeprefix("child__")] = value
        elif value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body
