"""Which children a user may open (the child's page): those on a case they work or whose
school they are, through the related name `cases`, so people never imports cases.

A referrer (a partner agency, another LA) sees the status of what it referred on the case
page, never the child's record; the CME team sees every child. The parts of the record each
reader sees are cme.accounts.record_access's decision.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cme.accounts.models import Role
from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user

from .models import Child


def child_scope(user: Any) -> Q:
    """The children this user may see, as a filter on Child; mirrors cme.cases.scopes
    without its referrer clause (tests/people/test_scopes.py keeps the two in step)."""
    if not is_staff_user(user) or user.role == Role.SYSTEM_ADMIN:
        return Q(pk__in=[])
    if user.role in WHOLE_REGISTER:
        return Q()
    on_case = Q(pk__in=[]) if user.role == Role.OTHER_LA else Q(cases__key_worker=user)
    if user.role == Role.PAEWS_OFFICER:
        on_case |= Q(cases__paews_officer=user) | Q(cases__school__paews_officer=user)
    elif (
        user.role == Role.SCHOOL_STAFF and user.organisation and user.organisation.establishment_id
    ):
        on_case |= Q(cases__school_id=user.organisation.establishment_id)
    return Q(pk__in=Child.objects.filter(on_case).values("pk"))
