"""What every writer of a child's record shares: the row lock with the part and stale checks,
and the change record with its audit event."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone

from cme.accounts.record_access import Part
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed, StaleEdit

from ..models import ChangeAction, Child, RecordChange
from ..record_view import child_access

FIELD_WORDS = {
    "forename": "first name",
    "middle_names": "middle names",
    "surname": "last name",
    "preferred_name": "preferred name",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "upn": "UPN",
    "line_1": "address line 1",
    "line_2": "address line 2",
    "town": "town or city",
    "lived_from": "date moved in",
    "lived_until": "last date lived there",
    "lives_with": "who the child lives with there",
    "do_not_share": "do not share",
    "relationship": "relationship to the child",
    "parental_responsibility": "parental responsibility",
    "lives_with_child": "the child lives with them",
    "phone": "telephone",
    "emergency_phone": "emergency telephone",
    "email": "email address",
    "ended_on": "date ended",
    "raised_on": "date raised",
    "risk_factor": "risk factor",
    "sen_support": "SEN support",
    "ehcp": "EHC plan",
    "ehcp_council": "council responsible for the EHC plan",
    "looked_after": "looked after",
    "looked_after_by": "council looking after the child",
    "young_carer": "young carer",
    "yot": "Youth Offending Team",
    "child_protection_plan": "child protection plan",
    "child_in_need": "child in need plan",
}
PART_WORDS = {
    Part.IDENTITY: "name and identity",
    Part.CONTACT: "addresses",
    Part.CARERS: "parents and carers",
    Part.NEEDS: "needs and risk factors",
    Part.SAFEGUARDING: "child protection and child in need",
}


def child_locked(child: Child, *, by: Any, part: Part, expected_version: int | None) -> Child:
    """The child's row, locked until the transaction ends. Refuses a writer whose parts of the
    record (cme.accounts.record_access) do not include `part`, and a form or request made on
    an older version than the record's now."""
    current = Child.objects.select_for_update().get(pk=child.pk)
    if not child_access(by, current).writes(part):
        raise NotAllowed
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(stale_message(current, expected_version), code="stale")
    return current


def stale_message(child: Child, version: int) -> str:
    """Who changed what since `version`, in words: the fields, not their values (the form
    shows those)."""
    said = []
    recent = RecordChange.objects.filter(child=child, version__gt=version).select_related("by")
    for change in reversed(recent.order_by("-at", "-id")[:3]):
        who = (change.by.get_full_name() or change.by.get_username()) if change.by else "Someone"
        what = ", ".join(FIELD_WORDS.get(f, f.replace("_", " ")) for f in sorted(change.after))
        part = PART_WORDS.get(Part(change.part), change.part)
        said.append(
            f"{who} {change.get_action_display().lower()} the {part}"
            + (f" ({what})" if what and change.action == ChangeAction.CHANGED else "")
            + f" at {timezone.localtime(change.at):%H:%M on %-d %B %Y}"
        )
    return (
        "Someone else changed this child's record while you were working on it"
        + (": " + "; ".join(said) if said else "")
        + ". Nothing you entered was saved. The form now shows the record as it is: check it, "
        "then make your change again."
    )


def plain(value: Any) -> Any:
    """A value as the change record keeps it (JSON)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def values_of(row: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(getattr(row, name)) for name in fields}


def differences(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, before and after."""
    changed = [name for name in after if before.get(name) != after[name]]
    return {n: before.get(n) for n in changed}, {n: after[n] for n in changed}


def record_change(
    *,
    child: Child,
    part: Part,
    subject: models.Model,
    action: ChangeAction,
    before: dict[str, Any],
    after: dict[str, Any],
    by: Any,
    reason: str = "",
) -> RecordChange:
    """Bump the child's version, keep the values before and after, and audit the change: the
    event names the part, the fields and this change, never the values."""
    Child.objects.filter(pk=child.pk).update(version=F("version") + 1, updated_at=timezone.now())
    child.refresh_from_db(fields=["version", "updated_at"])
    change = RecordChange.objects.create(
        child=child,
        part=part.value,
        subject_type=subject._meta.model_name or "",
        subject_id=subject.pk,
        action=action,
        before=before,
        after=after,
        reason=reason,
        by=by if getattr(by, "is_authenticated", False) else None,
        at=timezone.now(),
        version=child.version,
    )
    audit_record(
        actor=by,
        verb=Verb.CREATE if action == ChangeAction.ADDED else Verb.UPDATE,
        subject=subject,
        child_id=child.pk,
        details={
            "part": part.value,
            "action": action.value,
            "fields": sorted(set(before) | set(after)),
            "change_id": change.pk,
        },
    )
    return change
