"""Where a request came from, for the audit trail, without passing `request` into services.

`client_ip` is the one answer to "which address is this client?" for the audit trail, the
sign-in lockout and the public form's and API's limits.
"""

from __future__ import annotations

import contextvars
import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RequestMeta:
    source: str = "cli"
    ip_address: str | None = None
    anonymous_label: str = "system"


_current: contextvars.ContextVar[RequestMeta] = contextvars.ContextVar(
    "cme_request_meta",
    default=RequestMeta(),  # noqa: B039 - frozen dataclass, so sharing it is safe
)


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta) -> contextvars.Token[RequestMeta]:
    return _current.set(meta)


def reset_request_meta(token: contextvars.Token[RequestMeta]) -> None:
    _current.reset(token)


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in configured)


def trusted_proxies() -> tuple[Network, ...]:
    """The proxy addresses and networks (``CME_TRUSTED_PROXIES``) whose X-Forwarded-For is
    believed. Empty by default: then the header is ignored and only REMOTE_ADDR counts."""
    return _networks(tuple(getattr(settings, "CME_TRUSTED_PROXIES", ())))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, networks: tuple[Network, ...]
) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as far as it can be known.

    X-Forwarded-For is read only when the connection itself comes from a trusted proxy.
    Then the chain is walked from the right (the entry our own proxy wrote) leftwards past
    every trusted proxy; the first address that is not one of ours is the client. Anything
    further left was written by the client and can be forged, so it is never used.
    """
    remote = _address(str(request.META.get("REMOTE_ADDR") or ""))
    networks = trusted_proxies()
    if not _is_trusted(remote, networks):
        return str(remote) if remote is not None else None
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for entry in reversed(chain):
        hop = _address(entry)
        if hop is None:
            # A malformed hop cannot be trusted or passed: the last good proxy is the answer.
            break
        if not _is_trusted(hop, networks):
            return str(hop)
        remote = hop
    return str(remote)
