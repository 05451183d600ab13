"""The background worker's heartbeat: a task that records the time and queues the next one.

A heartbeat in the database shows that a worker is taking tasks off the queue, not merely that
its process is alive. `cme db_worker` queues the first one when it starts; each then queues its
successor a minute ahead, so one chain runs for as long as any worker does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from cme.core.models import WorkerHeartbeat

HEARTBEAT_ROW = 1


@transaction.atomic
def worker_heartbeat_record(*, at: datetime) -> WorkerHeartbeat:
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        pk=HEARTBEAT_ROW, defaults={"seen_at": at}
    )
    return heartbeat


def worker_last_seen() -> datetime | None:
    return (
        WorkerHeartbeat.objects.filter(pk=HEARTBEAT_ROW).values_list("seen_at", flat=True).first()
    )


def queue_is_in_database() -> bool:
    """Only a queue held in the database has a worker to watch; the demo and tests run tasks
    in the request that queues them."""
    return bool(worker_heartbeat.get_backend().supports_defer)


def worker_heartbeat_schedule(*, delay: timedelta) -> bool:
    """Queue the next heartbeat unless one is already waiting; True when one was queued."""
    if not queue_is_in_database():
        return False
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        waiting = DBTaskResult.objects.filter(
            task_path=worker_heartbeat.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
        worker_heartbeat.using(run_after=timezone.now() + delay).enqueue()
    return True


def worker_heartbeat_results_prune() -> int:
    """Earlier heartbeats' rows in the queue's table: their time is in WorkerHeartbeat already,
    and a row a minute would otherwise pile up. Failed ones stay, for whoever looks into why."""
    if not queue_is_in_database():
        return 0
    from django_tasks_db.models import DBTaskResult

    deleted, _by_model = DBTaskResult.objects.filter(
        task_path=worker_heartbeat.module_path, status=TaskResultStatus.SUCCESSFUL
    ).delete()
    return deleted


@task()
def worker_heartbeat() -> None:
    worker_heartbeat_record(at=timezone.now())
    worker_heartbeat_results_prune()
    worker_heartbeat_schedule(delay=timedelta(seconds=settings.CME_WORKER_HEARTBEAT_SECONDS))
