"""The home page's reads: a worker's caseload and work queue, audited as listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cme.audit.models import Verb
from cme.audit.services import audit_record_many
from cme.cases.deadlines import WorkItem
from cme.cases.models import Case
from cme.cases.selectors import Bucket, WorkQueue, caseload, queue_page, work_queue
from cme.enquiries.models import IncomingEnquiry
from cme.enquiries.selectors import QueueLine, incoming_queue, outstanding_queue


@dataclass(frozen=True)
class HomePage:
    caseload: list[Case]
    queue: WorkQueue
    # Enquiries still waiting for an answer on the worker's cases, soonest due first.
    enquiries: list[QueueLine]
    # Other councils' CME4s for the CME team to check and answer (no child of ours named).
    incoming: list[IncomingEnquiry]


# How many of each queue the home page shows; the rest are a page away (queue_list).
SHOWN = 20


def home_page(*, user: Any, today: date) -> HomePage:
    """A worker's caseload and work queue. The children named on it are audited as listed;
    the daily reminder uses `work_queue` alone, since its email names no child."""
    cases = list(caseload(user=user))
    queue = work_queue(user=user, today=today, limit=SHOWN)
    enquiries = outstanding_queue(user=user, today=today)
    shown = {(c.pk, c.child_id) for c in cases}
    shown |= {(line.enquiry.case_id, line.enquiry.case.child_id) for line in enquiries}
    for bucket in (queue.overdue, queue.due_soon):
        shown |= {(c.pk, c.child_id) for c, _ in bucket}
    audit_record_many(actor=user, verb=Verb.LIST, subject_type="case", rows=sorted(shown))
    return HomePage(
        caseload=cases, queue=queue, enquiries=enquiries, incoming=incoming_queue(user=user)
    )


def queue_list(
    *, user: Any, bucket: Bucket, today: date, page: int, per_page: int
) -> tuple[list[tuple[Case, WorkItem]], bool]:
    """A page of the worker's overdue or due-soon queue; the children on it audited as listed."""
    items, more = queue_page(user=user, bucket=bucket, today=today, page=page, per_page=per_page)
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="case",
        rows=sorted({(c.pk, c.child_id) for c, _ in items}),
    )
    return items, more
