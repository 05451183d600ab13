"""An authenticator is set up only from a one-time, expiring link, never from a password alone."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.accounts.models import EnrolmentLink
from cme.accounts.services import enrolment_link_issue, enrolment_token_hash
from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World

PASSWORD = "a long test password"


@pytest.fixture(autouse=True)
def required(settings):
    settings.CME_REQUIRE_SECOND_FACTOR = True
    settings.AXES_COOLOFF_TIME = None


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=0):06d}"


def _sign_in(client: Client, username: str = "officer") -> None:
    response = client.post(
        reverse("accounts:sign-in"), {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302


def _enrol(client: Client, username: str = "officer") -> TOTPDevice:
    client.get(reverse("accounts:second-factor-setup"))
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(reverse("accounts:second-factor-setup"), {"code": _code(device)})
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    return device


def test_a_password_alone_sets_up_nothing(world: World) -> None:
    client = Client()
    _sign_in(client)
    assert client.get(reverse("cases:register"))["Location"] == reverse(
        "accounts:second-factor-setup"
    )
    page = client.get(reverse("accounts:second-factor-setup"))
    assert page.status_code == 403
    text = page.content.decode()
    assert "You need a set-up link to continue" in text and "<svg" not in text
    assert not TOTPDevice.objects.filter(user=world.users["officer"]).exists()
    assert (
        client.post(reverse("accounts:second-factor-setup"), {"code": "123456"}).status_code == 403
    )
    assert client.get(reverse("cases:register")).status_code == 302


def test_a_link_works_once(world: World) -> None:
    token = enrolment_link_issue(user=world.users["officer"], by=world.users["manager"])
    link = reverse("accounts:enrol", args=[token])
    stored = EnrolmentLink.objects.get(user=world.users["officer"])
    assert stored.token_hash == enrolment_token_hash(token) and token not in stored.token_hash
    issued = AuditEvent.objects.get(verb=Verb.ENROLMENT_LINK_ISSUED)
    assert issued.actor == world.users["manager"] and token not in str(issued.details)

    client = Client()
    client.get(link)
    _sign_in(client)
    device = _enrol(client)
    assert device.confirmed
    assert client.get(reverse("cases:register")).status_code == 200
    stored.refresh_from_db()
    assert stored.used_at is not None
    assert AuditEvent.objects.filter(verb=Verb.CREATE, subject_type="second_factor").exists()

    again = Client().get(link)
    assert again.status_code == 410
    assert "expired or has already been used" in again.content.decode()


def test_a_link_expires(world: World, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    token = enrolment_link_issue(user=world.users["officer"], by=world.users["manager"])
    time_machine.shift(timedelta(hours=72, seconds=1))
    assert Client().get(reverse("accounts:enrol", args=[token])).status_code == 410


def test_a_link_opened_then_expired_sets_up_nothing(world: World, settings, time_machine) -> None:
    settings.CME_ENROLMENT_LINK_HOURS = 1
    time_machine.move_to(timezone.now(), tick=False)
    token = enrolment_link_issue(user=world.users["officer"], by=world.users["manager"])
    client = Client()
    client.get(reverse("accounts:enrol", args=[token]))
    _sign_in(client)
    time_machine.shift(timedelta(hours=2))
    assert client.get(reverse("accounts:second-factor-setup")).status_code == 403


def test_a_link_is_for_one_person_only(world: World) -> None:
    token = enrolment_link_issue(user=world.users["officer"], by=world.users["manager"])
    client = Client()
    client.get(reverse("accounts:enrol", args=[token]))
    _sign_in(client, "school_a")
    assert client.get(reverse("accounts:second-factor-setup")).status_code == 403
    assert not TOTPDevice.objects.filter(user=world.users["school_a"]).exists()


def test_a_newer_link_replaces_the_older_one(world: World) -> None:
    old = enrolment_link_issue(user=world.users["officer"], by=world.users["manager"])
    enrolment_link_issue(user=world.users["officer"], by=world.users["manager"])
    assert Client().get(reverse("accounts:enrol", args=[old])).status_code == 410


def test_a_new_phone_replaces_the_old_authenticator(world: World) -> None:
    old = TOTPDevice.objects.create(user=world.users["officer"], name="old phone", confirmed=True)
    client = Client()
    client.get(
        reverse(
            "accounts:enrol",
            args=[enrolment_link_issue(user=world.users["officer"], by=world.users["manager"])],
        )
    )
    _sign_in(client)
    assert client.get(reverse("worklist:home"))["Location"] == reverse(
        "accounts:second-factor-setup"
    )
    _enrol(client)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_who_may_issue_links(world: World) -> None:
    for name in ("officer", "school_a", "agency"):
        with pytest.raises(PermissionDenied):
            enrolment_link_issue(user=world.users["keyworker"], by=world.users[name])
    with pytest.raises(ValidationError, match="yourself"):
        enrolment_link_issue(user=world.users["manager"], by=world.users["manager"])
    admin = world.users["admin"]
    admin.is_staff = True
    admin.save()
    assert enrolment_link_issue(user=world.users["keyworker"], by=admin)


def test_the_manager_page_shows_the_link_once(world: World, settings) -> None:
    settings.CME_REQUIRE_SECOND_FACTOR = False  # the manager's own sign-in is not under test
    manager = Client()
    manager.force_login(world.users["manager"])
    listing = manager.get(reverse("accounts:users")).content.decode()
    assert "Make a set-up link" in listing
    url = reverse("accounts:set-up-link", args=[world.users["officer"].pk])
    page = manager.post(url).content.decode()
    stored = EnrolmentLink.objects.get(user=world.users["officer"])
    prefix = settings.CME_BASE_URL + "/sign-in/set-up/"
    token = page.split(prefix, 1)[1].split("/", 1)[0]
    assert enrolment_token_hash(token) == stored.token_hash
    assert token not in manager.get(reverse("accounts:users")).content.decode()
    # A GET makes no link: the address reloaded goes back to the list (no blank 405).
    again = manager.get(url)
    assert (again.status_code, again["Location"]) == (302, reverse("accounts:users"))
    assert EnrolmentLink.objects.filter(user=world.users["officer"]).count() == 1


def test_wrong_codes_at_the_second_step_count_towards_the_lockout(world: World, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    device = TOTPDevice.objects.create(user=world.users["officer"], name="app", confirmed=True)
    client = Client(REMOTE_ADDR="198.51.100.30")
    _sign_in(client)
    right = _code(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        device.throttle_reset()
        assert client.post(reverse("accounts:second-factor"), {"code": wrong}).status_code == 400
    device.throttle_reset()
    locked = client.post(reverse("accounts:second-factor"), {"code": wrong})
    assert (
        locked.status_code == 429 and "You cannot sign in at the moment" in locked.content.decode()
    )
    # Signed out, and the password no longer opens the account.
    assert client.get(reverse("accounts:second-factor")).status_code == 302
    again = Client(REMOTE_ADDR="192.0.2.31").post(
        reverse("accounts:sign-in"), {"username": "officer", "password": PASSWORD}
    )
    assert again.status_code == 429
    failures = AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED, details__step="second factor")
    assert failures.count() == 5


def test_a_full_sign_in_with_a_code_is_audited(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.users["officer"], name="app", confirmed=True)
    client = Client()
    _sign_in(client)
    client.post(reverse("accounts:second-factor"), {"code": _code(device)})
    steps = list(
        AuditEvent.objects.filter(verb=Verb.SIGN_IN)
        .order_by("id")
        .values_list("details", flat=True)
    )
    assert steps == [
        {"step": "password", "complete": False},
        {"step": "second factor", "complete": True},
    ]
