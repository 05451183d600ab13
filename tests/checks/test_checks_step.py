"""The Check step: running every source, deciding on candidates, the PAEWS referral, the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseEvent, CaseStatus
from cme.checks.models import CandidateDecision, Check, CheckCandidate, Decision, PupilOnRoll
from cme.checks.services import (
    PAEWS_PROMPT,
    candidate_confirm,
    candidate_reject,
    candidate_reopen,
    check_run,
    paews_refer,
)
from cme.core.errors import NotAllowed

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _ems_candidate(case) -> CheckCandidate:
    return CheckCandidate.objects.get(check_run__case=case, source="ems")


def test_check_run_records_every_source_by_whom_and_when(alfie, sources_with_alfred, world: World):
    officer = world.users["officer"]
    checks = check_run(case=alfie, by=officer)
    assert [c.source for c in checks] == ["register", "ems", "lost_pupils", "home_education"]
    assert all(c.run_by == officer and c.run_at == checks[0].run_at for c in checks)
    ems = Check.objects.get(case=alfie, source="ems")
    assert ems.records_searched == 2 and ems.candidate_count == 1
    alfred = _ems_candidate(alfie)
    assert alfred.details["name"] == "Alfred Jones" and alfred.band == "likely"
    assert alfred.reasons and alfred.decision == Decision.PENDING
    audit = AuditEvent.objects.get(verb=Verb.SEARCH, subject_type="case", subject_id=alfie.pk)
    assert audit.details["checks"]["ems"] == 1 and audit.actor == officer
    assert CaseEvent.objects.filter(case=alfie, text__startswith="Checked 4 sources").exists()
    # A check moves nothing by itself, and found on roll means no PAEWS prompt.
    alfie.refresh_from_db()
    assert alfie.status == CaseStatus.CHECKING
    assert not CaseEvent.objects.filter(case=alfie, text=PAEWS_PROMPT).exists()


def test_no_match_on_roll_prompts_the_paews_referral(alfie, world: World):
    check_run(case=alfie, by=world.users["officer"])
    assert CaseEvent.objects.filter(case=alfie, text=PAEWS_PROMPT).exists()
    paews_refer(case=alfie, by=world.users["officer"], paews_officer=world.users["paews_other"])
    alfie.refresh_from_db()
    assert alfie.paews_officer == world.users["paews_other"]
    assert CaseEvent.objects.filter(case=alfie, text__startswith="Referred to PAEWS").exists()
    assert AuditEvent.objects.filter(details__paews_referral=world.users["paews_other"].pk).exists()
    with pytest.raises(ValidationError):
        paews_refer(case=alfie, by=world.users["officer"], paews_officer=world.users["school_a"])


def test_confirm_reject_reopen_are_audited_and_reversible(alfie, sources_with_alfred, world: World):
    officer = world.users["officer"]
    check_run(case=alfie, by=officer)
    candidate = _ems_candidate(alfie)
    candidate = candidate_confirm(candidate=candidate, by=officer, reason="Same UPN on CTF")
    assert candidate.decision == Decision.CONFIRMED and candidate.decided_by == officer
    with pytest.raises(ValidationError):
        candidate_reject(candidate=candidate, by=officer, reason="changed my mind")
    with pytest.raises(ValidationError):
        candidate_reopen(candidate=candidate, by=officer, reason="  ")
    candidate = candidate_reopen(candidate=candidate, by=officer, reason="School says not him")
    assert candidate.decision == Decision.PENDING and candidate.decided_at is None
    with pytest.raises(ValidationError):
        candidate_reject(candidate=candidate, by=officer, reason="")
    candidate = candidate_reject(candidate=candidate, by=officer, reason="Different parents")
    assert candidate.decision == Decision.REJECTED
    history = list(
        CandidateDecision.objects.filter(candidate=candidate)
        .order_by("at", "id")
        .values_list("previous", "decision", "reason")
    )
    assert history == [
        ("pending", "confirmed", "Same UPN on CTF"),
        ("confirmed", "pending", "School says not him"),
        ("pending", "rejected", "Different parents"),
    ]
    audits = AuditEvent.objects.filter(subject_type="checkcandidate", subject_id=candidate.pk)
    assert [a.details["decision"] for a in audits.order_by("at", "id")] == [
        "confirmed",
        "pending",
        "rejected",
    ]
    assert all(a.child_id == alfie.child_id for a in audits)
    texts = list(CaseEvent.objects.filter(case=alfie).values_list("text", flat=True))
    assert any(t.startswith("Confirmed as this child: Alfred Jones") for t in texts)
    assert any(t.startswith("Rejected as not this child: Alfred Jones") for t in texts)


@pytest.mark.parametrize("role", ["school_a", "keyworker", "agency", "admin", "paews"])
def test_only_the_cme_team_may_run_checks_or_decide(alfie, sources_with_alfred, world: World, role):
    with pytest.raises(NotAllowed):
        check_run(case=alfie, by=world.users[role])
    check_run(case=alfie, by=world.users["officer"])
    with pytest.raises(NotAllowed):
        candidate_confirm(candidate=_ems_candidate(alfie), by=world.users[role])
    assert not Check.objects.filter(run_by=world.users[role]).exists()


def test_closed_case_cannot_be_checked(world: World):
    from factories import ClosedCaseFactory

    with pytest.raises(ValidationError):
        check_run(case=ClosedCaseFactory.create(), by=world.users["manager"])


# -- pages ---------------------------------------------------------------------------------


def test_officer_runs_a_check_and_sees_the_child_with_reasons(
    client, alfie, sources_with_alfred, world: World
):
    client.force_login(world.users["officer"])
    url = f"/checks/cases/{alfie.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Run the check" in page.content
    response = client.post(f"{url}run/")
    assert response.status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert "EMS: pupils on roll, attendance and exclusions" in html
    assert "Alfred Jones" in html and "Fictional Academy" in html
    assert "Likely the same child" in html
    assert "Alfie / Alfred" in html
    percent = f"{_ems_candidate(alfie).percent}%"
    assert percent in html
    assert "Refer to PAEWS" not in html


def test_reject_without_a_reason_shows_the_error(client, alfie, sources_with_alfred, world: World):
    client.force_login(world.users["officer"])
    check_run(case=alfie, by=world.users["officer"])
    candidate = _ems_candidate(alfie)
    url = f"/checks/candidates/{candidate.pk}/decide/"
    response = client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Say why this is not the child" in response.content.decode()
    response = client.post(url, {"action": "confirm", "reason": ""})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.decision == Decision.CONFIRMED


def test_paews_referral_from_the_page(client, alfie, world: World):
    PupilOnRoll.objects.all().delete()
    client.force_login(world.users["officer"])
    client.post(f"/checks/cases/{alfie.pk}/run/")
    page = client.get(f"/checks/cases/{alfie.pk}/")
    assert "Refer to PAEWS" in page.content.decode()
    response = client.post(
        f"/checks/cases/{alfie.pk}/paews/", {"paews_officer": world.users["paews_other"].pk}
    )
    assert response.status_code == 302
    alfie.refresh_from_db()
    assert alfie.paews_officer == world.users["paews_other"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("manager", 200),
        ("school_a", 403),
        ("keyworker", 403),
        ("agency", 403),
        ("paews", 403),
        ("admin", 403),
    ],
)
def test_page_reach(client, alfie, world: World, role, status):
    client.force_login(world.users[role])
    assert client.get(f"/checks/cases/{alfie.pk}/").status_code == status
    assert client.post(f"/checks/cases/{alfie.pk}/run/").status_code in {302, status}
    if status != 200:
        assert not Check.objects.exists()


def test_decide_on_someone_elses_candidate_is_refused(
    client, alfie, sources_with_alfred, world: World
):
    check_run(case=alfie, by=world.users["officer"])
    client.force_login(world.users["school_a"])
    response = client.post(
        f"/checks/candidates/{_ems_candidate(alfie).pk}/decide/", {"action": "confirm"}
    )
    assert response.status_code == 403
    assert _ems_candidate(alfie).decision == Decision.PENDING


def test_signed_out_is_sent_to_sign_in(client, alfie):
    response = client.get(f"/checks/cases/{alfie.pk}/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_page_audits_the_register_children_it_shows(client, alfie, world: World):
    from django.urls import reverse

    from cme.people.models import Child

    twin = Child.objects.create(
        forename="Alfie",
        surname=alfie.child.surname,
        date_of_birth=alfie.child.date_of_birth,
        sex=alfie.child.sex,
    )
    from factories import OpenCaseFactory

    from cme.matching.sources import clear_cache

    OpenCaseFactory.create(child=twin)
    clear_cache()
    check_run(case=alfie, by=world.users["officer"])
    shown = CheckCandidate.objects.filter(check_run__case=alfie, source="register")
    assert shown.exists()
    client.force_login(world.users["officer"])
    client.get(reverse("checks:case", args=[alfie.pk]))
    for candidate in shown:
        assert AuditEvent.objects.filter(
            verb=Verb.SEARCH,
            child_id=int(candidate.source_record_id),
            actor=world.users["officer"],
        ).exists()
