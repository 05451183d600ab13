"""Rate limits counted atomically in the database: exact under a burst of concurrent requests,
for the public referral form and the API alike, and never storing a client's address."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from concurrency import all_at_once, on_postgresql
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from cme.api.throttling import ScopedThrottle
from cme.core.models import RateCount
from cme.core.rate_limits import rate_count_hit, window_remaining

# Each thread holds a database connection, and the server is shared: enough to overlap.
BURST = 40


def test_counts_up_per_client_and_scope_and_starts_again_each_window(db) -> None:
    hit = partial(rate_count_hit, scope="test", window_seconds=60, now=6000.0)
    assert [hit(client="203.0.113.9") for _ in range(3)] == [1, 2, 3]
    assert hit(client="198.51.100.7") == 1
    assert rate_count_hit(scope="other", client="203.0.113.9", window_seconds=60, now=6000) == 1
    assert rate_count_hit(scope="test", client="203.0.113.9", window_seconds=60, now=6060) == 1
    # The address is kept only as a keyed hash; ended windows are removed as time moves on.
    assert "203.0.113.9" not in " ".join(RateCount.objects.values_list("key", flat=True))
    now = timezone.now().timestamp()
    rate_count_hit(scope="test", client="x", window_seconds=60, now=now)
    assert not RateCount.objects.filter(expires_at__lt=timezone.now() - timedelta(minutes=1))
    assert window_remaining(60, now=6001.5) == 59 and window_remaining(60, now=6059.9) == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_hits_is_counted_exactly() -> None:
    counts = all_at_once(
        BURST, lambda _: rate_count_hit(scope="burst", client="one", window_seconds=3600)
    )
    assert sorted(counts) == list(range(1, BURST + 1))


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_api_referral_limit_holds_under_a_burst(monkeypatch) -> None:
    """A limit means that many, however many arrive at once (REST framework's own throttle
    let 201 of a burst through a limit of 120)."""
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "referral_create", "15/hour")

    class View:
        throttle_scope = "referral_create"

    def one(_: int) -> bool:
        request = Request(RequestFactory().post("/api/v1/referrals/"))
        request.user = type("User", (), {"is_authenticated": True, "pk": 7})()
        return ScopedThrottle().allow_request(request, View())

    assert sum(all_at_once(BURST, one)) == 15
