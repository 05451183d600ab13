"""The daily reminder: each worker hears what is overdue or due soon on their cases.

Run by `cme send-reminders` from cron, or queued for the database worker with `--queue`.
One email per person, with counts and case numbers, never names.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from cme.accounts.models import Role, User
from cme.cases.selectors import work_queue
from cme.core.notify import absolute, email_on_commit
from cme.enquiries.selectors import incoming_queue, outstanding_queue

WORKERS = [
    Role.CME_OFFICER,
    Role.CME_MANAGER,
    Role.KEY_WORKER,
    Role.PAEWS_OFFICER,
    Role.PARTNER_AGENCY,
    Role.OTHER_LA,
    Role.SCHOOL_STAFF,
]


def _body(overdue: list[int], soon: list[int], enquiries: list[str] | None = None) -> str:
    lines = ["Good morning,", ""]
    if overdue:
        lines.append(
            f"{len(overdue)} deadline(s) overdue, on case(s) {', '.join(map(str, overdue))}."
        )
    if soon:
        lines.append(f"{len(soon)} deadline(s) due soon, on case(s) {', '.join(map(str, soon))}.")
    if enquiries:
        lines.append(
            f"{len(enquiries)} enquiry(ies) overdue for an answer: {', '.join(enquiries)}."
        )
    lines += ["", f"Sign in to see them: {absolute(reverse('worklist:home'))}", ""]
    return "\n".join(lines)


def send_reminders() -> int:
    """Send today's reminders; returns how many people were sent one."""
    today = timezone.localdate()
    sent = 0
    for user in User.objects.filter(is_active=True, role__in=WORKERS).exclude(email=""):
        queue = work_queue(user=user, today=today, limit=None)
        overdue = sorted({case.pk for case, _ in queue.overdue})
        soon = sorted({case.pk for case, _ in queue.due_soon} - set(overdue))
        # Enquiry references only (E12), never the child: the chase job writes to recipients.
        late = [
            line.enquiry.reference
            for line in outstanding_queue(user=user, today=today)
            if line.overdue
        ]
        # Other councils' CME4s past the day we owe an answer, for the CME team.
        late += [i.reference for i in incoming_queue(user=user) if i.is_overdue]
        if not overdue and not soon and not late:
            continue
        email_on_commit(
            to=[user.email],
            subject="CME Register: your cases today",
            body=_body(overdue, soon, late),
        )
        sent += 1
    return sent


@task()
def send_reminders_task() -> int:
    return send_reminders()
