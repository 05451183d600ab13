"""What every return does with its pupil: check the details, find the child, say what is odd."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from cme.cases.models import Case
from cme.checks.models import PupilOnRoll
from cme.people.models import Child
from cme.rules import validate_upn
from cme.schools.models import Establishment

PUPIL_FIELDS = (
    "forename",
    "middle_names",
    "surname",
    "date_of_birth",
    "sex",
    "upn",
    "address_line_1",
    "town",
    "postcode",
)
NEVER_HAD = (
    "The register has no record of this pupil at this school (not on its roll in the EMS "
    "extract, no earlier return, no case): check with the school that the return is right."
)


def clean_pupil(pupil: dict[str, Any]) -> dict[str, Any]:
    """The pupil's fields, trimmed, the UPN without spaces and in capitals."""
    cleaned: dict[str, Any] = {}
    for name in PUPIL_FIELDS:
        value = pupil.get(name)
        if name == "date_of_birth":
            cleaned[name] = value or None
        elif name == "upn":
            cleaned[name] = "".join(str(value or "").split()).upper()
        else:
            cleaned[name] = str(value or "").strip()
    cleaned["sex"] = cleaned["sex"] or "U"
    return cleaned


def not_after(day: date | None, today: date, field: str, what: str) -> dict[str, list[str]]:
    if day is not None and day > today:
        return {field: [f"{what} must be today or earlier"]}
    return {}


def pupil_problems(
    pupil: dict[str, Any], *, today: date, prefix: str = "pupil."
) -> dict[str, list[str]]:
    """What is wrong with the pupil as sent, by dotted field, in words a school can act on."""
    problems: dict[str, list[str]] = {}
    if not pupil["forename"] and not pupil["surname"]:
        problems[f"{prefix}surname"] = ["Enter the pupil's first name and last name"]
    born = pupil["date_of_birth"]
    if born is not None and born >= today:
        problems[f"{prefix}date_of_birth"] = ["The date of birth must be in the past"]
    if pupil["upn"]:
        errors = validate_upn(pupil["upn"])
        if errors:
            problems[f"{prefix}upn"] = errors
    return problems


def child_for(pupil: dict[str, Any]) -> Child | None:
    """The register's child this pupil is: the same UPN, or the same names and date of birth."""
    if pupil["upn"]:
        found = Child.objects.filter(upn=pupil["upn"]).order_by("pk").first()
        if found is not None:
            return found
    if pupil["date_of_birth"] and pupil["surname"] and pupil["forename"]:
        return (
            Child.objects.filter(
                forename__iexact=pupil["forename"],
                surname__iexact=pupil["surname"],
                date_of_birth=pupil["date_of_birth"],
            )
            .order_by("pk")
            .first()
        )
    return None


def _same_pupil(pupil: dict[str, Any]) -> Q:
    same = Q(pk__in=[])
    if pupil["upn"]:
        same |= Q(upn=pupil["upn"])
    if pupil["date_of_birth"] and pupil["surname"]:
        same |= Q(surname__iexact=pupil["surname"], date_of_birth=pupil["date_of_birth"])
    return same


def school_had_pupil(
    *, school: Establishment, pupil: dict[str, Any], child: Child | None, earlier: list[Any]
) -> bool:
    """Does the register hold any sign this pupil was on `school`'s roll? `earlier` are the
    return models whose rows from this school count (new pupil, attendance, sickness)."""
    if PupilOnRoll.objects.filter(_same_pupil(pupil), establishment=school).exists():
        return True
    for model in earlier:
        if model.objects.filter(_same_pupil(pupil), school=school).exists():
            return True
    return child is not None and Case.objects.filter(child=child, school=school).exists()
