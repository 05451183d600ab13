"""The retention job: a child's record is removed once the council's retention period ends.

DESIGN.md section 6: retention periods are configurable (by default until the child's 25th
birthday, CME_RETAIN_UNTIL_AGE) with a deletion job. A child with an open case is kept
whatever their age; a child with no date of birth is never removed automatically (it is
counted for a person to review). The audit trail outlives the record: its events keep the
child's number, and the removal itself is one more event, with no personal data in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES, Case, CaseEvent, Flag
from cme.checks.models import CandidateDecision, Check, CheckCandidate, LostPupil
from cme.plans.models import ActionPlan, PlanAction
from cme.referrals.models import Referral
from cme.transfers.models import Transfer

from .models import Address, Carer, Child, FormerName, StoredCtf


@dataclass(frozen=True)
class RetentionResult:
    removed: int
    no_date_of_birth: int


def _born_before(today: date) -> date:
    years = settings.CME_RETAIN_UNTIL_AGE
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def retention_due(*, today: date) -> QuerySet[Child]:
    """Children past the retention age with no open case."""
    return Child.objects.filter(date_of_birth__lte=_born_before(today)).exclude(
        cases__status__in=OPEN_STATUSES
    )


@transaction.atomic
def _remove(child: Child, by: Any) -> None:
    cases = Case.objects.filter(child=child)
    candidates = CheckCandidate.objects.filter(check_run__case__in=cases)
    CandidateDecision.objects.filter(candidate__in=candidates).delete()
    candidates.delete()
    Check.objects.filter(case__in=cases).delete()
    PlanAction.objects.filter(plan__case__in=cases).delete()
    ActionPlan.objects.filter(case__in=cases).delete()
    Flag.objects.filter(case__in=cases).delete()
    # Transfer duties and the child's CTF files go with the child (issue 13); a lost pupil
    # record confirmed as the child goes too, as its file is the child's.
    Transfer.objects.filter(child=child).delete()
    LostPupil.objects.filter(stored_file__child=child).delete()
    LostPupil.objects.filter(found_child=child).delete()
    StoredCtf.objects.filter(child=child).delete()
    CaseEvent.objects.filter(case__in=cases).delete()
    Referral.objects.filter(child=child).delete()
    Referral.objects.filter(case__in=cases).delete()
    cases.delete()
    for model in (Address, Carer, FormerName):
        model.objects.filter(child=child).delete()
    child_id = child.pk
    child.risk_factors.clear()
    child.delete()
    audit_record(
        actor=by,
        verb=Verb.REMOVE,
        subject_type="child",
        child_id=child_id,
        details={"rule": f"retained until age {settings.CME_RETAIN_UNTIL_AGE}"},
    )


def retention_apply(*, today: date, by: Any = None, dry_run: bool = False) -> RetentionResult:
    """Remove every child whose retention period has ended, one transaction each."""
    due = list(retention_due(today=today).values_list("pk", flat=True))
    if not dry_run:
        for child in Child.objects.filter(pk__in=due).iterator():
            _remove(child, by)
    return RetentionResult(
        removed=len(due), no_date_of_birth=Child.objects.filter(date_of_birth__isnull=True).count()
    )
