"""A subject access export: everything the register holds about one child, as JSON.

UK GDPR Article 15 (right of access); DESIGN.md section 6. The export is itself audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from cme.audit.models import Verb
from cme.audit.services import audit_record

from cme.people.models import Child

CHILD_FIELDS = [
    "forename",
    "middle_names",
    "surname",
    "preferred_name",
    "date_of_birth",
    "sex",
    "upn",
    "former_upns",
    "sen_support",
    "ehcp",
    "looked_after",
    "child_protection_plan",
]


def _rows(qs: Any, fields: list[str]) -> list[dict[str, Any]]:
    return [model_to_dict(row, fields=fields) for row in qs]


def _case(case: Any) -> dict[str, Any]:
    plan = getattr(case, "plan", None)
    return {
        **model_to_dict(
            case,
            fields=[
                "status",
                "outcome",
                "opened_on",
                "closed_on",
                "first_day_absent",
                "left_roll_on",
            ],
        ),
        "school": case.school.name if case.school else "",
        "key_worker": str(case.key_worker or ""),
        "timeline": [
            {"at": e.at.isoformat(), "what": e.get_kind_display(), "text": e.text}
            for e in case.events.order_by("at", "id")
        ],
        "flags": _rows(
            case.flags.all(),
            [
                "kind",
                "description",
                "raised_at",
                "escalated_to",
                "escalated_on",
                "resolved_at",
                "resolution",
            ],
        ),
        "action_plan": _rows(plan.actions.all(), ["title", "due_on", "done_on", "note"])
        if plan
        else [],
        "checks": _rows(case.checks.all(), ["source", "run_at", "candidate_count"]),
    }


@transaction.atomic
def child_export(*, child: Child, by: Any) -> dict[str, Any]:
    """The child's record, referrals, cases, timelines, flags, plans and checks."""
    data = {
        "child": model_to_dict(child, fields=CHILD_FIELDS),
        "risk_factors": [r.label for r in child.risk_factors.all()],
        "former_names": _rows(child.former_names.all(), ["forename", "surname", "used_until"]),
        "addresses": _rows(
            child.addresses.all(),
            ["line_1", "line_2", "town", "postcode", "lived_from", "lived_until"],
        ),
        "carers": _rows(
            child.carers.all(),
            ["name", "relationship", "parental_responsibility", "phone", "email", "address"],
        ),
        "referrals": [
            {
                "reference": r.reference,
                "received_on": r.received_on,
                "route": r.get_route_display(),
                "reason": r.get_reason_display(),
                "as_described": r.described,
                "details": r.details,
            }
            for r in child.referrals.order_by("received_on")
        ],
        "cases": [_case(c) for c in child.cases.select_related("school", "key_worker")],
    }
    audit_record(
        actor=by,
        verb=Verb.EXPORT,
        subject=child,
        child_id=child.pk,
        details={"kind": "subject_access"},
    )
    return data
