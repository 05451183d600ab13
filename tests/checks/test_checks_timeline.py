"""What the Check step writes: one timeline entry and one audit event for each act, under the
act's own verb, and never a reset of the key worker's clock."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import Case, CaseEvent, CaseEventKind
from cme.checks.models import CheckCandidate
from cme.checks.services import (
    candidate_confirm,
    candidate_reject,
    candidate_reopen,
    check_run,
    paews_refer,
)

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _acts(case: Case) -> list[str]:
    events = AuditEvent.objects.filter(child_id=case.child_id).exclude(verb=Verb.VIEW)
    return list(events.order_by("id").values_list("verb", flat=True))


def test_a_paews_referral_is_one_entry_and_one_audit_event(alfie, world: World):
    paews = world.users["paews_other"]
    paews_refer(case=alfie, by=world.users["officer"], paews_officer=paews, note="Visit please")
    entries = list(CaseEvent.objects.filter(case=alfie))
    assert [e.kind for e in entries] == [CaseEventKind.PAEWS_REFERRAL]
    assert entries[0].text.startswith("Referred to PAEWS") and "Visit please" in entries[0].text
    assert _acts(alfie) == [Verb.PAEWS_REFERRED]
    alfie.refresh_from_db()
    assert alfie.paews_officer == paews


def test_running_a_check_does_not_reset_the_key_workers_clock(
    alfie, sources_with_alfred, world: World
):
    Case.objects.filter(pk=alfie.pk).update(last_key_worker_update_on=date(2025, 9, 1))
    check_run(case=alfie, by=world.users["officer"])
    alfie.refresh_from_db()
    assert alfie.last_key_worker_update_on == date(2025, 9, 1)
    assert set(CaseEvent.objects.filter(case=alfie).values_list("kind", flat=True)) == {
        CaseEventKind.CHECK
    }


def test_decisions_on_a_candidate_write_their_own_verbs(alfie, sources_with_alfred, world: World):
    officer = world.users["officer"]
    check_run(case=alfie, by=officer)
    candidate = CheckCandidate.objects.get(check_run__case=alfie, source="ems")
    candidate_confirm(candidate=candidate, by=officer)
    candidate_reopen(candidate=candidate, by=officer, reason="School says not him")
    candidate_reject(candidate=candidate, by=officer, reason="Different parents")
    assert _acts(alfie) == [
        Verb.SEARCH,
        Verb.CANDIDATE_CONFIRMED,
        Verb.UPDATE,  # the confirmed roll match names the school on the case
        Verb.CANDIDATE_REOPENED,
        Verb.CANDIDATE_REJECTED,
    ]
    decided = AuditEvent.objects.get(verb=Verb.CANDIDATE_REJECTED)
    assert decided.details["decision"] == "rejected" and decided.subject_type == "checkcandidate"
