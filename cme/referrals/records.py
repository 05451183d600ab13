"""A child's referrals, kept as the referrer described the child."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cme.core.child_records import ChildRecords

from .models import Referral


def _export(child: Any) -> dict[str, Any]:
    return {
        "referrals": [
            {
                "reference": r.reference,
                "received_on": r.received_on,
                "route": r.get_route_display(),
                "reason": r.get_reason_display(),
                "as_described": r.described,
                "details": r.details,
            }
            for r in Referral.objects.filter(child=child).order_by("received_on")
        ]
    }


def _remove(child: Any) -> None:
    # A referral attached to one of the child's cases goes too, even if it named no child.
    Referral.objects.filter(Q(child=child) | Q(case__child=child)).delete()


CHILD_RECORDS = ChildRecords(models=(Referral,), remove=_remove, export=_export)
