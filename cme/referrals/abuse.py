"""Keeping robots off the public referral form without a third-party service.

Four guards, each cheap and none of them a puzzle for a person:

- rate limits on submissions, per client IP (hashed with the secret key, never kept raw) and
  per session, counted in Django's cache in fixed windows;
- a honeypot field that people (and their assistive technology) never see, but that a robot
  filling every box fills;
- a minimum time between starting the form and sending it, which no person beats;
- Django's CSRF protection on every form (the middleware does that part).

The counters live in the cache named by ``CME_PUBLIC_REFERRAL_CACHE`` (default ``"default"``).
The default cache is Django's per-process LocMemCache, which is right for one process and for
the tests; with several app processes, configure a shared cache (the DatabaseCache needs no
extra service), otherwise each process counts on its own. Recommended for production::

    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "public_referral": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cme_cache",  # create it once: manage.py createcachetable
        },
    }
    CME_PUBLIC_REFERRAL_CACHE = "public_referral"
    CME_TRUSTED_PROXY_COUNT = 1  # behind one load balancer that sets X-Forwarded-For
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

HONEYPOT_FIELD = "website"
_SALT = "cme.referrals.abuse"


@dataclass(frozen=True)
class Limit:
    scope: str
    allowed: int
    window_seconds: int


def submission_limits() -> tuple[Limit, Limit]:
    """Per IP and per session: enough for a household or a library PC, too few for a robot."""
    window = settings.CME_PUBLIC_REFERRAL_WINDOW_SECONDS
    return (
        Limit("ip", settings.CME_PUBLIC_REFERRAL_PER_IP, window),
        Limit("session", settings.CME_PUBLIC_REFERRAL_PER_SESSION, window),
    )


def min_seconds() -> float:
    """No person answers every question and checks them in less than this."""
    return float(settings.CME_PUBLIC_REFERRAL_MIN_SECONDS)


def _cache() -> BaseCache:
    alias = settings.CME_PUBLIC_REFERRAL_CACHE
    return caches[alias if alias in settings.CACHES else "default"]


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind N trusted proxies, the Nth address from the right of
    X-Forwarded-For (``CME_TRUSTED_PROXY_COUNT``); addresses further left can be forged."""
    proxies = settings.CME_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _hashed(value: str) -> str:
    """A keyed hash: the cache key cannot be turned back into the address or session."""
    return salted_hmac(_SALT, value).hexdigest()[:32]


def _identity(request: HttpRequest, scope: str) -> str:
    if scope == "ip":
        return _hashed(client_ip(request))
    return _hashed(request.session.session_key or "no-session")


def _key(limit: Limit, identity: str, now: float) -> str:
    window = int(now // limit.window_seconds)
    return f"cme:public-referral:{limit.scope}:{identity}:{window}"


def submission_attempt(request: HttpRequest) -> bool:
    """Count one attempt to send a referral; False when the client has had its share.

    Every attempt counts, refused ones too: a robot that keeps trying keeps being counted.
    """
    cache = _cache()
    now = time.time()
    allowed = True
    for limit in submission_limits():
        key = _key(limit, _identity(request, limit.scope), now)
        cache.add(key, 0, timeout=limit.window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this is the window's first
            cache.set(key, 1, timeout=limit.window_seconds)
            count = 1
        allowed = allowed and count <= limit.allowed
    return allowed


def retry_after_seconds() -> int:
    """How long until the current window ends, for the Retry-After header."""
    window = submission_limits()[0].window_seconds
    return max(1, window - int(time.time()) % window)


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
