"""Reading a child's record: scoped to the user and audited in one step."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from cme.audit.models import Verb
from cme.audit.services import audit_record

from .models import Child
from .record_view import ChildRecord, child_record
from .scopes import child_scope


def child_get(*, user: Any, child_id: int) -> Child:
    child = (
        Child.objects.filter(child_scope(user), pk=child_id)
        .prefetch_related(
            "risk_factors",
            "addresses",
            "carers",
            "former_names",
            "cases__school",
            "cases__referrals",
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
