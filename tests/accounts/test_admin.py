"""Administrators administer, they do not read: no superuser, no role changes, no keys, and
every change made in the admin pages is an audit event."""

from __future__ import annotations

import base64
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.accounts.models import EnrolmentLink, Organisation, Role, User
from cme.accounts.services import system_admin_access_grant
from cme.audit.models import AuditEvent, Verb
from cme.plans.models import PlanTemplate

if TYPE_CHECKING:
    from conftest import World


@pytest.fixture
def admin_client(world: World) -> Client:
    admin = world.users["admin"]
    system_admin_access_grant(user=admin)
    client = Client()
    client.force_login(admin)
    return client


def test_the_system_administrator_is_staff_not_superuser(world: World, admin_client) -> None:
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("accounts.change_user") and admin.has_perm("calendars.add_termdates")
    assert not admin.has_perm("cases.view_case") and not admin.has_perm("people.view_child")
    assert not admin.has_perm("auth.change_group")


def test_role_and_organisation_are_read_only_in_the_admin(world: World, admin_client) -> None:
    person = world.users["keyworker"]
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="organisation"' not in page
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    assert person.organisation_id is not None
    other = Organisation.objects.exclude(pk=person.organisation_id).first()
    response = admin_client.post(
        url,
        {
            "username": person.username,
            "first_name": "Renamed",
            "last_name": person.last_name,
            "email": "",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "role": Role.CME_MANAGER,
            "organisation": other.pk if other else "",
            "job_title": "",
            "phone": "",
            "last_login_0": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.first_name == "Renamed"
    assert person.role == Role.KEY_WORKER and not person.is_superuser and not person.is_staff
    event = AuditEvent.objects.get(verb=Verb.ADMIN_CHANGE)
    assert event.actor == world.users["admin"] and event.subject_id == person.pk
    assert event.details["action"] == "change" and event.details["model"] == "accounts.user"
    assert "Renamed" not in str(event.details)


def test_every_admin_change_is_audited(world: World, admin_client) -> None:
    add = admin_client.post(
        reverse("admin:accounts_organisation_add"),
        {"name": "Youth Support Service", "kind": "agency"},
    )
    assert add.status_code == 302
    created = Organisation.objects.get(name="Youth Support Service")
    added = AuditEvent.objects.get(verb=Verb.ADMIN_CHANGE, details__action="add")
    assert added.subject_type == "organisation" and added.subject_id == created.pk
    admin_client.post(
        reverse("admin:accounts_organisation_change", args=[created.pk]),
        {"name": "Youth Justice Service", "kind": "agency"},
    )
    changed = AuditEvent.objects.get(verb=Verb.ADMIN_CHANGE, details__action="change")
    assert changed.details["changes"] == [{"kind": "changed", "fields": ["Name"]}]
    # Organisations are never deleted in the admin; a plan template may be.
    assert (
        admin_client.post(
            reverse("admin:accounts_organisation_delete", args=[created.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    template = PlanTemplate.objects.create(name="Old template")
    deleted = admin_client.post(
        reverse("admin:plans_plantemplate_delete", args=[template.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302 and not PlanTemplate.objects.filter(pk=template.pk).exists()
    gone = AuditEvent.objects.get(verb=Verb.ADMIN_CHANGE, details__action="delete")
    assert gone.subject_id == template.pk and gone.details["model"] == "plans.plantemplate"


def test_the_authenticator_admin_never_shows_a_key(world: World, admin_client) -> None:
    device = TOTPDevice.objects.create(user=world.users["officer"], name="phone", confirmed=True)
    secret = base64.b32encode(device.bin_key).decode()
    pages = [
        admin_client.get(reverse("admin:otp_totp_totpdevice_changelist")),
        admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])),
    ]
    assert all(page.status_code == 200 for page in pages)
    for page in pages:
        text = page.content.decode()
        assert device.key not in text and secret not in text
        assert "qrcode" not in text.lower() and 'name="key"' not in text
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_resetting_an_authenticator_is_audited(world: World, admin_client) -> None:
    device = TOTPDevice.objects.create(user=world.users["officer"], name="phone", confirmed=True)
    response = admin_client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    reset = AuditEvent.objects.get(verb=Verb.SECOND_FACTOR_RESET)
    assert reset.actor == world.users["admin"] and reset.subject_id == world.users["officer"].pk


def test_the_admin_makes_set_up_links(world: World, admin_client) -> None:
    page = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "make_set_up_links",
            "_selected_action": [world.users["officer"].pk, world.users["admin"].pk],
        },
    ).content.decode()
    assert "/sign-in/set-up/" in page and "yourself" in page
    assert EnrolmentLink.objects.filter(user=world.users["officer"]).count() == 1
    assert not EnrolmentLink.objects.filter(user=world.users["admin"]).exists()


def test_the_admin_signs_in_through_the_register_sign_in(db) -> None:
    response = Client().get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_manager_is_not_let_into_the_admin(world: World) -> None:
    client = Client()
    client.force_login(world.users["manager"])
    assert client.get(reverse("admin:index")).status_code == 302


def test_create_user_makes_a_system_administrator_not_a_superuser(db, monkeypatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a long operator password")
    out = StringIO()
    call_command("create_user", "ops", "--role", "system_admin", stdout=out)
    ops = User.objects.get(username="ops")
    assert ops.is_staff and not ops.is_superuser and ops.role == Role.SYSTEM_ADMIN
    assert ops.check_password("a long operator password")
    assert "/sign-in/set-up/" in out.getvalue()
    assert EnrolmentLink.objects.get(user=ops).issued_by is None
