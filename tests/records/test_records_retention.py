"""The retention job removes a child's whole record at the end of the period, and only then."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.management import call_command
from factories import ChildFactory, ClosedCaseFactory, OpenCaseFactory, ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record
from cme.cases.models import Case, CaseEvent, FlagKind
from cme.cases.services import flag_raise
from cme.people.models import Address, Child
from cme.records.retention import retention_apply
from cme.referrals.models import Referral

if TYPE_CHECKING:
    from conftest import World

TODAY = date(2026, 11, 28)


def _old_child_with_history(world: World):
    child = ChildFactory.create(date_of_birth=date(2001, 11, 27))  # 25 yesterday
    Address.objects.create(child=child, line_1="1 Fictional Road", postcode="L1 1AA")
    case = OpenCaseFactory.create(child=child, opened_on=date(2015, 1, 5))
    flag_raise(case=case, kind=FlagKind.RISK, description="Old concern", by=world.users["officer"])
    CaseEvent.objects.create(case=case, kind="note", at=case.created_at, text="Seen")
    ReferralFactory.create(child=child, case=case, status="accepted")
    Case.objects.filter(pk=case.pk).update(
        status="closed", outcome="on_roll", closed_on=date(2015, 3, 1)
    )
    return child


def test_a_child_past_the_retention_age_is_removed_whole(world: World) -> None:
    child = _old_child_with_history(world)
    child_id = child.pk
    audit_record(actor=world.users["officer"], verb=Verb.VIEW, subject=child, child_id=child_id)
    result = retention_apply(today=TODAY)
    assert result.removed == 1
    assert not Child.objects.filter(pk=child_id).exists()
    assert not Case.objects.filter(child_id=child_id).exists()
    assert not Referral.objects.filter(child_id=child_id).exists()
    # The audit trail is kept, and records the removal without personal data.
    assert AuditEvent.objects.filter(child_id=child_id, verb=Verb.VIEW).exists()
    removal = AuditEvent.objects.get(child_id=child_id, verb=Verb.REMOVE)
    assert child.surname not in str(removal.details)


def test_the_day_before_the_birthday_and_an_open_case_keep_the_record(world: World) -> None:
    young = ChildFactory.create(date_of_birth=date(2001, 11, 29))  # 25 tomorrow
    ClosedCaseFactory.create(child=young, opened_on=date(2015, 1, 1), closed_on=date(2015, 2, 1))
    open_case = OpenCaseFactory.create(child=ChildFactory.create(date_of_birth=date(1990, 1, 1)))
    no_dob = ChildFactory.create(date_of_birth=None)
    result = retention_apply(today=TODAY)
    assert result.removed == 0 and result.no_date_of_birth == 1
    assert Child.objects.filter(pk__in=[young.pk, open_case.child_id, no_dob.pk]).count() == 3


def test_dry_run_changes_nothing(world: World) -> None:
    child = _old_child_with_history(world)
    call_command("apply_retention", "--dry-run")
    assert Child.objects.filter(pk=child.pk).exists()
