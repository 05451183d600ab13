"""Keeping robots off the public referral form without a third-party service.

Four guards, each cheap and none of them a puzzle for a person:

- rate limits on submissions, per client address and per session, counted in the database in
  fixed windows (``cme.core.rate_limits``: one atomic statement a hit, so a burst of
  concurrent posts is counted exactly, across every app process; the address and session
  are stored only as a keyed hash);
- a honeypot field that people (and their assistive technology) never see, but that a robot
  filling every box fills;
- a minimum time between starting the form and sending it, which no person beats;
- Django's CSRF protection on every form (the middleware does that part).

The client's address is the one the request context holds (``cme.core.request_context``),
which trusts X-Forwarded-For only from the proxies the deployment names: a header a client
writes itself cannot buy it a fresh allowance.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cme.core.rate_limits import rate_count_hit, window_remaining
from cme.core.request_context import current_request_meta

HONEYPOT_FIELD = "website"


@dataclass(frozen=True)
class Limit:
    scope: str
    allowed: int
    window_seconds: int


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def submission_limits() -> tuple[Limit, Limit]:
    """Per IP and per session: enough for a household or a library PC, too few for a robot."""
    window = _setting("CME_PUBLIC_REFERRAL_WINDOW_SECONDS", 60 * 60)
    return (
        Limit("ip", _setting("CME_PUBLIC_REFERRAL_PER_IP", 10), window),
        Limit("session", _setting("CME_PUBLIC_REFERRAL_PER_SESSION", 3), window),
    )


def min_seconds() -> float:
    """No person answers every question and checks them in less than this."""
    return float(getattr(settings, "CME_PUBLIC_REFERRAL_MIN_SECONDS", 5))


def _client(request: HttpRequest, scope: str) -> str:
    if scope == "ip":
        return current_request_meta().ip_address or "unknown"
    return request.session.session_key or "no-session"


def submission_attempt(request: HttpRequest) -> bool:
    """Count one attempt to send a referral; False when the client has had its share.

    Every attempt counts, refused ones too: a robot that keeps trying keeps being counted.
    """
    allowed = True
    for limit in submission_limits():
        count = rate_count_hit(
            scope=f"public-referral:{limit.scope}",
            client=_client(request, limit.scope),
            window_seconds=limit.window_seconds,
        )
        allowed = allowed and count <= limit.allowed
    return allowed


def retry_after_seconds() -> int:
    """How long until the current window ends, for the Retry-After header."""
    return window_remaining(submission_limits()[0].window_seconds)


def honeypot_filled(data: Mapping[str, Any]) -> bool:
    """True when the box no person sees has something in it."""
    return bool(str(data.get(HONEYPOT_FIELD) or "").strip())


def started_now() -> float:
    """The moment to keep in the session when someone starts the form."""
    return time.time()


def too_fast(started_at: object) -> bool:
    """True when the form is sent sooner after it was started than a person could manage."""
    if not isinstance(started_at, int | float):
        return True
    return time.time() - float(started_at) < min_seconds()
