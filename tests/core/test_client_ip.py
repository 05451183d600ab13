"""X-Forwarded-For is believed only from the proxies we run (CME_TRUSTED_PROXIES)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.core.request_context import client_ip

if TYPE_CHECKING:
    from conftest import World


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    # Any, as the factory's **extra is typed: str values would also be offered to `secure`.
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_with_no_trusted_proxies_the_header_is_ignored(settings) -> None:
    settings.CME_TRUSTED_PROXIES = []
    assert _ip("203.0.113.9", "1.2.3.4") == "203.0.113.9"
    assert _ip("203.0.113.9") == "203.0.113.9"


def test_a_forged_header_from_an_untrusted_address_is_ignored(settings) -> None:
    settings.CME_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_first_untrusted_hop_from_the_right(
    settings,
) -> None:
    settings.CME_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    assert _ip("10.0.0.5", "198.51.100.1") == "198.51.100.1"
    # The client wrote the left-most entries; only the ones our proxies appended count.
    assert _ip("10.0.0.5", "6.6.6.6, 198.51.100.1, 192.0.2.1") == "198.51.100.1"
    # All hops ours (a health check from inside): the left-most proxy is the answer.
    assert _ip("10.0.0.5", "10.1.1.1") == "10.1.1.1"
    # Garbage in the chain stops the walk at the last good proxy.
    assert _ip("10.0.0.5", "198.51.100.1, not-an-ip") == "10.0.0.5"
    assert _ip("10.0.0.5") == "10.0.0.5"


def test_ipv6_networks(settings) -> None:
    settings.CME_TRUSTED_PROXIES = ["2001:db8::/32"]
    assert _ip("2001:db8::1", "2001:db9::7") == "2001:db9::7"
    assert _ip("2001:db9::1", "2001:db9::7") == "2001:db9::1"


@pytest.mark.parametrize("trusted", [[], ["10.0.0.0/8"]])
def test_a_forged_header_does_not_escape_the_sign_in_lockout(
    world: World, settings, trusted
) -> None:
    """A robot that changes X-Forwarded-For on every guess is still one address."""
    settings.CME_TRUSTED_PROXIES = trusted
    settings.AXES_FAILURE_LIMIT = 5
    client = Client(REMOTE_ADDR="203.0.113.77")
    for n in range(5):
        client.post(
            reverse("accounts:sign-in"),
            {"username": f"guess{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    refused = client.post(
        reverse("accounts:sign-in"),
        {"username": "officer", "password": "a long test password"},
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert refused.status_code == 429
    events = AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED)
    assert {e.ip_address for e in events} == {"203.0.113.77"}


def test_the_audit_trail_records_the_client_behind_a_trusted_proxy(world: World, settings) -> None:
    settings.CME_TRUSTED_PROXIES = ["10.0.0.0/8"]
    Client(REMOTE_ADDR="10.0.0.2").post(
        reverse("accounts:sign-in"),
        {"username": "officer", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.42",
    )
    assert AuditEvent.objects.get(verb=Verb.SIGN_IN_FAILED).ip_address == "198.51.100.42"


def test_deploy_check_warns_behind_a_proxy_with_none_trusted(settings) -> None:
    from cme.accounts.checks import trusted_proxies_check

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CME_TRUSTED_PROXIES = []
    assert [w.id for w in trusted_proxies_check(None)] == ["cme.W001"]
    settings.CME_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert trusted_proxies_check(None) == []
