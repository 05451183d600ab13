"""Sign-in that holds: lockout per account and per address, the same page for everyone
refused, a manager's audited unlock, and every sign-in, sign-out and failure audited."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World

PASSWORD = "a long test password"
LIMIT = 20


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = None


def _try(client: Client, username: str, password: str):
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": password})


def _hammer(username: str, address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    for _ in range(LIMIT):
        _try(client, username, "not the password")
    return client


def test_twenty_wrong_passwords_lock_the_account_and_the_right_one_is_refused(world: World) -> None:
    client = Client(REMOTE_ADDR="198.51.100.1")
    for attempt in range(LIMIT - 1):
        assert _try(client, "officer", "wrong").status_code == 200, attempt
    assert _try(client, "officer", "wrong").status_code == 429
    refused = _try(client, "officer", PASSWORD)
    assert refused.status_code == 429
    assert "You cannot sign in at the moment" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address too: the account itself is locked, not only the address.
    elsewhere = _try(Client(REMOTE_ADDR="192.0.2.50"), "officer", PASSWORD)
    assert elsewhere.status_code == 429


def test_an_address_that_guesses_many_usernames_is_locked(world: World) -> None:
    client = Client(REMOTE_ADDR="198.51.100.2")
    for n in range(LIMIT):
        _try(client, f"guess{n}", "wrong")
    assert _try(client, "manager", PASSWORD).status_code == 429
    # The manager can still sign in from their own desk.
    assert _try(Client(REMOTE_ADDR="192.0.2.7"), "manager", PASSWORD).status_code == 302


def test_an_unknown_username_gets_the_identical_lockout_page(world: World) -> None:
    known = _hammer("officer", "198.51.100.3")
    unknown = _hammer("nobody-by-this-name", "198.51.100.4")
    known_page = _try(known, "officer", PASSWORD)
    unknown_page = _try(unknown, "nobody-by-this-name", PASSWORD)
    assert known_page.status_code == unknown_page.status_code == 429
    # Identical but for the per-response script nonce of the Content-Security-Policy.
    nonce = re.compile(rb'nonce="[^"]+"')
    assert nonce.sub(b"", known_page.content) == nonce.sub(b"", unknown_page.content)
    assert "nobody-by-this-name" not in unknown_page.content.decode()


def test_a_manager_unlocks_and_it_is_audited(world: World) -> None:
    _hammer("officer", "198.51.100.5")
    manager = Client()
    manager.force_login(world.users["manager"])
    page = manager.get(reverse("accounts:locked")).content.decode()
    assert "officer" in page and "Unlock" in page
    response = manager.post(reverse("accounts:unlock"), {"kind": "username", "value": "officer"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb=Verb.UNLOCKED)
    assert event.actor == world.users["manager"] and event.details == {"username": "officer"}
    # The account works again from a clean address; the hammering address stays locked.
    assert _try(Client(REMOTE_ADDR="192.0.2.8"), "officer", PASSWORD).status_code == 302
    assert "officer" not in manager.get(reverse("accounts:locked")).content.decode()


def test_unlocking_an_address(world: World) -> None:
    client = _hammer("someone", "198.51.100.6")
    manager = Client()
    manager.force_login(world.users["manager"])
    manager.post(reverse("accounts:unlock"), {"kind": "address", "value": "198.51.100.6"})
    manager.post(reverse("accounts:unlock"), {"kind": "username", "value": "someone"})
    assert _try(client, "officer", PASSWORD).status_code == 302


def test_only_a_manager_sees_or_unlocks(world: World) -> None:
    _hammer("officer", "198.51.100.7")
    for name in ("officer", "admin", "school_a"):
        client = Client()
        client.force_login(world.users[name])
        assert client.get(reverse("accounts:locked")).status_code == 403
        posted = client.post(reverse("accounts:unlock"), {"kind": "username", "value": "officer"})
        assert posted.status_code == 403
    assert not AuditEvent.objects.filter(verb=Verb.UNLOCKED).exists()


def test_the_lock_ends_after_the_cool_off(world: World, settings, time_machine) -> None:
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    client = _hammer("officer", "198.51.100.8")
    page = _try(client, "officer", PASSWORD)
    assert page.status_code == 429 and "try again in 30 minutes" in page.content.decode()
    time_machine.move_to("2026-03-02 09:31:00+00:00", tick=False)
    assert _try(client, "officer", PASSWORD).status_code == 302


def test_sign_in_sign_out_and_failures_are_audited(world: World, caplog) -> None:
    client = Client(REMOTE_ADDR="203.0.113.20")
    with caplog.at_level(logging.DEBUG):
        _try(client, "officer", "Secret-typed-into-wrong-box")
        _try(client, "Jane Smith", "wrong")
    failed = list(AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED).order_by("id"))
    assert [e.details["username"] for e in failed] == ["officer", "Jane Smith"]
    assert failed[0].subject_id == world.users["officer"].pk and failed[1].subject_id is None
    assert all(e.ip_address == "203.0.113.20" and e.actor is None for e in failed)
    text = caplog.text + str([e.details for e in failed])
    assert "Secret-typed-into-wrong-box" not in text
    assert "Jane Smith" not in caplog.text and "officer" not in caplog.text

    assert _try(client, "officer", PASSWORD).status_code == 302
    signed_in = AuditEvent.objects.get(verb=Verb.SIGN_IN)
    assert signed_in.actor == world.users["officer"] and signed_in.details["complete"] is True
    client.post(reverse("accounts:sign-out"))
    assert AuditEvent.objects.get(verb=Verb.SIGN_OUT).actor == world.users["officer"]


def test_the_moment_of_lockout_is_audited(world: World) -> None:
    _hammer("officer", "198.51.100.9")
    locked = AuditEvent.objects.filter(verb=Verb.LOCKED_OUT)
    assert locked.count() == 1 and locked.get().details["username"] == "officer"


def test_a_complete_sign_in_clears_earlier_failures(world: World) -> None:
    client = Client(REMOTE_ADDR="198.51.100.10")
    for _ in range(LIMIT - 1):
        _try(client, "officer", "wrong")
    assert _try(client, "officer", PASSWORD).status_code == 302
    client.post(reverse("accounts:sign-out"))
    other = Client(REMOTE_ADDR="198.51.100.11")
    assert _try(other, "officer", "wrong").status_code == 200
    assert _try(other, "officer", PASSWORD).status_code == 302
