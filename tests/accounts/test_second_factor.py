"""With the second factor on (production's default), a password alone opens nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.accounts.services import enrolment_link_issue

if TYPE_CHECKING:
    from conftest import World


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=0):06d}"


@pytest.fixture
def required(settings):
    settings.CME_REQUIRE_SECOND_FACTOR = True


def _password(client: Client, username: str = "officer") -> None:
    response = client.post(
        reverse("accounts:sign-in"), {"username": username, "password": "a long test password"}
    )
    assert response.status_code == 302


def _link(world: World, username: str = "officer", by: str = "manager") -> str:
    token = enrolment_link_issue(user=world.users[username], by=world.users[by])
    return reverse("accounts:enrol", args=[token])


def test_first_sign_in_sets_up_an_authenticator_app(world: World, required) -> None:
    client = Client()
    opened = client.get(_link(world))
    assert opened.status_code == 302 and opened["Location"].startswith(reverse("accounts:sign-in"))
    _password(client)
    register = reverse("cases:register")
    response = client.get(register)
    assert response["Location"] == reverse("accounts:second-factor-setup")
    page = client.get(reverse("accounts:second-factor-setup")).content.decode()
    assert "<svg" in page and "Set up your authenticator app" in page
    device = TOTPDevice.objects.get(user=world.users["officer"], confirmed=False)

    wrong = client.post(reverse("accounts:second-factor-setup"), {"code": "12345x"})
    assert wrong.status_code == 400 and "The code is 6 numbers" in wrong.content.decode()
    assert client.get(register).status_code == 302

    ok = client.post(reverse("accounts:second-factor-setup"), {"code": _code(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(register).status_code == 200


def test_later_sign_ins_ask_for_a_code(world: World, required) -> None:
    device = TOTPDevice.objects.create(user=world.users["officer"], name="app", confirmed=True)
    client = Client()
    _password(client)
    assert client.get(reverse("worklist:home"))["Location"] == reverse("accounts:second-factor")
    bad = client.post(reverse("accounts:second-factor"), {"code": "000000"})
    if _code(device) != "000000":
        assert "That code is not right" in bad.content.decode()
    # django-otp slows down guessing after a wrong code; a person would wait a moment.
    device.refresh_from_db()
    device.throttle_reset()
    client.post(reverse("accounts:second-factor"), {"code": _code(device)})
    assert client.get(reverse("worklist:home")).status_code == 200


def test_a_code_cannot_be_used_twice(world: World, required) -> None:
    device = TOTPDevice.objects.create(user=world.users["officer"], name="app", confirmed=True)
    first, second = Client(), Client()
    _password(first)
    _password(second)
    code = _code(device)
    first.post(reverse("accounts:second-factor"), {"code": code})
    replay = second.post(reverse("accounts:second-factor"), {"code": code})
    assert replay.status_code == 400
    assert second.get(reverse("worklist:home")).status_code == 302


def test_public_pages_and_health_need_no_sign_in(db, required) -> None:
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("public_referral:start")).status_code == 200
