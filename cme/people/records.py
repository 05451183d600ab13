"""The child and what belongs only to them: names, addresses, carers, risk factors, and the
history of changes to them (RecordChange holds the values before and after)."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import (
    Address,
    Carer,
    Child,
    ChildRiskFactor,
    FormerDateOfBirth,
    FormerName,
    RecordChange,
    Sibling,
    StoredCtf,
)

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
    "ehcp_council",
    "looked_after",
    "looked_after_by",
    "child_protection_plan",
    "child_in_need",
    "young_carer",
    "yot",
]


def _rows(qs: Any, fields: list[str]) -> list[dict[str, Any]]:
    return [model_to_dict(row, fields=fields) for row in qs]


def _export(child: Child) -> dict[str, Any]:
    return {
        "child": model_to_dict(child, fields=CHILD_FIELDS),
        "risk_factors": [
            {
                "risk_factor": link.risk_factor.label,
                "raised_on": link.raised_on,
                "ended_on": link.ended_on,
            }
            for link in child.risk_factor_links.select_related("risk_factor")
        ],
        "former_names": _rows(
            child.former_names.all(),
            ["forename", "middle_names", "surname", "used_until", "reason", "replaced_at"],
        ),
        "former_dates_of_birth": _rows(
            child.former_dates_of_birth.all(), ["date_of_birth", "reason", "replaced_at"]
        ),
        "addresses": _rows(
            child.addresses.all(),
            ["line_1", "line_2", "town", "postcode", "lived_from", "lived_until", "lives_with"],
        ),
        "carers": _rows(
            child.carers.all(),
            [
                "name",
                "relationship",
                "parental_responsibility",
                "lives_with_child",
                "phone",
                "emergency_phone",
                "email",
                "address",
                "ended_on",
            ],
        ),
        "siblings": [
            {
                "name": row.name or (row.sibling.full_name if row.sibling else ""),
                "date_of_birth": row.date_of_birth
                or (row.sibling.date_of_birth if row.sibling else None),
                "school": row.school.name if row.school else "",
                "relationship": row.relationship,
            }
            for row in child.siblings.select_related("sibling", "school")
        ],
        "changes": _rows(
            child.changes.order_by("at", "id"),
            ["part", "subject_type", "action", "before", "after", "reason", "at"],
        ),
    }


def _remove(child: Child) -> None:
    # A brother or sister keeps their own record; only the link to this child goes.
    Sibling.objects.filter(sibling=child).delete()
    for model in (
        Sibling,
        RecordChange,
        ChildRiskFactor,
        FormerDateOfBirth,
        Address,
        Carer,
        FormerName,
        StoredCtf,
    ):
        model.objects.filter(child=child).delete()
    child.delete()


CHILD_RECORDS = ChildRecords(
    models=(
        Child,
        Address,
        Carer,
        FormerName,
        FormerDateOfBirth,
        ChildRiskFactor,
        RecordChange,
        Sibling,
        StoredCtf,
    ),
    remove=_remove,
    export=_export,
)
