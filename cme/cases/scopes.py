"""Which cases a user may reach at all (which parts of each: cme.cases.record_view).

DESIGN.md section 1: the CME team sees the whole register; a PAEWS officer the cases and
schools assigned to them; school staff their own school's pupils; whoever is named key worker
the children assigned to them; a school, a partner agency or another LA what it referred; a
system administrator no child data at all. A case is in scope exactly when
cme.accounts.record_access gives the user some part of it (tests/cases/test_scopes.py).
Written as lookups on Case and its related names, so no higher app is imported.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cme.accounts.models import Role
from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user

from .models import Case

NOWHERE = Q(pk__in=[])


def case_scope(user: Any) -> Q:
    """The cases this user may see, as a filter on Case. Nothing for anyone unknown."""
    if not is_staff_user(user) or user.role == Role.SYSTEM_ADMIN:
        return NOWHERE
    role = user.role
    if role in WHOLE_REGISTER:
        return Q()
    # Another council is an enquiry partner, never a key worker: naming one gives nothing.
    scope = NOWHERE if role == Role.OTHER_LA else Q(key_worker=user)
    if role == Role.PAEWS_OFFICER:
        scope |= Q(paews_officer=user) | Q(school__paews_officer=user)
    if role == Role.SCHOOL_STAFF and user.organisation and user.organisation.establishment_id:
        scope |= Q(school_id=user.organisation.establishment_id)
    # Whoever refers on behalf of their organisation hears the status and outcome.
    if role in {Role.SCHOOL_STAFF, Role.PARTNER_AGENCY, Role.OTHER_LA} and user.organisation_id:
        referred = Case.objects.filter(
            referrals__referring_organisation_id=user.organisation_id
        ).values("pk")
        scope |= Q(pk__in=referred)
    return scope


def case_in_scope(user: Any, case: Case) -> bool:
    return Case.objects.filter(case_scope(user), pk=case.pk).exists()
