"""Demo provision: places in every state, through the provision services, on the demo's cases
that are engaging or already in provision (each has its key worker)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from cme.cases.models import Case, CaseStatus, Outcome
from cme.provision.models import Placement, PlacementState, ProviderKind
from cme.provision.services import (
    Offer,
    placement_offer,
    placement_review,
    placement_withdraw,
)
from cme.schools.models import Establishment

from .accounts import Staff

# (case status wanted, provider kind, days since the offer, days since the start or None,
# then: "review_yes", "review_no", "withdraw" or "")
PLANS = [
    (CaseStatus.ENGAGING, ProviderKind.SCHOOL, 6, None, ""),
    (CaseStatus.ENGAGING, ProviderKind.TUITION, 9, None, "withdraw"),
    (CaseStatus.IN_PROVISION, ProviderKind.SCHOOL, 12, 5, ""),
    (CaseStatus.IN_PROVISION, ProviderKind.ALTERNATIVE, 30, 25, ""),
    (CaseStatus.IN_PROVISION, ProviderKind.SCHOOL, 75, 60, "review_yes"),
    (CaseStatus.IN_PROVISION, ProviderKind.SCHOOL, 80, 65, "review_no"),
]


def load_demo_provision(*, as_of: date, staff: Staff) -> int:
    """Returns how many places were recorded."""
    if not staff.officers:
        return 0
    officer = staff.officers[0]
    today = min(as_of, timezone.localdate())
    schools = list(
        Establishment.objects.filter(status__istartswith="open").order_by("urn")[: len(PLANS)]
    )
    used: set[int] = set()
    made = 0
    for n, (status, kind, offered_ago, started_ago, then) in enumerate(PLANS):
        case = (
            Case.objects.filter(status=status, key_worker__isnull=False)
            .exclude(pk__in=used)
            .exclude(placements__isnull=False)
            .order_by("pk")
            .first()
        )
        if case is None or not schools:
            continue
        used.add(case.pk)
        school = schools[n % len(schools)] if kind == ProviderKind.SCHOOL else None
        placement = placement_offer(
            case=case,
            offer=Offer(
                provider_kind=kind,
                school=school,
                provider_name="" if school else f"{ProviderKind(kind).label} (demo provider)",
                offered_on=today - timedelta(days=offered_ago),
                start_on=today - timedelta(days=started_ago) if started_ago is not None else None,
            ),
            by=officer,
        )
        if then == "withdraw":
            placement_withdraw(
                placement=placement, reason="The family declined tuition", by=officer
            )
        elif then in {"review_yes", "review_no"} and placement.watch_over(today):
            placement_review(
                placement=placement,
                attending=then == "review_yes",
                note="" if then == "review_yes" else "Absent most of the watch; PAEWS to visit.",
                by=officer,
            )
        made += 1
    return made + _closed_back_in_education(staff)


def _closed_back_in_education(staff: Staff) -> int:
    """The provision behind each demo case already closed as back in education: a case closes
    so only with its provision recorded and attended (cme.provision.closing), and the reports
    count progress into provision from it. Written as history, since the services record
    provision on open cases only."""
    officer = staff.officers[0]
    schools = list(Establishment.objects.filter(status__istartswith="open").order_by("urn")[:20])
    closed = (
        Case.objects.filter(outcome=Outcome.IN_PROVISION, placements__isnull=True)
        .exclude(closed_on__isnull=True)
        .order_by("pk")
    )
    rows = []
    for n, case in enumerate(closed):
        assert case.closed_on is not None  # noqa: S101 - filtered above
        # Watched for the usual school days before the review that let it close.
        reviewed = case.closed_on
        start = max(case.opened_on, reviewed - timedelta(days=42))
        offered = max(case.opened_on, start - timedelta(days=7))
        school = schools[n % len(schools)] if schools and n % 4 else None
        rows.append(
            Placement(
                case=case,
                provider_kind=ProviderKind.SCHOOL if school else ProviderKind.ALTERNATIVE,
                school=school,
                provider_name=school.name if school else "Alternative provision (demo provider)",
                offered_on=offered,
                start_on=start,
                watch_school_days=settings.CME_PROVISION_WATCH_SCHOOL_DAYS,
                watch_until=reviewed,
                watch_counting=f"{settings.CME_PROVISION_WATCH_SCHOOL_DAYS} school days",
                state=PlacementState.ATTENDING,
                reviewed_on=reviewed,
                reviewed_by=officer,
                review_note="Attending full time.",
                recorded_by=officer,
            )
        )
    Placement.objects.bulk_create(rows)
    return len(rows)


__all__ = ["Placement", "load_demo_provision"]
