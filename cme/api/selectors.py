"""Reads for the API that no app selector covers yet: scoped and audited like the rest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator

from cme.audit.models import Verb
from cme.audit.services import audit_record_many
from cme.referrals.models import Referral
from cme.referrals.scopes import referral_scope


def referral_page(*, user: Any, page_number: int | str) -> Page[Referral]:
    """One page of the referrals this user may see, newest first, each listing audited."""
    qs = (
        Referral.objects.filter(referral_scope(user))
        .select_related("school")
        .order_by("-received_on", "-id")
    )
    page = Paginator(qs, settings.CME_PAGE_SIZE).get_page(page_number)
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="referral",
        rows=[(referral.pk, referral.child_id) for referral in page.object_list],
    )
    return page
