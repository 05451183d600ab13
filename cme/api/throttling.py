"""The API's rate limits, counted atomically in the database (``cme.core.rate_limits``).

REST framework's own throttles keep a list of request times in the cache and write it back
after reading it, so concurrent requests each read the same list and all pass: 201 referrals
went through a 120-an-hour limit in one burst. These count each request with one atomic
statement instead, across every app process, and the client's address is the one the
request context holds (X-Forwarded-For trusted only from the deployment's own proxies).

The limits are fixed windows of the rate's period (an hour for ``120/hour``).
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from cme.core.rate_limits import rate_count_hit, window_remaining
from cme.core.request_context import current_request_meta


class _CountedThrottle(SimpleRateThrottle):
    """Allows a request while its window's count, this request included, is within the rate."""

    def get_ident(self, request: Request) -> str:
        return current_request_meta().ip_address or "unknown"

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        count = rate_count_hit(scope="api", client=key, window_seconds=self.duration)
        return count <= self.num_requests

    def wait(self) -> float | None:
        return float(window_remaining(self.duration))


# Each keeps its REST framework parent's scope and key (per user, per address, per view
# scope); only the counting differs. The parent comes first so that the scoped throttle
# still picks its rate from the view before counting.
class AnonThrottle(AnonRateThrottle, _CountedThrottle):
    pass


class UserThrottle(UserRateThrottle, _CountedThrottle):
    pass


class ScopedThrottle(ScopedRateThrottle, _CountedThrottle):
    pass
