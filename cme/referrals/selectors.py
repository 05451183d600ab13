"""Reading referrals, scoped and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user
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


ADDRESS_KEYS = ("address_line_1", "address_line_2", "town", "postcode")


def described_for(*, user: Any, referral: Referral) -> dict[str, Any]:
    """The child as the referrer described them, as this reader may see it. The address given
    may be where a family fled to: only the CME team and the referrer who gave it see it;
    anyone else reading the referral on their case (a key worker, PAEWS) sees "Withheld"."""
    described = dict(referral.described or {})
    if is_staff_user(user) and (
        user.role in WHOLE_REGISTER
        or referral.recorded_by_id == user.pk
        or (user.organisation_id and referral.referring_organisation_id == user.organisation_id)
    ):
        return described
    if any(described.get(key) for key in ADDRESS_KEYS):
        described.update({key: "" for key in ADDRESS_KEYS})
        described["address_line_1"] = "Withheld"
    return described


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
    audit_record_many(
        actor=user,
        verb=Verb.SEARCH,
        subject_type="referral",
        rows=[(s.referral.pk, s.referral.child_id) for s in known.sent_again],
    )
    return known
