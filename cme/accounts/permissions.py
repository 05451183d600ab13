"""Who may see and do what. The one place permission is decided; selectors and views ask here.

Scope (DESIGN.md section 1): the CME team sees the whole register; a PAEWS officer the cases
and schools assigned to them; school staff their own school's pupils; a key worker the
children assigned to them; a partner agency or another LA what it referred; a system
administrator no child data at all.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q

from .models import Role

WHOLE_REGISTER = frozenset({Role.CME_OFFICER, Role.CME_MANAGER})


class Action(StrEnum):
    VIEW_REGISTER = "view_register"
    RECORD_REFERRAL = "record_referral"
    TRIAGE = "triage"  # open a case from a referral, move it on, assign workers
    CLOSE_CASE = "close_case"
    REOPEN_CASE = "reopen_case"
    ADD_NOTE = "add_note"
    VIEW_AUDIT = "view_audit"
    IMPORT_REFERENCE_DATA = "import_reference_data"
    MANAGE_ACCOUNTS = "manage_accounts"  # roles, sign-in unlocks, authenticator set-up links


_ALLOWED: dict[Action, frozenset[str]] = {
    Action.VIEW_REGISTER: frozenset(
        {
            *WHOLE_REGISTER,
            Role.PAEWS_OFFICER,
            Role.SCHOOL_STAFF,
            Role.KEY_WORKER,
            Role.PARTNER_AGENCY,
            Role.OTHER_LA,
        }
    ),
    Action.RECORD_REFERRAL: frozenset(
        {
            *WHOLE_REGISTER,
            Role.PAEWS_OFFICER,
            Role.SCHOOL_STAFF,
            Role.PARTNER_AGENCY,
            Role.OTHER_LA,
        }
    ),
    Action.TRIAGE: frozenset(WHOLE_REGISTER),
    Action.CLOSE_CASE: frozenset(WHOLE_REGISTER),
    Action.REOPEN_CASE: frozenset(WHOLE_REGISTER),
    Action.ADD_NOTE: frozenset({*WHOLE_REGISTER, Role.PAEWS_OFFICER, Role.KEY_WORKER}),
    Action.VIEW_AUDIT: frozenset({Role.CME_MANAGER}),
    Action.IMPORT_REFERENCE_DATA: frozenset({Role.SYSTEM_ADMIN, Role.CME_MANAGER}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.CME_MANAGER}),
}


def is_staff_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can(user: Any, action: Action) -> bool:
    """May this user do this kind of thing at all? (Which records is `case_scope`'s job.)"""
    return is_staff_user(user) and user.role in _ALLOWED[action]


def case_scope(user: Any) -> Q:
    """The cases this user may see, as a filter on Case. Nothing for anyone unknown."""
    if not is_staff_user(user):
        return Q(pk__in=[])
    role = user.role
    if role in WHOLE_REGISTER:
        return Q()
    if role == Role.SYSTEM_ADMIN:
        return Q(pk__in=[])
    # Whoever is named as a child's key worker sees that child's case, whatever their agency.
    scope = Q(key_worker=user)
    if role == Role.PAEWS_OFFICER:
        scope |= Q(paews_officer=user) | Q(school__paews_officer=user)
    elif role == Role.SCHOOL_STAFF and user.organisation and user.organisation.establishment_id:
        scope |= Q(school_id=user.organisation.establishment_id)
    elif role in {Role.PARTNER_AGENCY, Role.OTHER_LA} and user.organisation_id:
        from cme.referrals.models import Referral

        referred = Referral.objects.filter(
            referring_organisation_id=user.organisation_id, case__isnull=False
        ).values("case_id")
        scope |= Q(pk__in=referred)
    return scope


def child_scope(user: Any) -> Q:
    """The children this user may see: those on a case they may see (as a filter on Child)."""
    if is_staff_user(user) and user.role in WHOLE_REGISTER:
        return Q()
    from cme.cases.models import Case

    if is_staff_user(user) and user.role in {Role.PARTNER_AGENCY, Role.OTHER_LA}:
        # A referrer sees the outcome on the case page, not the child's whole record.
        return Q(pk__in=Case.objects.filter(key_worker=user).values("child_id"))
    return Q(pk__in=Case.objects.filter(case_scope(user)).values("child_id"))


def referral_scope(user: Any) -> Q:
    """The referrals this user may see: the CME team all; others those they or their org made."""
    if not is_staff_user(user) or user.role == Role.SYSTEM_ADMIN:
        return Q(pk__in=[])
    if user.role in WHOLE_REGISTER:
        return Q()
    mine = Q(recorded_by=user)
    if user.organisation_id:
        mine |= Q(referring_organisation_id=user.organisation_id)
    return mine


def sees_full_record(user: Any, case: Any) -> bool:
    """Partner agencies and other LAs see what they referred and its outcome, not the whole
    file, unless they are the child's key worker."""
    if not is_staff_user(user):
        return False
    if user.role in {Role.PARTNER_AGENCY, Role.OTHER_LA}:
        return bool(case.key_worker_id == user.pk)
    return True


def may_manage_plan(user: Any, case: Any) -> bool:
    """The key worker owns the child's action plan (policy FAQ 2); the CME team may help."""
    if not is_staff_user(user) or not case.is_open:
        return False
    return user.role in WHOLE_REGISTER or case.key_worker_id == user.pk
