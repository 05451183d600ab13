"""Key workers only from approved organisations; un-naming; notes shared as chosen;
referrals and child pages in scope; scopes that agree with the parts decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from factories import OpenCaseFactory, ReferralFactory, UserFactory

from cme.accounts.key_work import organisation_set_key_work
from cme.accounts.models import Organisation, OrganisationKind, Role, User
from cme.audit.models import AuditEvent
from cme.cases.models import Case, CaseEvent, CaseStatus, SharedWith
from cme.cases.record_view import case_access
from cme.cases.scopes import case_scope
from cme.cases.services import case_add_note, case_assign
from cme.core.errors import NotAllowed
from cme.people.models import Child
from cme.people.scopes import child_scope
from cme.referrals.models import Referral
from cme.referrals.scopes import referral_scope

if TYPE_CHECKING:
    from conftest import World


def _officer_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["officer"])
    return client


def test_an_unapproved_organisations_user_is_refused_in_words(world: World) -> None:
    darren = UserFactory.create(first_name="Darren", role=Role.KEY_WORKER)
    with pytest.raises(ValidationError) as refused:
        case_assign(case=world.case_at_b, by=world.users["officer"], key_worker=darren)
    assert "not approved for key work" in " ".join(refused.value.messages)
    assert Case.objects.get(pk=world.case_at_b.pk).key_worker_id is None


def test_another_councils_officer_is_never_a_key_worker(world: World) -> None:
    other = world.users["otherla"]
    assert other.organisation is not None
    other.organisation.approved_for_key_work = True  # not even if the flag were set by hand
    with pytest.raises(ValidationError) as refused:
        case_assign(case=world.case_at_b, by=world.users["officer"], key_worker=other)
    assert "another council" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        organisation_set_key_work(
            organisation=other.organisation, approved=True, by=world.users["manager"]
        )


def test_the_picker_lists_approved_people_with_job_and_organisation(world: World) -> None:
    keyworker = world.users["keyworker"]
    keyworker.job_title = "School nurse"
    keyworker.save()
    unapproved = UserFactory.create(first_name="Darren", last_name="Unlisted", role=Role.KEY_WORKER)
    page = _officer_client(world).get(reverse("cases:assign", args=[world.case_at_b.pk]))
    text = page.content.decode()
    assert f"{keyworker.get_full_name()}, School nurse" in text
    assert '<optgroup label="Health visiting">' in text
    assert unapproved.last_name not in text
    assert world.users["otherla"].last_name not in text
    assert "cases/key-worker-picker.js" in text
    assert "<script>" not in text.split("</header>", 1)[1]  # no inline script of ours


def test_choosing_the_blank_option_un_names_the_key_worker(world: World) -> None:
    case = world.case_at_a
    response = _officer_client(world).post(
        reverse("cases:assign", args=[case.pk]),
        {"version": case.version, "key_worker": "", "paews_officer": world.users["paews"].pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.key_worker_id is None
    assert case.paews_officer_id == world.users["paews"].pk
    assert case.events.filter(text="Key worker no longer named").exists()


def test_saving_the_form_unchanged_keeps_both_workers(world: World) -> None:
    case = world.case_at_a
    client = _officer_client(world)
    form = client.get(reverse("cases:assign", args=[case.pk])).content.decode()
    assert f'value="{world.users["keyworker"].pk}" selected' in form
    client.post(
        reverse("cases:assign", args=[case.pk]),
        {
            "version": case.version,
            "key_worker": world.users["keyworker"].pk,
            "paews_officer": world.users["paews"].pk,
        },
    )
    case.refresh_from_db()
    assert case.key_worker_id == world.users["keyworker"].pk


def test_an_engaging_case_cannot_lose_its_key_worker(world: World) -> None:
    Case.objects.filter(pk=world.case_at_a.pk).update(status=CaseStatus.ENGAGING)
    with pytest.raises(ValidationError, match="must have a key worker"):
        case_assign(case=world.case_at_a, by=world.users["officer"], key_worker=None)


def test_a_manager_approves_an_organisation_and_it_is_audited(world: World) -> None:
    police = world.users["agency"].organisation
    assert police is not None
    client = Client()
    client.force_login(world.users["manager"])
    page = client.get(reverse("accounts:key-work")).content.decode()
    assert "Police" in page and "Sefton Council" not in page
    client.post(reverse("accounts:key-work"), {"organisation": police.pk, "approved": "yes"})
    assert Organisation.objects.get(pk=police.pk).approved_for_key_work
    event = AuditEvent.objects.get(subject_type="organisation", subject_id=police.pk)
    assert event.details == {"approved_for_key_work": True}
    for role in ("officer", "keyworker", "admin"):
        other = Client()
        other.force_login(world.users[role])
        assert other.get(reverse("accounts:key-work")).status_code == 403


def test_notes_are_cme_team_only_unless_shared(world: World) -> None:
    case = world.case_at_a
    officer = world.users["officer"]
    case_add_note(case=case, by=officer, text="kept in the team")
    case_add_note(case=case, by=officer, text="given to workers", shared_with=SharedWith.WORKERS)
    case_add_note(case=case, by=officer, text="given to the school", shared_with=SharedWith.SCHOOL)

    def seen(role: str) -> set[str]:
        client = Client()
        client.force_login(world.users[role])
        text = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        return {
            t for t in ("kept in the team", "given to workers", "given to the school") if t in text
        }

    assert seen("officer") == {"kept in the team", "given to workers", "given to the school"}
    assert seen("keyworker") == {"given to workers", "given to the school"}
    assert seen("paews") == {"given to workers", "given to the school"}
    assert seen("school_a") == {"given to the school"}


def test_the_note_form_offers_the_sharing_choice_and_keeps_it(world: World) -> None:
    client = Client()
    client.force_login(world.users["keyworker"])
    url = reverse("cases:add-note", args=[world.case_at_a.pk])
    page = client.get(reverse("cases:detail", args=[world.case_at_a.pk])).content.decode()
    assert 'name="shared_with"' in page
    client.post(url, {"text": "Visited the family", "shared_with": SharedWith.WORKERS})
    note = CaseEvent.objects.get(text="Visited the family")
    assert note.shared_with == SharedWith.WORKERS
    bad = client.post(url, {"text": "x", "shared_with": "everyone"})
    assert bad.status_code == 400
    assert not CaseEvent.objects.filter(text="x").exists()


def test_school_and_referrers_cannot_write_notes(world: World) -> None:
    for role in ("school_a", "agency"):
        case = world.case_at_a if role == "school_a" else world.case_referred_by_agency
        with pytest.raises(NotAllowed):
            case_add_note(case=case, by=world.users[role], text="hello")


def test_a_key_worker_sees_referrals_only_for_their_own_cases(world: World) -> None:
    keyworker = world.users["keyworker"]
    org = keyworker.organisation
    for _ in range(3):  # their organisation's referrals, for children not assigned to them
        other = OpenCaseFactory.create()
        ReferralFactory.create(referring_organisation=org, case=other, child=other.child)
    mine = ReferralFactory.create(case=world.case_at_a, child=world.case_at_a.child)
    visible = set(Referral.objects.filter(referral_scope(keyworker)).values_list("pk", flat=True))
    assert visible == {mine.pk}


def test_the_child_page_lists_only_cases_the_reader_may_see(world: World) -> None:
    child = world.case_at_a.child
    hidden = OpenCaseFactory.create(child=child, school=world.school_b)
    client = Client()
    client.force_login(world.users["school_a"])
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert reverse("cases:detail", args=[world.case_at_a.pk]) in page
    assert reverse("cases:detail", args=[hidden.pk]) not in page


@pytest.mark.parametrize(
    "name",
    ["officer", "paews", "paews_other", "school_a", "school_b", "keyworker", "agency", "otherla"],
)
def test_scopes_agree_with_the_parts_decision(world: World, name: str) -> None:
    user: User = world.users[name]
    user.organisation = user.organisation  # loaded once for case_access
    in_scope = set(Case.objects.filter(case_scope(user)).values_list("pk", flat=True))
    with_parts = {case.pk for case in Case.objects.all() if case_access(user, case).read}
    assert in_scope == with_parts
    children = set(Child.objects.filter(child_scope(user)).values_list("pk", flat=True))
    with_identity = {
        case.child_id
        for case in Case.objects.all()
        if "identity" in {p.value for p in case_access(user, case).read}
    }
    assert children == with_identity


def test_another_councils_user_named_as_key_worker_gets_nothing(world: World) -> None:
    other = world.users["otherla"]
    Case.objects.filter(pk=world.case_at_b.pk).update(key_worker=other)
    assert not Case.objects.filter(case_scope(other), pk=world.case_at_b.pk).exists()
    assert other.organisation is not None
    assert other.organisation.kind == OrganisationKind.OTHER_LA
