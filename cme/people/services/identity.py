"""Correcting a child's identity: names, date of birth, sex, UPN. A name or date of birth that
changes is kept, with who replaced it, when and why (FormerName, FormerDateOfBirth), since
other records (a school's roll, a CTF, another council) may still know the child by it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.record_access import Part
from cme.rules.upn import normalise_upn, validate_upn

from ..models import ChangeAction, Child, FormerDateOfBirth, FormerName, RecordChange, Sex
from ._shared import child_locked, differences, record_change, values_of

NAME_FIELDS = ("forename", "middle_names", "surname")
IDENTITY_FIELDS = (*NAME_FIELDS, "preferred_name", "date_of_birth", "sex", "upn")
REASON_MAX = 500


@dataclass(frozen=True)
class IdentityChange:
    """The child's identity as it should now read (every field, not only those changed)."""

    forename: str
    middle_names: str
    surname: str
    preferred_name: str
    date_of_birth: date | None
    sex: str
    upn: str

    @classmethod
    def of(cls, child: Child, **changes: Any) -> IdentityChange:
        """The child's identity as it is, with `changes` made (the API's PATCH)."""
        now = {name: getattr(child, name) for name in IDENTITY_FIELDS}
        return cls(**{**now, **changes})


def identity_problems(
    change: IdentityChange, *, reason_needed: bool, reason: str
) -> dict[str, list[str]]:
    """What is wrong with the identity given, by field, in words an officer can act on."""
    problems: dict[str, list[str]] = {}
    if not change.forename.strip() and not change.surname.strip():
        problems["forename"] = ["Enter the child's first name or last name"]
    for name, limit, words in (
        ("forename", 100, "First name"),
        ("middle_names", 200, "Middle names"),
        ("surname", 100, "Last name"),
        ("preferred_name", 100, "Preferred name"),
    ):
        if len(getattr(change, name)) > limit:
            problems[name] = [f"{words} must be {limit} characters or fewer"]
    if change.date_of_birth is not None and change.date_of_birth >= timezone.localdate():
        problems["date_of_birth"] = ["Date of birth must be in the past"]
    if change.sex not in Sex.values:
        problems["sex"] = ["Choose female, male or not known"]
    if change.upn:
        errors = validate_upn(change.upn)
        if errors:
            problems["upn"] = list(errors)
    if reason_needed and not reason.strip():
        problems["reason"] = [
            "Say why the name or date of birth is changing, for example 'adopted' or "
            "'spelt wrongly on the referral'"
        ]
    if len(reason) > REASON_MAX:
        problems["reason"] = [f"The reason must be {REASON_MAX} characters or fewer"]
    return problems


@transaction.atomic
def child_identity_update(
    *,
    child: Child,
    change: IdentityChange,
    reason: str = "",
    by: Any,
    expected_version: int | None,
) -> RecordChange | None:
    """Correct the child's identity. None if nothing differs from the record as it is.

    A changed name or date of birth needs a reason and is kept as history; a replaced UPN
    joins the former UPNs. Refused (ValidationError, by field) with nothing written if any
    field is wrong; refused (StaleEdit) if the record changed since `expected_version`."""
    child = child_locked(child, by=by, part=Part.IDENTITY, expected_version=expected_version)
    change = IdentityChange(
        **{
            **asdict(change),
            **{n: getattr(change, n).strip() for n in (*NAME_FIELDS, "preferred_name")},
            "upn": normalise_upn(change.upn),
        }
    )
    before, after = differences(
        values_of(child, IDENTITY_FIELDS), values_of(change, IDENTITY_FIELDS)
    )
    if not after:
        return None
    renamed = any(name in after for name in NAME_FIELDS)
    reborn = "date_of_birth" in after
    reason = reason.strip()
    problems = identity_problems(change, reason_needed=renamed or reborn, reason=reason)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    if renamed:
        FormerName.objects.create(
            child=child,
            forename=child.forename,
            middle_names=child.middle_names,
            surname=child.surname,
            used_until=timezone.localdate(),
            reason=reason,
            replaced_by=by,
            replaced_at=now,
        )
    if reborn:
        FormerDateOfBirth.objects.create(
            child=child,
            date_of_birth=child.date_of_birth,
            reason=reason,
            replaced_by=by,
            replaced_at=now,
        )
    if "upn" in after and child.upn and child.upn not in (child.former_upns or []):
        child.former_upns = [*(child.former_upns or []), child.upn]
    for name in after:
        setattr(child, name, getattr(change, name))
    child.full_clean()
    child.save()
    return record_change(
        child=child,
        part=Part.IDENTITY,
        subject=child,
        action=ChangeAction.CHANGED,
        before=before,
        after=after,
        by=by,
        reason=reason,
    )
