"""Which organisations' staff may be named as a child's key worker: the council decides.

A key worker reads most of the child's record (cme.accounts.record_access), so the register
only lets the CME team name people from organisations a CME manager has approved for key
work. Another council is an enquiry partner, never a key worker: it cannot be approved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from .models import Organisation, OrganisationKind, Role, User
from .permissions import Action, can

# Roles whose holders can never be named key worker, whatever their organisation.
NEVER_KEY_WORKERS = frozenset({Role.OTHER_LA, Role.SYSTEM_ADMIN})


def key_work_refusal(user: Any) -> str | None:
    """Why this person cannot be a key worker, in words the officer can act on; None if
    they can."""
    name = user.get_full_name() or user.get_username()
    organisation = user.organisation if user.organisation_id else None
    if not user.is_active:
        return f"{name} no longer has an account on the register. Choose someone else."
    if user.role == Role.OTHER_LA or (
        organisation is not None and organisation.kind == OrganisationKind.OTHER_LA
    ):
        return (
            f"{name} works for another council. Another council answers enquiries; it cannot "
            "be a child's key worker here. Choose someone from an approved organisation."
        )
    if user.role in NEVER_KEY_WORKERS:
        return f"{name} is a system administrator and cannot be a key worker."
    if organisation is None or not organisation.approved_for_key_work:
        where = (
            f"their organisation, {organisation},"
            if organisation
            else "they have no organisation and"
        )
        return (
            f"{name} cannot be a key worker: {where} is not approved for key work. A CME "
            "manager can approve it on the 'Organisations approved for key work' page."
        )
    return None


def eligible_key_workers() -> QuerySet[User]:
    """Everyone who may be named as key worker, grouped by organisation for the picker."""
    return (
        User.objects.filter(is_active=True, organisation__approved_for_key_work=True)
        .exclude(role__in=NEVER_KEY_WORKERS)
        .exclude(organisation__kind=OrganisationKind.OTHER_LA)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )


def key_work_organisations(*, user: Any) -> QuerySet[Organisation]:
    """The organisations a manager may approve or withdraw (never another council)."""
    if not can(user, Action.APPROVE_KEY_WORK):
        raise NotAllowed
    return Organisation.objects.exclude(kind=OrganisationKind.OTHER_LA).order_by("kind", "name")


@transaction.atomic
def organisation_set_key_work(
    *, organisation: Organisation, approved: bool, by: Any
) -> Organisation:
    """Approve an organisation for key work, or withdraw its approval. Withdrawing does not
    un-name anyone already named: the CME team reviews those cases (the page lists them)."""
    if not can(by, Action.APPROVE_KEY_WORK):
        raise NotAllowed
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if approved and organisation.kind == OrganisationKind.OTHER_LA:
        raise ValidationError(
            "Another council cannot be approved for key work: it answers enquiries instead."
        )
    if organisation.approved_for_key_work == approved:
        return organisation
    organisation.approved_for_key_work = approved
    organisation.full_clean()
    organisation.save(update_fields=["approved_for_key_work"])
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=organisation,
        details={"approved_for_key_work": approved},
    )
    return organisation
