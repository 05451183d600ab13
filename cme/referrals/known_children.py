"""Search before create: is the child in a new referral someone the register already knows?

Every referral is compared with the register's children (open and closed cases, former names
and addresses) and with earlier referrals not yet linked to a child, by the matching engine,
before the officer opens a case. The officer then links the referral to a known child, or
confirms a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from cme.cases.sources import RegisterSource
from cme.matching.sources import Candidate, Source

from .models import Referral, ReferralStatus

PREFIX = "referral:"


def referral_record(referral: Referral, *, record_id: str | None = None) -> dict[str, Any]:
    """The child as the referrer described them, as a matcher record."""
    d = referral.described or {}
    address = " ".join(p for p in (d.get("address_line_1", ""), d.get("town", "")) if p)
    return {
        "id": record_id or f"{PREFIX}{referral.pk}",
        "forename": d.get("forename", ""),
        "middle_names": d.get("middle_names", ""),
        "surname": d.get("surname", ""),
        "date_of_birth": d.get("date_of_birth", ""),
        "sex": "" if d.get("sex") in (None, "U") else d.get("sex"),
        "postcode": d.get("postcode", ""),
        "address": address,
        "upn": d.get("upn", ""),
    }


class EarlierReferralsSource(Source):
    """Referrals still waiting for triage, or declined: a child may be referred twice."""

    name = "earlier_referrals"
    label = "Earlier referrals not linked to a child"

    def _rows(self) -> Any:
        return Referral.objects.filter(
            child__isnull=True, status__in=[ReferralStatus.RECEIVED, ReferralStatus.DECLINED]
        )

    def version(self) -> Any:
        got = self._rows().aggregate(n=Count("pk"), latest=Max("id"))
        return (got["n"], got["latest"], Referral.objects.filter(child__isnull=False).count())

    def records(self) -> Iterable[dict[str, Any]]:
        for referral in self._rows().iterator(chunk_size=2000):
            yield referral_record(referral, record_id=str(referral.pk))

    def excluded(self, child_record: dict[str, Any]) -> set[str]:
        return {str(child_record.get("id", "")).removeprefix(PREFIX)}

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = Referral.objects.in_bulk([int(i) for i in record_ids])
        return {
            str(pk): {
                "name": r.described_name,
                "date_of_birth": (r.described or {}).get("date_of_birth", ""),
                "postcode": (r.described or {}).get("postcode", ""),
                "status": f"Referral {r.reference}: {r.get_status_display()}",
                "referral_id": r.pk,
            }
            for pk, r in rows.items()
        }


@dataclass(frozen=True)
class KnownChildren:
    register: list[Candidate]
    earlier_referrals: list[Candidate]

    @property
    def child_ids(self) -> list[int]:
        return [int(c.record_id) for c in self.register]


def known_children(referral: Referral, *, limit: int = 5) -> KnownChildren:
    record = referral_record(referral)
    return KnownChildren(
        register=RegisterSource().candidates(record, limit=limit),
        earlier_referrals=EarlierReferralsSource().candidates(record, limit=limit),
    )
