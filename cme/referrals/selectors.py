"""Reading referrals, scoped and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many

from .models import Referral, ReferralStatus
from .scopes import referral_scope

if TYPE_CHECKING:
    from .known_children import KnownChildren


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


def referrals_awaiting_triage(*, user: Any, limit: int = 20) -> list[Referral]:
    """The oldest referrals waiting for triage; listing them is audited like any read."""
    referrals = list(
        Referral.objects.filter(referral_scope(user), status=ReferralStatus.RECEIVED)
        .select_related("school")
        .order_by("received_on", "id")[:limit]
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="referral",
        rows=[(r.pk, r.child_id) for r in referrals],
    )
    return referrals


def known_children_seen(*, user: Any, referral: Referral) -> KnownChildren:
    """The register's children who may be the referred child; showing them is audited."""
    from .known_children import known_children

    known = known_children(referral)
    audit_record_many(
        actor=user,
        verb=Verb.SEARCH,
        subject_type="child",
        rows=[(child_id, child_id) for child_id in known.child_ids],
    )
    return known
