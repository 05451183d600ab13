"""Email that leaves only after the change it reports is committed, through the task queue.

Messages carry as little personal data as the job needs: a case number and a link, never a
child's name (email is not a secure channel for it).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email_task(*, to: list[str], subject: str, body: str) -> int:
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
    logger.info("notification sent to %d recipient(s)", len(to))
    return sent


def email_on_commit(*, to: list[str], subject: str, body: str) -> None:
    """Queue an email for when (and only if) the current transaction commits."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email_task.enqueue(to=recipients, subject=subject, body=body)
    )


def absolute(path: str) -> str:
    return settings.CME_BASE_URL.rstrip("/") + path
