"""The app's outer shell: health check, error pages without personal data, headers, the CLI."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse

if TYPE_CHECKING:
    from conftest import World


def test_healthz_answers_when_the_database_is_up(db) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_pages_with_child_data_are_never_cached(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    response = client.get(reverse("cases:detail", args=[world.case_at_a.pk]))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


def test_sign_in_with_a_wrong_password_keeps_the_username(world: World) -> None:
    response = Client().post(reverse("accounts:sign-in"), {"username": "officer", "password": "x"})
    page = response.content.decode()
    assert "Enter a correct username and password" in page
    assert 'value="officer"' in page


def test_sign_in_then_out(world: World) -> None:
    client = Client()
    signed_in = client.post(
        reverse("accounts:sign-in"), {"username": "officer", "password": "a long test password"}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("worklist:home")).status_code == 200
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("worklist:home")).status_code == 302


def test_the_cli_explains_itself() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cme.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "import-establishments FILE" in result.stdout
    assert "match link" in result.stdout
