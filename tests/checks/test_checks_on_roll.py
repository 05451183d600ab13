"""A check's confirmation moves the case: a roll match names the school and offers to close
the case as on roll there (or keep monitoring); a home education entry is linked."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError

from cme.accounts.models import Role
from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseEvent, CaseStatus, Outcome
from cme.checks.models import CheckCandidate, HomeEducatedChild, PupilOnRoll
from cme.checks.services import (
    candidate_confirm,
    candidate_reject,
    case_keep_monitoring,
    check_run,
    offers_close_on_roll,
    roll_school,
)
from cme.plans.models import ActionPlan, PlanAction

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _candidate(case, source: str) -> CheckCandidate:
    return CheckCandidate.objects.get(check_run__case=case, source=source)


def test_confirming_a_roll_match_names_the_school(alfie, sources_with_alfred, world: World):
    officer = world.users["officer"]
    check_run(case=alfie, by=officer)
    candidate = _candidate(alfie, "ems")
    assert candidate.details["urn"] == sources_with_alfred.urn
    candidate_confirm(candidate=candidate, by=officer)
    alfie.refresh_from_db()
    assert alfie.school == sources_with_alfred
    assert alfie.status == CaseStatus.CHECKING  # not closed until the officer says so
    named = CaseEvent.objects.get(case=alfie, text__startswith="School named")
    assert "Confirmed on roll there by the check of EMS" in named.text
    candidate.refresh_from_db()
    assert offers_close_on_roll(candidate)


def test_a_rejected_match_names_nothing(alfie, sources_with_alfred, world: World):
    officer = world.users["officer"]
    check_run(case=alfie, by=officer)
    candidate_reject(candidate=_candidate(alfie, "ems"), by=officer, reason="Other parents")
    alfie.refresh_from_db()
    assert alfie.school == world.school_a


def test_a_pupil_who_has_left_is_named_as_last_school_but_not_offered_closure(
    alfie, sources_with_alfred, world: World
):
    pupil = PupilOnRoll.objects.get(forename="Alfred")
    pupil.admission_date, pupil.leaving_date = alfie.opened_on.replace(year=2020), alfie.opened_on
    pupil.save()
    officer = world.users["officer"]
    check_run(case=alfie, by=officer)
    candidate = candidate_confirm(candidate=_candidate(alfie, "ems"), by=officer)
    alfie.refresh_from_db()
    assert alfie.school == sources_with_alfred
    assert (
        "Confirmed last on roll there"
        in CaseEvent.objects.get(case=alfie, text__startswith="School named").text
    )
    assert not offers_close_on_roll(candidate)
    with pytest.raises(ValidationError, match="not a confirmed match on a school roll"):
        case_keep_monitoring(candidate=candidate, by=officer)


def test_the_school_is_found_by_urn_after_the_roll_is_reloaded(
    alfie, sources_with_alfred, world: World
):
    check_run(case=alfie, by=world.users["officer"])
    candidate = _candidate(alfie, "ems")
    PupilOnRoll.objects.all().delete()
    assert roll_school(candidate) == sources_with_alfred
    assert roll_school(_candidate(alfie, "lost_pupils")) is None


def test_confirming_a_home_education_entry_links_it(alfie, world: World):
    entry = HomeEducatedChild.objects.create(
        forename="Alfie",
        surname="Jones",
        date_of_birth=alfie.child.date_of_birth,
        postcode="L8 1AA",
        started_on=alfie.opened_on,
    )
    officer = world.users["officer"]
    check_run(case=alfie, by=officer)
    candidate_confirm(candidate=_candidate(alfie, "home_education"), by=officer)
    entry.refresh_from_db()
    assert entry.child == alfie.child and entry.version == 2
    linked = AuditEvent.objects.get(subject_type="homeeducatedchild", verb=Verb.UPDATE)
    assert linked.child_id == alfie.child_id and linked.details == {"linked": True}


def test_a_linked_entry_is_shown_on_the_register_and_on_the_childs_page(
    alfie, world: World, client
):
    from django.urls import reverse

    HomeEducatedChild.objects.create(
        forename="Alfie",
        surname="Jones",
        date_of_birth=alfie.child.date_of_birth,
        postcode="L8 1AA",
        started_on=date(2025, 9, 1),
    )
    officer = world.users["officer"]
    child_page = reverse("people:detail", args=[alfie.child_id])
    client.force_login(officer)
    assert child_page not in client.get(reverse("checks:home-education")).content.decode()
    assert 'data-testid="home-education"' not in client.get(child_page).content.decode()
    check_run(case=alfie, by=officer)
    candidate_confirm(candidate=_candidate(alfie, "home_education"), by=officer)
    register = client.get(reverse("checks:home-education")).content.decode()
    assert f'href="{child_page}"' in register
    shown = client.get(child_page).content.decode()
    assert "Electively home educated: from 1 September 2025" in shown
    # The register is the CME team's: a key worker on the case does not see the entry.
    client.force_login(world.users["keyworker"])
    alfie.key_worker = world.users["keyworker"]
    alfie.save(update_fields=["key_worker"])
    seen = client.get(child_page)
    assert seen.status_code == 200
    assert "Electively home educated" not in seen.content.decode()


def test_an_entry_linked_to_another_child_is_not_relinked(alfie, other_alfie, world: World):
    entry = HomeEducatedChild.objects.create(
        forename="Alfie",
        surname="Jones",
        date_of_birth=alfie.child.date_of_birth,
        started_on=alfie.opened_on,
        child=other_alfie.child,
    )
    officer = world.users["officer"]
    check_run(case=alfie, by=officer)
    with pytest.raises(ValidationError, match="already linked to another child"):
        candidate_confirm(candidate=_candidate(alfie, "home_education"), by=officer)
    entry.refresh_from_db()
    assert entry.child == other_alfie.child


# The page ------------------------------------------------------------------------------------


def _confirm_on_page(client, case) -> CheckCandidate:
    candidate = _candidate(case, "ems")
    response = client.post(f"/checks/candidates/{candidate.pk}/decide/", {"action": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == f"/checks/candidates/{candidate.pk}/on-roll/"
    return candidate


def test_confirm_then_close_as_on_roll(client, alfie, sources_with_alfred, world: World):
    client.force_login(world.users["officer"])
    check_run(case=alfie, by=world.users["officer"])
    candidate = _confirm_on_page(client, alfie)
    page = client.get(f"/checks/candidates/{candidate.pk}/on-roll/").content.decode()
    assert "is on roll at Fictional Academy" in page
    assert str(sources_with_alfred.urn) in page and "attendance 90.0%" in page
    alfie.refresh_from_db()
    response = client.post(
        f"/checks/candidates/{candidate.pk}/on-roll/",
        {"version": alfie.version, "next_step": "close", "note": ""},
    )
    assert response.status_code == 302 and response["Location"] == f"/register/cases/{alfie.pk}/"
    alfie.refresh_from_db()
    assert alfie.status == CaseStatus.CLOSED and alfie.outcome == Outcome.ON_ROLL
    assert alfie.school == sources_with_alfred


def test_confirm_then_keep_monitoring(client, alfie, sources_with_alfred, world: World):
    client.force_login(world.users["officer"])
    check_run(case=alfie, by=world.users["officer"])
    candidate = _confirm_on_page(client, alfie)
    alfie.refresh_from_db()
    client.post(
        f"/checks/candidates/{candidate.pk}/on-roll/",
        {"version": alfie.version, "next_step": "keep", "note": "Attendance is patchy"},
    )
    alfie.refresh_from_db()
    assert alfie.is_open
    kept = CaseEvent.objects.filter(case=alfie, text__contains="kept open to monitor").get()
    assert kept.text.endswith("Attendance is patchy")
    assert AuditEvent.objects.filter(verb=Verb.UPDATE, details__kept_open=True).count() == 1


def test_the_choice_is_required_and_open_actions_ask_a_reason(
    client, alfie, sources_with_alfred, world: World
):
    plan = ActionPlan.objects.create(
        case=alfie, started_on=alfie.opened_on, started_by=world.users["officer"]
    )
    PlanAction.objects.create(plan=plan, title="Home visit", due_on=alfie.opened_on)
    client.force_login(world.users["officer"])
    check_run(case=alfie, by=world.users["officer"])
    candidate = _confirm_on_page(client, alfie)
    url = f"/checks/candidates/{candidate.pk}/on-roll/"
    alfie.refresh_from_db()
    response = client.post(url, {"version": alfie.version, "note": "typed note"})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Choose whether to close the case or keep it open") == 2
    assert "typed note" in page
    response = client.post(url, {"version": alfie.version, "next_step": "close"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 open action" in page and "There is a problem" in page
    alfie.refresh_from_db()
    assert alfie.is_open
    client.post(url, {"version": alfie.version, "next_step": "close", "reason": "School leads"})
    alfie.refresh_from_db()
    assert alfie.outcome == Outcome.ON_ROLL


def test_a_stale_choice_is_refused(client, alfie, sources_with_alfred, world: World):
    client.force_login(world.users["officer"])
    check_run(case=alfie, by=world.users["officer"])
    candidate = _confirm_on_page(client, alfie)
    alfie.refresh_from_db()
    response = client.post(
        f"/checks/candidates/{candidate.pk}/on-roll/",
        {"version": alfie.version - 1, "next_step": "close"},
    )
    assert response.status_code == 400
    assert "Someone else changed this case" in response.content.decode()
    alfie.refresh_from_db()
    assert alfie.is_open


def test_an_unconfirmed_candidate_is_sent_back_to_the_check(
    client, alfie, sources_with_alfred, world: World
):
    client.force_login(world.users["officer"])
    check_run(case=alfie, by=world.users["officer"])
    candidate = _candidate(alfie, "ems")
    response = client.get(f"/checks/candidates/{candidate.pk}/on-roll/")
    assert response.status_code == 302 and response["Location"] == f"/checks/cases/{alfie.pk}/"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("manager", 200),
        ("school_a", 403),
        ("keyworker", 403),
        ("agency", 403),
        ("paews", 403),
        ("otherla", 403),
        ("admin", 403),
    ],
)
def test_on_roll_page_reach(client, alfie, sources_with_alfred, world: World, role, status):
    check_run(case=alfie, by=world.users["officer"])
    candidate = candidate_confirm(candidate=_candidate(alfie, "ems"), by=world.users["officer"])
    client.force_login(world.users[role])
    url = f"/checks/candidates/{candidate.pk}/on-roll/"
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert "Close the case: the child is on roll at this school" in response.content.decode()
    else:
        assert "Fictional Academy" not in response.content.decode()
    alfie.refresh_from_db()
    client.post(url, {"version": alfie.version, "next_step": "close"})
    alfie.refresh_from_db()
    assert alfie.is_open is (world.users[role].role not in {Role.CME_OFFICER, Role.CME_MANAGER})
