"""A CME manager changes someone's role and organisation through an audited service, never
their own; the admin pages cannot."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from factories import OrganisationFactory

from cme.accounts.models import OrganisationKind, Role
from cme.accounts.services import user_role_change
from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World


def test_a_manager_changes_a_role_and_it_is_audited(world: World) -> None:
    agency = OrganisationFactory.create(name="Housing", kind=OrganisationKind.AGENCY)
    person = world.users["keyworker"]
    before = person.organisation_id
    user_role_change(
        user=person, role=Role.PARTNER_AGENCY, organisation=agency, by=world.users["manager"]
    )
    person.refresh_from_db()
    assert person.role == Role.PARTNER_AGENCY and person.organisation == agency
    event = AuditEvent.objects.get(verb=Verb.ROLE_CHANGED)
    assert event.actor == world.users["manager"] and event.subject_id == person.pk
    assert event.details == {
        "before": {"role": "key_worker", "organisation": before},
        "after": {"role": "partner_agency", "organisation": agency.pk},
    }


def test_nobody_changes_their_own_role(world: World) -> None:
    manager = world.users["manager"]
    with pytest.raises(ValidationError, match="your own role"):
        user_role_change(
            user=manager, role=Role.CME_OFFICER, organisation=manager.organisation, by=manager
        )


@pytest.mark.parametrize("name", ["officer", "admin", "school_a", "paews"])
def test_only_a_manager_changes_roles(world: World, name) -> None:
    with pytest.raises(PermissionDenied):
        user_role_change(
            user=world.users["keyworker"],
            role=Role.CME_MANAGER,
            organisation=world.users["officer"].organisation,
            by=world.users[name],
        )
    assert not AuditEvent.objects.filter(verb=Verb.ROLE_CHANGED).exists()


def test_the_role_must_fit_the_organisation(world: World) -> None:
    school_org = world.users["school_a"].organisation
    with pytest.raises(ValidationError, match="cannot belong to"):
        user_role_change(
            user=world.users["keyworker"],
            role=Role.CME_MANAGER,
            organisation=school_org,
            by=world.users["manager"],
        )
    with pytest.raises(ValidationError):
        user_role_change(
            user=world.users["keyworker"],
            role=Role.SYSTEM_ADMIN,
            organisation=world.users["officer"].organisation,
            by=world.users["manager"],
        )


def test_the_role_page(world: World) -> None:
    client = Client()
    client.force_login(world.users["manager"])
    person = world.users["keyworker"]
    url = reverse("accounts:role-change", args=[person.pk])
    assert "Change role" in client.get(url).content.decode()
    cme_team = world.users["officer"].organisation
    assert cme_team is not None
    bad = client.post(url, {"role": Role.SCHOOL_STAFF, "organisation": cme_team.pk})
    assert bad.status_code == 400 and "cannot belong to" in bad.content.decode()
    person.refresh_from_db()
    assert person.role == Role.KEY_WORKER
    ok = client.post(url, {"role": Role.CME_OFFICER, "organisation": cme_team.pk})
    assert ok.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.CME_OFFICER
    own = client.post(
        reverse("accounts:role-change", args=[world.users["manager"].pk]),
        {"role": Role.CME_OFFICER, "organisation": cme_team.pk},
    )
    assert own.status_code == 400 and "your own role" in own.content.decode()


@pytest.mark.parametrize("name", ["officer", "admin", "agency"])
def test_the_role_page_is_for_managers_only(world: World, name) -> None:
    client = Client()
    client.force_login(world.users[name])
    assert client.get(reverse("accounts:users")).status_code == 403
    url = reverse("accounts:role-change", args=[world.users["keyworker"].pk])
    assert client.get(url).status_code == 403
