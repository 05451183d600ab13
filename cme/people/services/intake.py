"""A child's record made from a referral, and a known child's record updated from one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from cme.audit.models import Verb
from cme.audit.services import audit_record

from ..models import Address, Carer, Child, FormerName, RiskFactor, Sex


@dataclass(frozen=True)
class ChildDetails:
    """What is known of a child when a record is first made, typically from a referral."""

    forename: str
    surname: str
    middle_names: str = ""
    date_of_birth: date | None = None
    sex: str = Sex.UNKNOWN
    upn: str = ""
    address_line_1: str = ""
    town: str = ""
    postcode: str = ""
    carers: list[dict[str, str]] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)

    @classmethod
    def from_description(cls, described: dict[str, Any]) -> ChildDetails:
        dob = described.get("date_of_birth") or None
        return cls(
            forename=described.get("forename", "").strip(),
            surname=described.get("surname", "").strip(),
            middle_names=described.get("middle_names", "").strip(),
            date_of_birth=date.fromisoformat(dob) if dob else None,
            sex=described.get("sex") or Sex.UNKNOWN,
            upn=described.get("upn", "").strip().upper(),
            address_line_1=described.get("address_line_1", "").strip(),
            town=described.get("town", "").strip(),
            postcode=described.get("postcode", "").strip().upper(),
            carers=list(described.get("carers", [])),
            risk_factors=list(described.get("risk_factors", [])),
        )


@transaction.atomic
def child_create(
    *, details: ChildDetails, by: Any, received_on: date, fictional: bool = False
) -> Child:
    child = Child(
        forename=details.forename,
        middle_names=details.middle_names,
        surname=details.surname,
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        upn=details.upn,
        fictional=fictional,
    )
    child.full_clean()
    child.save()
    if details.address_line_1 or details.postcode:
        address = Address(
            child=child,
            line_1=details.address_line_1 or "(not given)",
            town=details.town,
            postcode=details.postcode,
            lived_from=received_on,
        )
        address.full_clean()
        address.save()
    for carer in details.carers:
        if carer.get("name"):
            Carer.objects.create(
                child=child,
                name=carer["name"],
                relationship=carer.get("relationship", ""),
                phone=carer.get("phone", ""),
            )
    if details.risk_factors:
        factors = list(RiskFactor.objects.filter(code__in=details.risk_factors))
        unknown = set(details.risk_factors) - {f.code for f in factors}
        if unknown:
            raise ValidationError(f"Unknown risk factor: {', '.join(sorted(unknown))}.")
        child.risk_factors.add(*factors, through_defaults={"raised_on": received_on})
    audit_record(actor=by, verb=Verb.CREATE, subject=child, child_id=child.pk)
    return child


@transaction.atomic
def child_take_details_from_referral(
    *, child: Child, described: dict[str, Any], by: Any, received_on: date
) -> list[str]:
    """Merge what a new referral says into a known child's record, keeping the history: a new
    address becomes current (the old one ends), a new surname keeps the old as a former name.
    Returns what changed, in words."""
    changed: list[str] = []
    details = ChildDetails.from_description(described)
    current = child.current_address(received_on)
    if details.postcode and (current is None or current.postcode != details.postcode):
        if current is not None:
            current.lived_until = max(received_on, current.lived_from or received_on)
            current.save(update_fields=["lived_until"])
        Address.objects.create(
            child=child,
            line_1=details.address_line_1 or "(not given)",
            town=details.town,
            postcode=details.postcode,
            lived_from=received_on,
        )
        changed.append(f"new address {details.postcode}")
    if details.surname and details.surname.lower() != child.surname.lower():
        FormerName.objects.create(
            child=child,
            forename=child.forename,
            middle_names=child.middle_names,
            surname=child.surname,
            used_until=received_on,
            reason="A referral gave a different surname",
        )
        child.surname = details.surname
        child.save(update_fields=["surname", "updated_at"])
        changed.append(f"now known as {details.surname}")
    if details.upn and not child.upn:
        child.upn = details.upn
        child.save(update_fields=["upn", "updated_at"])
        changed.append("UPN added")
    if changed:
        # A form opened on the record before this is now stale.
        Child.objects.filter(pk=child.pk).update(version=F("version") + 1)
        child.refresh_from_db(fields=["version"])
        audit_record(
            actor=by,
            verb=Verb.UPDATE,
            subject=child,
            child_id=child.pk,
            details={"from_referral": True, "changed": len(changed)},
        )
    return changed
