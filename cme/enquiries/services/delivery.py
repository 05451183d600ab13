"""Email about an enquiry: queued on commit for the background worker, tried again on failure,
and every attempt's result kept on the enquiry (a failed send is shown there, never lost).

django-tasks (already the project's queue, cme.core.notify) runs the sending in the worker;
it has no retries of its own, so a failed send re-queues itself with a growing wait
(`run_after`), up to CME_ENQUIRY_EMAIL_ATTEMPTS tries. Bodies name the enquiry and carry a
link, never a child's name or any other personal data (email is not a secure channel).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ..models import DeliveryState, Enquiry, EnquiryEmail

logger = logging.getLogger(__name__)


def email_queue(*, enquiry: Enquiry, purpose: str, to: list[str], subject: str, body: str) -> None:
    """Record the email and send it once (and only if) the current transaction commits."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    email = EnquiryEmail.objects.create(
        enquiry=enquiry, purpose=purpose, to=recipients, subject=subject, body=body
    )
    transaction.on_commit(lambda: enquiry_email_task.enqueue(email_id=email.pk))


def _retry_wait(attempts: int) -> timedelta:
    return timedelta(minutes=2**attempts)


def enquiry_email_deliver(*, email_id: int) -> str:
    """Try to send one email; on failure record why and queue the next try, if any remain."""
    email = EnquiryEmail.objects.filter(pk=email_id).first()
    if email is None or email.state in {DeliveryState.SENT, DeliveryState.FAILED}:
        return "nothing to do"
    email.attempts += 1
    try:
        send_mail(
            email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to, fail_silently=False
        )
    except Exception as error:
        email.last_error = f"{type(error).__name__}: {error}"[:300]
        final = email.attempts >= settings.CME_ENQUIRY_EMAIL_ATTEMPTS
        email.state = DeliveryState.FAILED if final else DeliveryState.RETRYING
        email.save(update_fields=["attempts", "last_error", "state"])
        logger.warning("enquiry email %d failed (attempt %d)", email.pk, email.attempts)
        if not final:
            _requeue(email)
        return email.state
    email.state, email.sent_at, email.last_error = DeliveryState.SENT, timezone.now(), ""
    email.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    logger.info("enquiry email %d sent to %d recipient(s)", email.pk, len(email.to))
    return email.state


def _requeue(email: EnquiryEmail) -> None:
    backend = enquiry_email_task.get_backend()
    if backend.supports_defer:
        enquiry_email_task.using(run_after=timezone.now() + _retry_wait(email.attempts)).enqueue(
            email_id=email.pk
        )
    else:
        # The immediate backend (tests, the demo) cannot wait: it tries again at once.
        enquiry_email_task.enqueue(email_id=email.pk)


@task()
def enquiry_email_task(*, email_id: int) -> str:
    return enquiry_email_deliver(email_id=email_id)


def email_resend(*, email: EnquiryEmail) -> None:
    """An officer asks for a failed email to be tried again (the attempts start over)."""
    email.state, email.attempts = DeliveryState.QUEUED, 0
    email.save(update_fields=["state", "attempts"])
    transaction.on_commit(lambda: enquiry_email_task.enqueue(email_id=email.pk))
