"""Rate limits counted in the database, atomically, across every app process.

One statement counts a hit and returns the new total (``INSERT ... ON CONFLICT DO UPDATE SET
count = count + 1 RETURNING count``, which PostgreSQL and SQLite both run as one atomic step),
so a burst of concurrent requests is counted exactly: the limit's 11th request is refused
however many arrive at once. Django's cache cannot promise that (the DatabaseCache's ``incr``
is a read then a write), which is why the limits do not live there.

Windows are fixed (the hour from 10:00 to 11:00, say): simple to reason about, and at most
twice the limit can pass across a window's edge, which is acceptable for these limits.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.db import connection
from django.utils.crypto import salted_hmac

from .models import RateCount

_SALT = "cme.core.rate_limits"


def client_key(value: str) -> str:
    """A keyed hash: a counter's key cannot be turned back into the address or session."""
    return salted_hmac(_SALT, value).hexdigest()[:32]


def window_remaining(window_seconds: int, *, now: float | None = None) -> int:
    """Seconds until the current window ends (for Retry-After), at least 1."""
    now = time.time() if now is None else now
    return max(1, window_seconds - int(now) % window_seconds)


def rate_count_hit(
    *, scope: str, client: str, window_seconds: int, now: float | None = None
) -> int:
    """Count one hit by `client` (any string; stored hashed) at `scope` in the current window.

    Returns the count including this hit: the caller allows it if that is within the limit.
    """
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    key = f"{scope}:{client_key(client)}:{window}"
    expires_at = datetime.fromtimestamp((window + 1) * window_seconds, tz=UTC)
    table = connection.ops.quote_name(RateCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 - the table name is ours, every value a parameter
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, expires_at],
        )
        (count,) = cursor.fetchone()
    # One statement, so atomic without a transaction of its own; the tidying after it then
    # holds no lock on the counter. Ended windows are never counted again (the window's
    # number is in the key), so removing them races with nothing.
    RateCount.objects.filter(expires_at__lt=datetime.fromtimestamp(now, tz=UTC)).delete()
    return int(count)
