"""The child and what belongs only to them: names, addresses, carers, risk factors."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import Address, Carer, Child, FormerName, StoredCtf

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


def _export(child: Child) -> dict[str, Any]:
    return {
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
    }


def _remove(child: Child) -> None:
    for model in (Address, Carer, FormerName, StoredCtf):
        model.objects.filter(child=child).delete()
    child.risk_factors.clear()
    child.delete()


CHILD_RECORDS = ChildRecords(
    models=(Child, Address, Carer, FormerName, StoredCtf), remove=_remove, export=_export
)
