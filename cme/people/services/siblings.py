"""A child's brothers and sisters, as the family's details give them (the CARERS part of the
record: the family). A sibling on the register is linked from both sides in one step."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.record_access import Part

from ..models import ChangeAction, Child, Sibling
from ._shared import child_locked, plain, record_change

FIELDS = ("sibling_id", "name", "date_of_birth", "school_id", "relationship")


def _values(row: Sibling) -> dict[str, Any]:
    return {name: plain(getattr(row, name)) for name in FIELDS}


@transaction.atomic
def sibling_add(
    *,
    child: Child,
    by: Any,
    sibling: Child | None = None,
    name: str = "",
    date_of_birth: date | None = None,
    school: Any = None,
    relationship: str = "",
    expected_version: int | None = None,
) -> Sibling:
    """Add a brother or sister: a child on the register, or one by name. Their school may be
    given (a child on the register's own school comes from their cases)."""
    child = child_locked(child, by=by, part=Part.CARERS, expected_version=expected_version)
    errors: dict[str, list[str]] = {}
    if sibling is None and not name.strip():
        errors["name"] = ["Enter the brother's or sister's name, or the number of their record"]
    if sibling is not None and sibling.pk == child.pk:
        errors["sibling"] = ["A child cannot be their own brother or sister"]
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        errors["date_of_birth"] = ["The date of birth must be in the past"]
    if len(name) > 200 or len(relationship) > 60:
        errors["name" if len(name) > 200 else "relationship"] = ["That is too long"]
    if sibling is not None and Sibling.objects.filter(child=child, sibling=sibling).exists():
        errors["sibling"] = ["That child is already recorded as a brother or sister"]
    if errors:
        raise ValidationError(errors)
    row = Sibling.objects.create(
        child=child,
        sibling=sibling,
        name=name.strip() if sibling is None else "",
        date_of_birth=date_of_birth if sibling is None else None,
        school=school,
        relationship=relationship.strip(),
    )
    record_change(
        child=child, part=Part.CARERS, subject=row, action=ChangeAction.ADDED,
        before={}, after=_values(row), by=by,
    )  # fmt: skip
    if sibling is not None:
        # The other child's record says so too: the writer must be allowed to change it.
        other = child_locked(sibling, by=by, part=Part.CARERS, expected_version=None)
        mirror, _ = Sibling.objects.get_or_create(
            child=other, sibling=child, defaults={"relationship": relationship.strip()}
        )
        record_change(
            child=other, part=Part.CARERS, subject=mirror, action=ChangeAction.ADDED,
            before={}, after=_values(mirror), by=by,
        )  # fmt: skip
    return row


@transaction.atomic
def sibling_remove(*, row: Sibling, by: Any, reason: str) -> None:
    """A brother or sister recorded in error: removed from both sides, the change kept with
    its reason."""
    child = child_locked(row.child, by=by, part=Part.CARERS, expected_version=None)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the brother or sister is removed"]})
    pairs = [row]
    if row.sibling_id is not None:
        pairs += list(Sibling.objects.filter(child_id=row.sibling_id, sibling_id=child.pk))
    for one in pairs:
        owner = (
            child
            if one.child_id == child.pk
            else child_locked(one.child, by=by, part=Part.CARERS, expected_version=None)
        )
        record_change(
            child=owner, part=Part.CARERS, subject=one, action=ChangeAction.ENDED,
            before=_values(one), after={}, by=by, reason=reason.strip(),
        )  # fmt: skip
        one.delete()
