"""Reading a child's record: scoped to the user and audited in one step."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from cme.audit.models import Verb
from cme.audit.services import audit_record

from .models import Child, ChildRiskFactor, RecordChange
from .record_view import ChildRecord, child_record
from .scopes import child_scope


def child_get(*, user: Any, child_id: int) -> Child:
    child = (
        Child.objects.filter(child_scope(user), pk=child_id)
        .prefetch_related(
            Prefetch(
                "risk_factor_links", queryset=ChildRiskFactor.objects.select_related("risk_factor")
            ),
            "former_dates_of_birth__replaced_by",
            "addresses",
            "carers",
            "former_names__replaced_by",
            "cases__school",
            "cases__referrals",
            "home_education_entries",
        )
        .first()
    )
    if child is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=child, child_id=child.pk)
    return child


def child_record_get(*, user: Any, child_id: int) -> ChildRecord:
    """The child's page as this reader may see it (cme.people.record_view); 404 outside
    scope or where no case of theirs gives them the child's identity. Audited."""
    record = child_record(user=user, child=child_get(user=user, child_id=child_id))
    if record is None:
        raise Http404
    return record


def child_for_edit(*, user: Any, child_id: int) -> tuple[Child, ChildRecord]:
    """The child and their record view, for a page that changes it: one audited read. Which
    parts the user may change is the view's `access` (the services check it again)."""
    child = child_get(user=user, child_id=child_id)
    record = child_record(user=user, child=child)
    if record is None:
        raise Http404
    return child, record


def changes_since(child: Child, version: int) -> list[RecordChange]:
    """The changes made to a child's record after `version`, oldest first. The child comes
    from a scoped, audited selector: this adds nothing the page has not already shown."""
    return list(
        RecordChange.objects.filter(child=child, version__gt=version)
        .select_related("by")
        .order_by("at", "id")
    )
