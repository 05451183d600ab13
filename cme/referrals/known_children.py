"""Search before create: is the child in a new referral someone the register already knows?

Every referral is compared with the register's children (open and closed cases, former names
and addresses) and with earlier referrals not yet linked to a child, by the matching engine,
before the officer opens a case. The officer then links the referral to a known child, or
confirms a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils.timesince import timesince

from cme.cases.sources import RegisterSource
from cme.matching.normalise import fold, name_tokens, postcode_parts, surname_parts
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


def _same_child_key(described: dict[str, Any]) -> tuple[Any, ...] | None:
    """The child as described, with the differences typing makes taken out (case, spaces,
    accents, hyphens, a postcode's spacing): two referrals with the same key describe the
    child in the same words. None when there is not even a name to compare."""
    d = described or {}
    names = (name_tokens(d.get("forename") or ""), surname_parts(d.get("surname") or ""))
    if not any(names):
        return None
    return (
        *names,
        name_tokens(d.get("middle_names") or ""),
        (d.get("date_of_birth") or "").strip(),
        postcode_parts(d.get("postcode") or "")[0] or fold(d.get("postcode") or ""),
        "".join((d.get("upn") or "").split()).upper(),
        fold(d.get("address_line_1") or ""),
        d.get("sex") if d.get("sex") in ("F", "M") else "",
    )


@dataclass(frozen=True)
class SentAgain:
    """A referral received in the last days describing the child in exactly the same words:
    most likely the same referral sent twice (a retry, a second channel, a colleague)."""

    referral: Referral
    earlier: bool  # sent before the one being triaged (else after it)
    gap: str  # how long before or after, in words: "less than a minute", "3 days"


def recent_same_referrals(referral: Referral, *, days: int | None = None) -> list[SentAgain]:
    """Referrals received in the last CME_RECENT_REFERRAL_DAYS days, in any state, that
    describe the child exactly as this one does; nearest in time first."""
    key = _same_child_key(referral.described)
    if key is None:
        return []
    window = settings.CME_RECENT_REFERRAL_DAYS if days is None else days
    since = referral.received_on - timedelta(days=window)
    until = referral.received_on + timedelta(days=window)
    nearby = (
        Referral.objects.filter(received_on__gte=since, received_on__lte=until)
        .exclude(pk=referral.pk)
        .select_related("case")
        .order_by("-created_at", "-id")
    )
    found = [
        other
        for other in nearby.iterator(chunk_size=500)
        if _same_child_key(other.described) == key
    ]
    found.sort(key=lambda other: abs(other.created_at - referral.created_at))
    return [
        SentAgain(
            other,
            earlier=(other.created_at, other.pk) < (referral.created_at, referral.pk),
            gap=_gap(other.created_at, referral.created_at),
        )
        for other in found
    ]


def _gap(one: datetime, other: datetime) -> str:
    first, last = sorted((one, other))
    if last - first < timedelta(minutes=1):
        return "less than a minute"
    return timesince(first, last, depth=1)


@dataclass(frozen=True)
class KnownChildren:
    register: list[Candidate]
    earlier_referrals: list[Candidate]
    sent_again: list[SentAgain]

    @property
    def child_ids(self) -> list[int]:
        return [int(c.record_id) for c in self.register]


def known_children(referral: Referral, *, limit: int = 5) -> KnownChildren:
    record = referral_record(referral)
    sent_again = recent_same_referrals(referral)
    same = {str(s.referral.pk) for s in sent_again}
    return KnownChildren(
        register=RegisterSource().candidates(record, limit=limit),
        # A referral sent again is named once, as that, not again as a possible match.
        earlier_referrals=[
            c
            for c in EarlierReferralsSource().candidates(record, limit=limit)
            if c.record_id not in same
        ],
        sent_again=sent_again,
    )
