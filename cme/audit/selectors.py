"""Reading the audit trail: who has looked at or changed a child's record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator

from cme.accounts.permissions import Action, can
from cme.core.errors import NotAllowed

from .models import AuditEvent, Verb
from .services import audit_record


def child_access_log(*, user: Any, child_id: int, page_number: int | str = 1) -> Page[AuditEvent]:
    """Every event about one child, newest first. Reading the trail is itself recorded."""
    if not can(user, Action.VIEW_AUDIT):
        raise NotAllowed
    audit_record(
        actor=user,
        verb=Verb.VIEW,
        subject_type="audit_trail",
        child_id=child_id,
        details={"of_child": child_id},
    )
    qs = AuditEvent.objects.filter(child_id=child_id).select_related("actor").order_by("-at", "-id")
    return Paginator(qs, settings.CME_PAGE_SIZE).get_page(page_number)
