"""`/healthz/ready`: the database answers and the background worker has run recently."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cme.core.heartbeat import worker_heartbeat, worker_heartbeat_record, worker_last_seen
from cme.core.models import WorkerHeartbeat

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def queue_in_database(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE


def _ready() -> tuple[int, dict[str, Any]]:
    response = Client().get("/healthz/ready")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_ready_when_tasks_run_in_the_request(db) -> None:
    status, body = _ready()
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "worker": "not used: tasks run as they are queued"},
    }


def test_ready_when_the_worker_ran_a_minute_ago(db, queue_in_database) -> None:
    worker_heartbeat_record(at=timezone.now() - timedelta(minutes=1))
    assert _ready() == (200, {"status": "ok", "checks": {"database": "ok", "worker": "ok"}})


def test_not_ready_before_any_worker_has_run(db, queue_in_database) -> None:
    status, body = _ready()
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"] == {
        "database": "ok",
        "worker": "no heartbeat yet: is cme db_worker running?",
    }


def test_not_ready_when_the_worker_stopped(db, queue_in_database, settings) -> None:
    settings.CME_WORKER_STALE_AFTER_SECONDS = 300
    worker_heartbeat_record(at=timezone.now() - timedelta(seconds=301))
    status, body = _ready()
    assert status == 503
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["worker"].startswith("last heartbeat 30")


def test_not_ready_when_the_database_does_not_answer(db, monkeypatch) -> None:
    def refuse() -> None:
        raise OperationalError("could not connect to server db.internal:5432")

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", refuse)
        status, body = _ready()
    assert status == 503
    assert body == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "worker": "not checked"},
    }


def test_healthz_stays_a_plain_fast_answer(
    db, queue_in_database, django_assert_num_queries
) -> None:
    # No worker has run, yet /healthz still answers: it is the liveness check, not readiness.
    with django_assert_num_queries(1):
        response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_a_heartbeat_and_queues_the_next(queue_in_database, settings) -> None:
    settings.CME_WORKER_HEARTBEAT_SECONDS = 60
    assert worker_last_seen() is None
    before = timezone.now()
    # --batch: run what is due, then stop (the next heartbeat is a minute away, so not due).
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    seen = worker_last_seen()
    assert seen is not None and seen >= before
    assert WorkerHeartbeat.objects.count() == 1
    waiting = DBTaskResult.objects.filter(
        task_path=worker_heartbeat.module_path, status="READY"
    ).get()
    assert timedelta(seconds=55) < waiting.run_after - before < timedelta(seconds=65)
    assert _ready()[0] == 200

    # A second start does not begin a second chain while the first is waiting.
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.django_db(transaction=True)
def test_earlier_heartbeats_do_not_pile_up_in_the_queue(queue_in_database, settings) -> None:
    settings.CME_WORKER_HEARTBEAT_SECONDS = 0  # each one due at once, so three run in a row
    call_command("db_worker", max_tasks=3, interval=0, startup_delay=False, verbosity=0)
    heartbeats = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)
    assert sorted(heartbeats.values_list("status", flat=True)) == ["READY", "SUCCESSFUL"]
