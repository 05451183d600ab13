"""The partner agencies: the organisations outside the council's CME team and schools that
refer children, answer enquiries and may hold key work (policy: "List of Partner Agencies &
Services Involved in the CME Referral & Monitoring Process", seeded by migration 0005).

A CME manager adds and renames them, and says which have a safeguarding role; key-work
approval has its own page (cme/accounts/key_work.py). Organisations are never deleted: staff,
referrals and the audit trail point at them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed, StaleEdit

from .models import Organisation, OrganisationKind
from .permissions import Action, can

# The kinds this page keeps: partner agencies, and PAEWS (on the policy's list too).
AGENCY_KINDS = (OrganisationKind.AGENCY, OrganisationKind.PAEWS)
EDITED = ("name", "safeguarding_role")


def _require_manager(user: Any) -> None:
    if not can(user, Action.MANAGE_REFERENCE_DATA):
        raise NotAllowed


def partner_agencies(*, user: Any) -> QuerySet[Organisation]:
    _require_manager(user)
    return (
        Organisation.objects.filter(kind__in=AGENCY_KINDS)
        .annotate(staff=Count("users"))
        .order_by("name")
    )


def partner_agency_get(*, user: Any, organisation_id: int) -> Organisation:
    _require_manager(user)
    organisation = Organisation.objects.filter(kind__in=AGENCY_KINDS, pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def _name_taken(name: str, *, other_than: int | None) -> bool:
    return (
        Organisation.objects.filter(name__iexact=name.strip()).exclude(pk=other_than or 0).exists()
    )


@transaction.atomic
def partner_agency_create(*, name: str, safeguarding_role: bool, by: Any) -> Organisation:
    _require_manager(by)
    name = " ".join(name.split())
    if _name_taken(name, other_than=None):
        raise ValidationError({"name": f"There is already an organisation called {name}"})
    organisation = Organisation(
        name=name, kind=OrganisationKind.AGENCY, safeguarding_role=safeguarding_role
    )
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=by,
        verb=Verb.CREATE,
        subject=organisation,
        details={"kind": organisation.kind, "safeguarding_role": safeguarding_role},
    )
    return organisation


@transaction.atomic
def partner_agency_update(
    *,
    organisation: Organisation,
    name: str,
    safeguarding_role: bool,
    shown: dict[str, Any],
    by: Any,
) -> Organisation:
    """Rename an agency or change its safeguarding role. `shown` is what the form showed:
    if someone changed the agency since, the change is refused and the latest shown."""
    _require_manager(by)
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {field: getattr(current, field) for field in EDITED}
    if before != {field: shown.get(field) for field in EDITED}:
        raise StaleEdit(
            f"Someone else changed this agency while you were on this page: it is now "
            f"called {current.name}, and its safeguarding role is "
            f"{'on' if current.safeguarding_role else 'off'}. Check and save again."
        )
    name = " ".join(name.split())
    if _name_taken(name, other_than=current.pk):
        raise ValidationError({"name": f"There is already an organisation called {name}"})
    current.name, current.safeguarding_role = name, safeguarding_role
    after = {field: getattr(current, field) for field in EDITED}
    if after == before:
        return current
    current.full_clean()
    current.save(update_fields=list(EDITED))
    # The names of organisations are not about a child: the change is kept in words.
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=current,
        details={
            "changed": {
                field: {"before": before[field], "after": after[field]}
                for field in EDITED
                if before[field] != after[field]
            }
        },
    )
    return current
