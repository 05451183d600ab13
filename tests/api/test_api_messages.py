"""API errors in the service's words: no stock Django REST framework text reaches a caller."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from rest_framework import exceptions, fields, relations, serializers
from rest_framework.test import APIClient

from cme.api.messages import (
    FIELD_MESSAGES,
    REQUEST_MESSAGES,
    field_label,
    plain_field_message,
    plain_request_message,
)

if TYPE_CHECKING:
    from conftest import World


def _drf_field_texts() -> set[str]:
    """Every message a DRF field or serializer can give, as DRF writes it."""
    texts: set[str] = set()
    for module in (fields, relations, serializers):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, fields.Field):
                for klass in value.__mro__:
                    texts |= {str(t) for t in getattr(klass, "default_error_messages", {}).values()}
    return texts


def test_every_stock_field_message_drf_can_give_has_the_services_wording() -> None:
    missing = sorted(_drf_field_texts() - set(FIELD_MESSAGES))
    assert not missing, f"add these to cme.api.messages.FIELD_MESSAGES: {missing}"


def test_every_stock_refusal_drf_can_give_has_the_services_wording() -> None:
    refusals: list[type[exceptions.APIException]] = [
        klass
        for klass in vars(exceptions).values()
        if isinstance(klass, type)
        and issubclass(klass, exceptions.APIException)
        and klass not in (exceptions.ValidationError, exceptions.ParseError)
    ]
    stock = {str(klass.default_detail) for klass in refusals}
    throttled = str(exceptions.Throttled.default_detail)
    stock |= {
        f"{throttled} {exceptions.Throttled.extra_detail_singular}",
        f"{throttled} {exceptions.Throttled.extra_detail_plural}",
    }
    # Each, placeholders and all, comes out in the service's words.
    missing = sorted(t for t in stock if plain_request_message(t) == t)
    assert not missing, f"add these to cme.api.messages.REQUEST_MESSAGES: {missing}"


@pytest.mark.parametrize(
    ("message", "field", "expected"),
    [
        ("This field is required.", "child.surname", "Give the surname: it is required"),
        (
            "Ensure this field has no more than 100 characters.",
            "child.forename",
            "Shorten the forename to 100 characters or fewer",
        ),
        (
            "A valid integer is required.",
            "parents.1.age",
            "Give the age (parents item 2) as a whole number, like 12",
        ),
        (
            'Expected a list of items but got type "str".',
            "parents",
            "Give the parents as a list, [ ... ], not a str",
        ),
        (
            "Invalid data. Expected a dictionary, but got str.",
            "child",
            "Give the child as an object, { ... }, not a str",
        ),
        # The service's own messages are kept as they are.
        ("Give the pupil's details", "pupil", "Give the pupil's details"),
    ],
)
def test_a_stock_field_message_is_rewritten_with_the_field_named(message, field, expected) -> None:
    assert plain_field_message(message, field) == expected


def test_field_labels_in_words() -> None:
    assert field_label("child.date_of_birth") == "date of birth"
    assert field_label("") == "request body"
    assert field_label("parents.0.name") == "name (parents item 1)"


def test_request_refusals_in_words() -> None:
    assert plain_request_message('Method "PUT" not allowed.') == (
        "This address does not take PUT: docs/api.md lists the methods it takes."
    )
    assert plain_request_message("Request was throttled. Expected available in 30 seconds.") == (
        "Too many requests: wait 30 seconds and send it again."
    )
    assert plain_request_message(
        "JSON parse error - Expecting value: line 1 column 1 (char 0)"
    ) == (
        "The request body is not valid JSON (Expecting value: line 1 column 1 (char 0)). "
        "Send a JSON object."
    )
    assert plain_request_message("This token was revoked.") == "This token was revoked."


def _no_stock_text(body: dict) -> None:
    texts = [body["detail"], *(e["message"] for e in body.get("errors", []))]
    stock = _drf_field_texts() | {str(t) for t in REQUEST_MESSAGES}
    patterns = [re.sub(r"\\\{\w+\\\}", ".*", re.escape(t)) for t in stock]
    for text in texts:
        assert not any(re.fullmatch(p, text, re.DOTALL) for p in patterns), text


def test_a_referral_with_every_kind_of_mistake_is_refused_in_plain_words(
    world: World, api_as, referral_body
) -> None:
    body = referral_body(child__forename="x" * 300, referrer="A Caller")
    response = api_as("officer").post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    got = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert got["child.forename"] == "Shorten the forename to 100 characters or fewer"
    assert got["referrer"] == "Give the referrer as an object, { ... }, not a str"
    _no_stock_text(response.json())
    response = api_as("officer").post("/api/v1/referrals/", {"child": None}, format="json")
    got = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert got["child"] == "Give the child: it cannot be null"
    _no_stock_text(response.json())


@pytest.mark.parametrize(
    ("send", "status", "detail"),
    [
        (lambda c: c.put("/api/v1/referrals/", {}, format="json"), 405, "does not take PUT"),
        (
            lambda c: c.post("/api/v1/referrals/", "x", content_type="text/plain"),
            415,
            "Send the body as JSON",
        ),
        (
            lambda c: c.post("/api/v1/referrals/", "{not json", content_type="application/json"),
            400,
            "The request body is not valid JSON",
        ),
        (lambda c: c.get("/api/v1/cases/999999/"), 404, "nothing at this address"),
    ],
)
def test_refusals_of_the_whole_request_are_in_plain_words(
    world: World, api_as, send, status, detail
) -> None:
    response = send(api_as("officer"))
    assert response.status_code == status
    assert detail in response.json()["detail"]
    _no_stock_text(response.json())


def test_no_token_says_how_to_send_one(world: World) -> None:
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code in (401, 403)
    assert "Authorization: Bearer" in response.json()["detail"]
