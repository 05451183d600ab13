"""Pruning the children change log that keeps the match indexes up to date.

Every save of a child, an address or a former name adds a row (cme.people.apps); without
pruning the table grows by every change ever made. A row is needed only until every process
has applied it, and a process that has not looked for half the kept time rebuilds its index
instead (cme.matching.sources), so rows older than `CME_INDEX_CHANGE_LOG_HOURS` can go.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from cme.people.models import ChildIndexChange


@transaction.atomic
def index_changes_prune(*, now: datetime) -> int:
    """Remove the log's rows older than the kept time; the newest row always stays, so the
    log's latest change id never goes back. Returns how many were removed."""
    cutoff = now - timedelta(hours=settings.CME_INDEX_CHANGE_LOG_HOURS)
    newest = ChildIndexChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return 0
    deleted, _ = ChildIndexChange.objects.filter(at__lt=cutoff).exclude(pk=newest).delete()
    return deleted
