"""The retention job removes a child's whole record at the end of the period, and only then."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from factories import ChildFactory, ClosedCaseFactory, OpenCaseFactory, ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record
from cme.cases.models import Case, CaseEvent, FlagKind
from cme.cases.services import flag_raise
from cme.people.models import Address, Child
from cme.records import retention as retention_module
from cme.records.retention import retention_apply, retention_due
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


# ------------------------------------------------------------------ retention per category


def _ids(today: date) -> set[int]:
    return set(retention_due(today=today).values_list("pk", flat=True))


@pytest.mark.django_db
def test_each_category_ends_on_its_own_birthday() -> None:
    born = {
        "default_25_today": ChildFactory.create(date_of_birth=date(2001, 11, 28)),
        "default_25_tomorrow": ChildFactory.create(date_of_birth=date(2001, 11, 29)),
        "ehcp_26": ChildFactory.create(date_of_birth=date(2000, 11, 28), ehcp=True),
        "ehcp_31_today": ChildFactory.create(date_of_birth=date(1995, 11, 28), ehcp=True),
        "ehcp_31_tomorrow": ChildFactory.create(date_of_birth=date(1995, 11, 29), ehcp=True),
        "looked_after_74": ChildFactory.create(date_of_birth=date(1952, 11, 28), looked_after=True),
        "looked_after_75_today": ChildFactory.create(
            date_of_birth=date(1951, 11, 28), looked_after=True
        ),
        # In both: the longer period (75) decides, so 31 is not enough.
        "both_40": ChildFactory.create(
            date_of_birth=date(1986, 11, 28), ehcp=True, looked_after=True
        ),
    }
    due = _ids(TODAY)
    removed = {name for name, child in born.items() if child.pk in due}
    assert removed == {"default_25_today", "ehcp_31_today", "looked_after_75_today"}


@pytest.mark.django_db
def test_a_plan_that_ended_still_keeps_the_longer_period() -> None:
    child = ChildFactory.create(date_of_birth=date(2000, 1, 1), ehcp=True)
    child.ehcp = False
    child.save(update_fields=["ehcp"])
    child.refresh_from_db()
    assert child.ever_ehcp and not child.ehcp
    assert child.pk not in _ids(TODAY)  # 26: past 25, not yet 31


@pytest.mark.django_db
def test_born_on_29_february_the_period_ends_on_1_march() -> None:
    child = ChildFactory.create(date_of_birth=date(2000, 2, 29))
    assert child.pk not in _ids(date(2025, 2, 28))
    assert child.pk in _ids(date(2025, 3, 1))


@pytest.mark.django_db
def test_the_council_sets_the_years_per_category(settings: Any) -> None:
    settings.CME_RETENTION_YEARS_DEFAULT = "20"
    settings.CME_RETENTION_YEARS_LOOKED_AFTER = 40
    young = ChildFactory.create(date_of_birth=date(2006, 11, 28))  # 20 today
    cared_for = ChildFactory.create(date_of_birth=date(1986, 11, 28), looked_after=True)  # 40
    assert _ids(TODAY) == {young.pk, cared_for.pk}


@pytest.mark.django_db
def test_the_run_is_audited_with_its_counts_and_schedule() -> None:
    ChildFactory.create(date_of_birth=date(2000, 1, 1))
    ChildFactory.create(date_of_birth=date(1990, 1, 1), ehcp=True)
    retention_apply(today=TODAY, dry_run=True)
    dry = AuditEvent.objects.get(verb=Verb.RETENTION_RUN)
    assert dry.details["dry_run"] is True and dry.details["removed"] == 0
    assert dry.details["due"] == 2 and dry.details["by_category"] == {"default": 1, "ehcp": 1}
    assert not AuditEvent.objects.filter(verb=Verb.REMOVE).exists()

    result = retention_apply(today=TODAY)
    assert result.by_category == {"default": 1, "ehcp": 1}
    run = AuditEvent.objects.filter(verb=Verb.RETENTION_RUN).order_by("-seq").first()
    assert run is not None and run.child_id is None
    assert run.details == {
        "on": "2026-11-28",
        "dry_run": False,
        "finished": True,
        "due": 2,
        "removed": 2,
        "by_category": {"default": 1, "ehcp": 1},
        "years": {"default": 25, "ehcp": 31, "looked_after": 75},
    }
    removals = AuditEvent.objects.filter(verb=Verb.REMOVE)
    assert sorted(e.details["rule"] for e in removals) == [
        "retained 25 years from birth",
        "retained 31 years from birth",
    ]
    assert sorted(e.details["category"] for e in removals) == ["default", "ehcp"]


@pytest.mark.django_db
def test_a_run_that_fails_part_way_is_audited_as_unfinished(monkeypatch: Any) -> None:
    first = ChildFactory.create(date_of_birth=date(2000, 1, 1))
    ChildFactory.create(date_of_birth=date(2000, 1, 2))
    real = retention_module._remove

    def fail_after_first(child: Child, *args: Any) -> None:
        if child.pk != first.pk:
            raise RuntimeError("disk full")
        real(child, *args)

    monkeypatch.setattr(retention_module, "_remove", fail_after_first)
    with pytest.raises(RuntimeError):
        retention_apply(today=TODAY)
    run = AuditEvent.objects.get(verb=Verb.RETENTION_RUN)
    assert run.details["finished"] is False and run.details["removed"] == 1


@pytest.mark.django_db
def test_a_setting_that_is_not_years_is_refused_at_start_up(settings: Any) -> None:
    settings.CME_RETENTION_YEARS_EHCP = "thirty-one"
    with pytest.raises(SystemCheckError, match="CME_RETENTION_YEARS_EHCP must be a whole number"):
        call_command("check")
    with pytest.raises(SystemCheckError, match="CME_RETENTION_YEARS_EHCP"):
        call_command("apply_retention", "--dry-run", skip_checks=False)


def test_gunicorn_refuses_to_start_with_a_bad_retention_setting() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cme.settings.test",
        "CME_RETENTION_YEARS_LOOKED_AFTER": "75 years",
    }
    proc = subprocess.run(
        [sys.executable, "-c", "import cme.wsgi"], env=env, capture_output=True, text=True
    )
    assert proc.returncode != 0
    assert "ImproperlyConfigured: CME_RETENTION_YEARS_LOOKED_AFTER must be a whole number" in (
        proc.stderr
    )
