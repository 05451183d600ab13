"""Every read and change of a child's record leaves an audit event, and events never change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.cases.services import case_close

if TYPE_CHECKING:
    from conftest import World


def _events(**filters):
    return list(AuditEvent.objects.filter(**filters).values_list("actor_label", "verb"))


def test_viewing_a_case_and_a_child_is_recorded(world: World) -> None:
    client = Client()
    client.force_login(world.users["school_a"])
    child_id = world.case_at_a.child_id
    client.get(reverse("cases:detail", args=[world.case_at_a.pk]))
    client.get(reverse("people:detail", args=[child_id]))
    assert _events(child_id=child_id) == [("school_a", Verb.VIEW), ("school_a", Verb.VIEW)]
    event = AuditEvent.objects.filter(child_id=child_id).last()
    assert event is not None and event.source == "web" and event.ip_address == "127.0.0.1"


def test_a_refused_read_records_nothing_about_the_child(world: World) -> None:
    client = Client()
    client.force_login(world.users["school_b"])
    client.get(reverse("cases:detail", args=[world.case_at_a.pk]))
    assert _events(child_id=world.case_at_a.child_id) == []


def test_closing_a_case_is_recorded_in_the_same_transaction(world: World) -> None:
    officer = world.users["officer"]
    case_close(
        case=world.case_at_a,
        outcome="on_roll",
        note="On roll at another school",
        by=officer,
        school=world.school_b,
    )
    assert _events(child_id=world.case_at_a.child_id, verb=Verb.CLOSE) == [("officer", Verb.CLOSE)]


def test_a_failed_change_leaves_no_audit_event(world: World) -> None:
    officer = world.users["officer"]
    with pytest.raises(Exception, match="Say briefly why"):
        case_close(case=world.case_at_a, outcome="on_roll", note="", by=officer)
    assert _events(verb=Verb.CLOSE) == []


def test_manager_sees_who_looked_at_a_child(world: World) -> None:
    school, manager = Client(), Client()
    school.force_login(world.users["school_a"])
    manager.force_login(world.users["manager"])
    school.get(reverse("cases:detail", args=[world.case_at_a.pk]))
    page = manager.get(reverse("oversight:child-audit", args=[world.case_at_a.child_id]))
    assert page.status_code == 200
    # The person by name and organisation, not by username.
    school_a = world.users["school_a"]
    assert school_a.get_full_name() in page.content.decode()
    assert "School A staff" in page.content.decode()
    # Reading the trail is itself on the trail.
    assert AuditEvent.objects.filter(subject_type="audit_trail", actor_label="manager").exists()


def test_audit_events_cannot_be_changed_or_deleted(world: World) -> None:
    Client().force_login(world.users["officer"])
    client = Client()
    client.force_login(world.users["officer"])
    client.get(reverse("cases:detail", args=[world.case_at_a.pk]))
    event = AuditEvent.objects.get(child_id=world.case_at_a.child_id)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(verb=Verb.CREATE)
    # Below the ORM, the database refuses too.
    from django.db import connection

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = 'create' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == Verb.VIEW
