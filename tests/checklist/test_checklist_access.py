"""Who reads and changes a CME1 checklist, role by role, against every page: decided once in
cme.accounts.record_access.cme1_rights; a checklist out of reach is a 404 as a missing one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from checklist.conftest import as_user, opened, sent
from checklist.test_checklist_workflow import _step_form

from cme.accounts.models import Role
from cme.accounts.record_access import Cme1Right, cme1_rights, cme1_table
from cme.audit.models import AuditEvent, Verb
from cme.checklist.models import Status, Step

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

NOBODY = ["school_b", "paews_other", "keyworker", "agency", "otherla", "admin"]


def test_docs_access_md_carries_the_decision() -> None:
    with open("docs/access.md", encoding="utf-8") as doc:
        text = doc.read()
    start, end = "<!-- cme1-table:start -->\n", "\n<!-- cme1-table:end -->"
    assert text[text.index(start) + len(start) : text.index(end)] == cme1_table()


def test_the_decision_by_role() -> None:
    every = set(Cme1Right)
    assert cme1_rights(Role.CME_OFFICER, own_school=False, sent_to_them=False) == {
        Cme1Right.READ, Cme1Right.ADD_STEPS
    }  # fmt: skip
    assert Cme1Right.SIGN_OFF_OR_RETURN in cme1_rights(
        Role.PAEWS_OFFICER, own_school=False, sent_to_them=True
    )
    assert not cme1_rights(Role.PAEWS_OFFICER, own_school=False, sent_to_them=False)
    assert cme1_rights(Role.SCHOOL_STAFF, own_school=True, sent_to_them=False) == every - {
        Cme1Right.SIGN_OFF_OR_RETURN
    }
    for role in (Role.SCHOOL_STAFF, Role.KEY_WORKER, Role.PARTNER_AGENCY, Role.OTHER_LA,
                 Role.SYSTEM_ADMIN):  # fmt: skip
        assert not cme1_rights(role, own_school=False, sent_to_them=False)
    # Being sent it does not make a school's staff its signatory.
    assert Cme1Right.SIGN_OFF_OR_RETURN not in cme1_rights(
        Role.SCHOOL_STAFF, own_school=True, sent_to_them=True
    )


def test_an_open_checklist_is_the_school_s_and_the_cme_team_s_only(cme1_world: World) -> None:
    world = cme1_world
    checklist = opened(world)
    url = f"/cme1/{checklist.pk}/"
    for name in ("school_a", "officer", "manager"):
        page = as_user(world, name).get(url)
        assert page.status_code == 200, name
        assert "Evie Fictional" in page.content.decode()
        assert "Evie Fictional" in as_user(world, name).get("/cme1/").content.decode()
    # The school's own PAEWS officer sees it only once it is sent to them.
    assert as_user(world, "paews").get(url).status_code == 404
    assert "Evie Fictional" not in as_user(world, "paews").get("/cme1/").content.decode()
    for name in NOBODY:
        assert as_user(world, name).get(url).status_code == 404, name
    assert "Evie Fictional" not in as_user(world, "school_b").get("/cme1/").content.decode()
    for name in ("keyworker", "agency", "otherla", "admin"):
        assert as_user(world, name).get("/cme1/").status_code == 403, name
        assert as_user(world, name).get("/cme1/new/").status_code == 403, name
    for name in ("officer", "paews"):
        assert as_user(world, name).get("/cme1/new/").status_code == 403, name
    viewed = AuditEvent.objects.filter(verb=Verb.VIEW, subject_type="checklist")
    assert {e.actor_id for e in viewed} == {
        world.users[n].pk for n in ("school_a", "officer", "manager")
    }


def test_nobody_else_changes_it_and_each_refusal_changes_nothing(cme1_world: World) -> None:
    world = cme1_world
    checklist = opened(world)
    for name in [*NOBODY, "paews"]:
        client = as_user(world, name)
        step = client.post(f"/cme1/{checklist.pk}/steps/", _step_form("phone", "joint"))
        send = client.post(f"/cme1/{checklist.pk}/send/", {"outcome": "not_found"})
        decide = client.post(f"/cme1/{checklist.pk}/decision/", {"decision": "sign_off"})
        assert (step.status_code, send.status_code, decide.status_code) == (404, 404, 404), name
    # The CME team adds the council's steps, but neither sends nor signs off.
    officer = as_user(world, "officer")
    added = officer.post(f"/cme1/{checklist.pk}/steps/", _step_form("council_checks", "council"))
    assert added.status_code == 302
    assert officer.post(f"/cme1/{checklist.pk}/send/", {"outcome": "not_found"}).status_code == 403
    assert (
        officer.post(f"/cme1/{checklist.pk}/decision/", {"decision": "sign_off"}).status_code == 403
    )
    assert Step.objects.count() == 1
    checklist.refresh_from_db()
    assert checklist.status == Status.OPEN


def test_once_sent_the_officer_it_was_sent_to_decides_and_the_school_waits(
    cme1_world: World,
) -> None:
    world = cme1_world
    checklist = sent(world)
    url = f"/cme1/{checklist.pk}/"
    paews = as_user(world, "paews")
    assert paews.get(url).status_code == 200
    assert "Save your decision" in paews.get(url).content.decode()
    assert as_user(world, "paews_other").get(url).status_code == 404
    school = as_user(world, "school_a")
    page = school.get(url).content.decode()
    assert "Save your decision" not in page and "Record the step" not in page
    assert (
        school.post(f"/cme1/{checklist.pk}/decision/", {"decision": "sign_off"}).status_code == 403
    )
    waiting = school.post(f"/cme1/{checklist.pk}/steps/", _step_form("letter"))
    assert waiting.status_code == 400
    assert "with the PAEWS officer" in waiting.content.decode()
    # The PAEWS officer records their own involvement before deciding.
    assert (
        paews.post(f"/cme1/{checklist.pk}/steps/", _step_form("paews", "council")).status_code
        == 302
    )
    # A GET at a form's address goes back to the checklist.
    assert paews.get(f"/cme1/{checklist.pk}/decision/")["Location"] == url
