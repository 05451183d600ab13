from django.db import models


class WorkerHeartbeat(models.Model):
    """When the background worker last ran a task from the queue: one row, overwritten.

    The queue's own table says nothing while it is empty, so the worker runs a small task every
    minute (cme/core/heartbeat.py) and the readiness check reads this row.
    """

    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"worker seen at {self.seen_at:%Y-%m-%d %H:%M:%S}"
