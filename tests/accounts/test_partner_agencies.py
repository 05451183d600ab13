"""The partner agencies: seeded from the policy's list, added and renamed by a CME manager,
every change audited, a stale edit refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from cme.accounts.models import Organisation, OrganisationKind
from cme.accounts.partner_agencies import NOT_SEEDED, POLICY_LIST
from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World


def _manager(world: World) -> Client:
    client = Client()
    client.force_login(world.users["manager"])
    return client


def test_the_policys_list_is_seeded(db: None) -> None:
    # 28 on the policy's list: 26 organisations, and schools and councils of their own kind.
    assert len(POLICY_LIST) + len(NOT_SEEDED) == 28
    seeded = dict(Organisation.objects.values_list("name", "kind"))
    for name, kind, _ in POLICY_LIST:
        assert seeded[name] == kind
    for expected in (
        "Barnardo's", "Behaviour & Education Support Team (BEST)",
        "Child & Adolescent Mental Health Service (CAMHS)",
        "Children, Families & Social Care (CF&SC)", "Connexions",
        "Education Psychology Service (EPS)", "Emergency Housing", "Police", "Primary Care Trust",
        "Revenues & Benefits", "School Nurses", "Social Inclusion Operations Team (SIOT)",
        "Special Educational Needs (SEN)", "UK Border Agency", "Women's Refuge",
        "Youth Offending Team (YOT)", "Youth Service",
    ):  # fmt: skip
        assert expected in seeded
    assert Organisation.objects.get(
        name="Children, Families & Social Care (CF&SC)"
    ).safeguarding_role


def test_the_manager_sees_every_agency(world: World) -> None:
    text = _manager(world).get(reverse("accounts:agencies")).content.decode()
    assert "Barnardo&#x27;s" in text and "Youth Offending Team (YOT)" in text
    assert "Schools and Other Local Authorities" in text
    assert "School A staff" not in text  # a school is not a partner agency


def test_adding_an_agency_is_audited_and_a_duplicate_refused(world: World) -> None:
    client = _manager(world)
    url = reverse("accounts:agency-new")
    added = client.post(url, {"name": "  Merseyside   Fire Service ", "safeguarding_role": "no"})
    assert added.status_code == 302
    agency = Organisation.objects.get(name="Merseyside Fire Service")
    assert agency.kind == OrganisationKind.AGENCY and not agency.safeguarding_role
    assert AuditEvent.objects.filter(verb=Verb.CREATE, subject_id=agency.pk).exists()
    again = client.post(url, {"name": "merseyside fire service", "safeguarding_role": "no"})
    assert again.status_code == 400
    text = again.content.decode()
    assert "There is already an organisation called merseyside fire service" in text
    assert 'value="merseyside fire service"' in text
    empty = client.post(url, {"name": "", "safeguarding_role": ""}).content.decode()
    assert "Enter the agency&#x27;s name" in empty
    assert "Say whether it has a safeguarding role" in empty


def test_renaming_is_audited_with_before_and_after(world: World) -> None:
    police = Organisation.objects.get(name="Police")
    response = _manager(world).post(
        reverse("accounts:agency", args=[police.pk]),
        {
            "name": "Merseyside Police PPU",
            "safeguarding_role": "yes",
            "shown_name": "Police",
            "shown_safeguarding": "no",
        },
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.name == "Merseyside Police PPU" and police.safeguarding_role
    event = AuditEvent.objects.get(verb=Verb.UPDATE, subject_id=police.pk)
    assert event.details["changed"]["name"] == {
        "before": "Police",
        "after": "Merseyside Police PPU",
    }


def test_a_stale_edit_is_refused(world: World) -> None:
    police = Organisation.objects.get(name="Police")
    police.name = "Police PPU"
    police.save()
    response = _manager(world).post(
        reverse("accounts:agency", args=[police.pk]),
        {"name": "Police (north)", "safeguarding_role": "no", "shown_name": "Police",
         "shown_safeguarding": "no"},
    )  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "Someone else changed this agency" in text and "Police PPU" in text
    assert 'name="shown_name" value="Police PPU"' in text
    police.refresh_from_db()
    assert police.name == "Police PPU"


@pytest.mark.parametrize("who", ["officer", "paews", "school_a", "agency", "otherla", "admin"])
def test_only_managers_reach_the_agency_pages(world: World, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    police = Organisation.objects.get(name="Police")
    assert client.get(reverse("accounts:agencies")).status_code == 403
    assert client.get(reverse("accounts:agency-new")).status_code == 403
    posted = client.post(
        reverse("accounts:agency", args=[police.pk]),
        {
            "name": "X",
            "safeguarding_role": "no",
            "shown_name": "Police",
            "shown_safeguarding": "no",
        },
    )
    assert posted.status_code == 403
    assert Organisation.objects.filter(name="Police").exists()
