"""Reading a child's record: scoped to the user and audited in one step."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from cme.accounts.permissions import child_scope
from cme.audit.models import Verb
from cme.audit.services import audit_record

from .models import Child


def child_get(*, user: Any, child_id: int) -> Child:
    child = (
        Child.objects.filter(child_scope(user), pk=child_id)
        .prefetch_related("risk_factors", "addresses", "carers", "former_names", "cases")
        .first()
    )
    if child is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=child, child_id=child.pk)
    return child
