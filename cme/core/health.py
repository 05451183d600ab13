"""The readiness check a load balancer or monitor asks before sending people to this server.

`/healthz` answers at once (the process is up and reaches its database); `/healthz/ready` also
checks that the background worker has taken a task off the queue recently, so reminders and
emails are not silently piling up. Neither needs a sign-in, so both say only which check failed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cme.core.heartbeat import queue_is_in_database, worker_last_seen

OK = "ok"


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not ready"; its text may name the host
        return "unavailable"
    return OK


def worker_check() -> str:
    if not queue_is_in_database():
        return "not used: tasks run as they are queued"
    try:
        last_seen = worker_last_seen()
    except Exception:  # the table missing (migrations not run) is a failure like any other
        return "unavailable"
    if last_seen is None:
        return "no heartbeat yet: is cme db_worker running?"
    age = timezone.now() - last_seen
    if age > timedelta(seconds=settings.CME_WORKER_STALE_AFTER_SECONDS):
        return f"last heartbeat {int(age.total_seconds())} seconds ago"
    return OK


def is_passing(result: str) -> bool:
    return result == OK or result.startswith("not used")


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_check()}
    checks["worker"] = worker_check() if checks["database"] == OK else "not checked"
    passing = all(is_passing(result) for result in checks.values())
    return JsonResponse(
        {"status": "ok" if passing else "unavailable", "checks": checks},
        status=200 if passing else 503,
    )
