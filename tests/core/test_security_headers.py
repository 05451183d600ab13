"""Every response carries a strict Content-Security-Policy, a Permissions-Policy and a
Referrer-Policy that sends no path, signed in or not, pages, errors, the API and static files."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cme.core.middleware import permissions_policy_header

if TYPE_CHECKING:
    from conftest import World


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def _assert_hardened(response) -> None:
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    for directive, sources in policy.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, directive
        assert "*" not in sources and "data:" not in sources, directive
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "strict-origin"


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in/",
        "/refer/",
        "/healthz",
        "/no-such-page/",
        "/api/v1/openapi.json",
        "/static/core/govuk-init.js",
    ],
)
def test_signed_out_responses(db, path: str) -> None:
    response = Client().get(path)
    assert response.status_code < 500
    _assert_hardened(response)


@pytest.mark.parametrize("name", ["worklist:home", "cases:register", "admin:index"])
def test_signed_in_pages(world: World, name: str) -> None:
    client = Client()
    client.force_login(world.users["manager"])
    _assert_hardened(client.get(reverse(name)))


def test_the_one_inline_script_carries_the_nonce_the_header_names(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    response = client.get(reverse("cases:register"))
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce is not None
    scripts = re.findall(r"<script([^>]*)>", html)
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline == [f' nonce="{nonce.group(1)}"']
    # A fresh nonce each response: a nonce seen once is no use to an attacker later.
    again = client.get(reverse("cases:register"))["Content-Security-Policy"]
    assert nonce.group(1) not in again


def test_permissions_policy_header_form() -> None:
    assert permissions_policy_header({"camera": (), "fullscreen": ("self",)}) == (
        "camera=(), fullscreen=(self)"
    )
    assert settings.CME_PERMISSIONS_POLICY  # production and tests read the same base setting
