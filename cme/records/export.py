"""A subject access export: everything the register holds about one child, as JSON.

UK GDPR Article 15 (right of access); DESIGN.md section 6. The export is itself audited. What
goes in comes from each app's `records.py`: the top level from `export(child)`, and each case
from every app's `export_case(case)`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import Case
from cme.people.models import Child

from .registry import child_record_parts


@transaction.atomic
def child_export(*, child: Child, by: Any) -> dict[str, Any]:
    """The child's record, referrals, cases, timelines, flags, plans and checks."""
    # What others point at comes first: the child before the cases, a case before its checks.
    parts = list(reversed(child_record_parts()))
    data: dict[str, Any] = {}
    for part in parts:
        if part.export:
            data.update(part.export(child))
    cases = Case.objects.filter(child=child).select_related("school", "key_worker")
    data["cases"] = []
    for case in cases:
        entry: dict[str, Any] = {}
        for part in parts:
            if part.export_case:
                entry.update(part.export_case(case))
        data["cases"].append(entry)
    audit_record(
        actor=by,
        verb=Verb.EXPORT,
        subject=child,
        child_id=child.pk,
        details={"kind": "subject_access"},
    )
    return data
