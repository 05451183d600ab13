"""Reading referrals, scoped and audited."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cme.accounts.permissions import referral_scope
from cme.audit.models import Verb
from cme.audit.services import audit_record

from .models import Referral, ReferralStatus


def referral_get(*, user: Any, referral_id: int) -> Referral:
    referral = (
        Referral.objects.filter(referral_scope(user), pk=referral_id)
        .select_related("school", "referring_organisation", "recorded_by", "case", "child")
        .first()
    )
    if referral is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=referral, child_id=referral.child_id)
    return referral


def referrals_awaiting_triage(*, user: Any) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(referral_scope(user), status=ReferralStatus.RECEIVED)
        .select_related("school")
        .order_by("received_on", "id")
    )
