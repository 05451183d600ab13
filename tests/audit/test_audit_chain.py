"""The hash chain: every event follows the one before it, and `cme verify-audit` finds an event
changed, removed, reordered or forged behind the database's own guards."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from cme.audit.chain import GENESIS, event_hash
from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record, audit_record_many
from cme.audit.verify import audit_chain_verify

if TYPE_CHECKING:
    from conftest import World

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE and its trigger are PostgreSQL's"
)


@contextmanager
def behind_the_trigger() -> Iterator[None]:
    """What a database superuser can do: set the append-only trigger aside for a moment.
    Inside the test's transaction, so it is all rolled back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            yield
            cursor.execute(
                "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )


def tamper(sql: str, params: list[str | int]) -> None:
    with behind_the_trigger(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify() -> str:
    """`cme verify-audit`'s message; CommandError (exit 1) when the chain is broken."""
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def five_events(world: World) -> list[AuditEvent]:
    officer = world.users["officer"]
    for n in range(3):
        audit_record(
            actor=officer, verb=Verb.VIEW, subject=world.case_at_a, details={"n": n, "x": 1.0}
        )
    audit_record_many(
        actor=officer,
        verb=Verb.LIST,
        subject_type="case",
        rows=[(world.case_at_a.pk, world.case_at_a.child_id), (world.case_at_b.pk, None)],
    )
    return list(AuditEvent.objects.order_by("seq"))


def test_each_event_follows_the_one_before(world: World) -> None:
    events = five_events(world)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    # The stored hash is recomputed from what the database gives back, not what was written.
    for event in events:
        fields = {f: getattr(event, f) for f in ("seq", "at", "actor_id", "actor_label", "verb")}
        fields |= {
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "child_id": event.child_id,
            "source": event.source,
            "ip_address": event.ip_address,
            "details": event.details,
        }
        assert event_hash(event.prev_hash, fields) == event.hash
    assert "whole: 5 events" in verify()


def test_pages_and_the_api_write_a_whole_chain(world: World) -> None:
    client = Client(REMOTE_ADDR="2001:DB8::1")
    client.force_login(world.users["officer"])
    client.get(reverse("cases:register"))
    client.get(reverse("cases:detail", args=[world.case_at_a.pk]))
    assert AuditEvent.objects.filter(ip_address="2001:db8::1").count() >= 2
    assert audit_chain_verify().whole


def test_a_row_changed_behind_the_trigger_is_found_and_named(world: World) -> None:
    events = five_events(world)
    tamper("UPDATE audit_auditevent SET actor_label = 'nobody' WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=rf"Event 3 \(id {events[2].pk}\) has been changed"):
        verify()


def test_changed_details_are_found(world: World) -> None:
    events = five_events(world)
    tamper("UPDATE audit_auditevent SET details = %s WHERE id = %s", ['{"n": 9}', events[0].pk])
    check = audit_chain_verify()
    assert not check.whole and check.fault.startswith("Event 1 ")
    assert check.count == 0


def test_a_deleted_event_is_found(world: World) -> None:
    events = five_events(world)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match="Event 2 missing") as refused:
        verify()
    assert refused.value.returncode == 1


def test_events_removed_and_renumbered_are_found(world: World) -> None:
    events = five_events(world)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    # In two steps, so that no two events hold the same number on the way.
    tamper("UPDATE audit_auditevent SET seq = seq + 1000 WHERE seq > 2", [])
    tamper("UPDATE audit_auditevent SET seq = seq - 1001 WHERE seq > 1000", [])
    check = audit_chain_verify()
    assert check.fault.startswith("Event 2 ") and "does not follow event 1" in check.fault


def test_swapped_hashes_are_found(world: World) -> None:
    events = five_events(world)
    first, second = events[3], events[4]
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [second.hash, first.pk])
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [first.hash, second.pk])
    assert audit_chain_verify().fault.startswith("Event 4 ")


def test_a_forged_hash_is_found_at_the_next_event(world: World) -> None:
    events = five_events(world)
    forged = events[1]
    fields = {
        "seq": forged.seq,
        "at": forged.at,
        "actor_id": forged.actor_id,
        "actor_label": "nobody",
        "verb": forged.verb,
        "subject_type": forged.subject_type,
        "subject_id": forged.subject_id,
        "child_id": forged.child_id,
        "source": forged.source,
        "ip_address": forged.ip_address,
        "details": forged.details,
    }
    tamper(
        "UPDATE audit_auditevent SET actor_label = 'nobody', hash = %s WHERE id = %s",
        [event_hash(forged.prev_hash, fields), forged.pk],
    )
    check = audit_chain_verify()
    assert check.fault.startswith("Event 3 ") and "event 2 was changed" in check.fault


def test_a_recorded_head_catches_the_newest_events_removed(world: World) -> None:
    events = five_events(world)
    head = f"{events[-1].seq}:{events[-1].hash}"
    assert head in verify()
    call_command("verify_audit", expect=(events[-1].seq, events[-1].hash), stdout=StringIO())
    tamper("DELETE FROM audit_auditevent WHERE seq >= 4", [])
    # Without the recorded head the shorter chain looks whole; with it, it does not.
    assert "whole: 3 events" in verify()
    with pytest.raises(CommandError, match="Event 5, recorded earlier, is missing"):
        call_command("verify_audit", expect=(events[-1].seq, events[-1].hash))


def test_a_rewritten_chain_differs_from_the_recorded_head(world: World) -> None:
    events = five_events(world)
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, events[2].pk])
    check = audit_chain_verify(expect=(3, events[2].hash))
    assert check.fault.startswith("Event 3 ")


def test_an_empty_trail_is_whole(db) -> None:
    assert "whole: 0 events" in verify()


def test_events_written_around_the_services_are_refused(world: World) -> None:
    with pytest.raises(PermissionError, match=r"cme\.audit\.services"):
        AuditEvent.objects.create(actor_label="x", verb=Verb.VIEW, subject_type="case")
    with pytest.raises(PermissionError, match=r"cme\.audit\.services"):
        AuditEvent.objects.bulk_create([AuditEvent(actor_label="x", verb=Verb.VIEW)])


@postgres_only
def test_truncate_of_the_audit_table_is_refused(world: World) -> None:
    five_events(world)
    with connection.cursor() as cursor:
        # The test's own transaction still holds the foreign keys' deferred checks, which
        # PostgreSQL would name instead of reaching the trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with (
        pytest.raises(DatabaseError, match="cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() == 5


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database lives in one connection's memory; threads cannot share it",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(django_db_blocker) -> None:
    """Eight threads, each its own connection, write 25 events apiece at once."""
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def write() -> None:
        try:
            start.wait()
            for _ in range(25):
                audit_record(actor=None, verb=Verb.VIEW, subject_type="race")
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 201)
    )
    assert audit_chain_verify().whole
