"""Which referrals a user may read: the CME team all; anyone else what they or their
organisation referred, and the referrals on the cases they work (a key worker only their
own cases', never the rest of their organisation's)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cme.accounts.models import Role
from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user

# The roles that refer on behalf of their organisation (cme.referrals.forms.ROUTE_FOR_ROLE).
REFERRING_ROLES = frozenset({Role.SCHOOL_STAFF, Role.PARTNER_AGENCY, Role.OTHER_LA})


def referral_scope(user: Any) -> Q:
    if not is_staff_user(user) or user.role == Role.SYSTEM_ADMIN:
        return Q(pk__in=[])
    if user.role in WHOLE_REGISTER:
        return Q()
    scope = Q(recorded_by=user)
    if user.role in REFERRING_ROLES and user.organisation_id:
        scope |= Q(referring_organisation_id=user.organisation_id)
    if user.role != Role.OTHER_LA:
        scope |= Q(case__key_worker=user)
    if user.role == Role.PAEWS_OFFICER:
        scope |= Q(case__paews_officer=user) | Q(case__school__paews_officer=user)
    return scope
