"""One writer for the timeline, and the key worker's "next update" clock that counts from the
key worker's own last update, in local dates."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from cme.audit.models import AuditEvent, Verb
from cme.calendars.selectors import school_calendar
from cme.calendars.services import term_dates_import
from cme.cases.deadlines import case_work_items
from cme.cases.models import Case, CaseEvent, CaseEventKind
from cme.cases.services import case_add_note, case_assign, case_event_add, case_set_clock_starts
from cme.plans.models import PlanTemplate
from cme.plans.services import action_complete, plan_start

if TYPE_CHECKING:
    from conftest import World

LIVERPOOL = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"
NEXT_UPDATE = "Next update from the key worker"
# 23:30 in UTC on the last day of June is already 1 July in Liverpool (BST).
LATE_EVENING_UTC = datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _next_update(case: Case, today: date):
    case.refresh_from_db()
    return next(i for i in case_work_items(case, today=today) if i.what == NEXT_UPDATE)


def _events_and_audit(case: Case) -> tuple[int, int]:
    return (
        CaseEvent.objects.filter(case=case).count(),
        AuditEvent.objects.filter(child_id=case.child_id).exclude(verb=Verb.VIEW).count(),
    )


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_a_note_from_the_key_worker_is_their_update_dated_in_local_time(world: World) -> None:
    case = world.case_at_a
    case_add_note(case=case, by=world.users["keyworker"], text="Met the family at home")
    case.refresh_from_db()
    assert case.last_key_worker_update_on == date(2025, 7, 1)


def test_an_officers_note_is_not_the_key_workers_update(world: World) -> None:
    case = world.case_at_a
    case_add_note(case=case, by=world.users["officer"], text="Phoned the school")
    case_set_clock_starts(
        case=case, by=world.users["officer"], first_day_absent=None, left_roll_on=None
    )
    case.refresh_from_db()
    assert case.last_key_worker_update_on is None


@time_machine.travel(MONDAY, tick=False)
def test_the_next_update_counts_from_the_key_workers_last_update(world: World) -> None:
    term_dates_import(path=LIVERPOOL)
    case = world.case_at_a
    Case.objects.filter(pk=case.pk).update(opened_on=date(2025, 9, 1))
    calendar = school_calendar(case.school_id)
    # No update yet: the clock runs from the day the case opened, and has run out.
    before = _next_update(case, MONDAY.date())
    assert before.due == calendar.add_school_days(date(2025, 9, 1), 10)
    assert before.urgency == "overdue"
    # The officer's work on the case does not stop it.
    case_add_note(case=case, by=world.users["officer"], text="Chased the key worker")
    assert _next_update(case, MONDAY.date()).due == before.due
    case_add_note(case=case, by=world.users["keyworker"], text="Visited: no answer")
    after = _next_update(case, MONDAY.date())
    assert after.due == calendar.add_school_days(MONDAY.date(), 10)
    assert after.urgency != "overdue"


@time_machine.travel(datetime(2025, 10, 24, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
def test_work_on_the_plan_by_the_key_worker_counts_as_an_update(world: World) -> None:
    term_dates_import(path=LIVERPOOL)
    case = world.case_at_a
    template = PlanTemplate.objects.get(is_default=True)
    plan = plan_start(case=case, template=template, by=world.users["officer"])
    case.refresh_from_db()
    assert case.last_key_worker_update_on is None
    action = plan.actions.first()
    assert action is not None
    action_complete(action=action, by=world.users["keyworker"], note="Met mum")
    case.refresh_from_db()
    assert case.last_key_worker_update_on == date(2025, 10, 24)
    assert AuditEvent.objects.filter(verb=Verb.PLAN_STARTED, child_id=case.child_id).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.ACTION_DONE, child_id=case.child_id).count() == 1


def test_an_earlier_entry_never_moves_the_clock_back(world: World) -> None:
    case = world.case_at_a
    keyworker = world.users["keyworker"]
    case_add_note(case=case, by=keyworker, text="Today's visit")
    case_event_add(
        case=case,
        kind=CaseEventKind.NOTE,
        by=keyworker,
        text="Written up late",
        at=timezone.now() - timedelta(days=20),
        key_worker_update=True,
    )
    case.refresh_from_db()
    assert case.last_key_worker_update_on == timezone.localdate()


def test_the_timeline_refuses_a_kind_it_does_not_know(world: World) -> None:
    with pytest.raises(ValidationError):
        case_event_add(case=world.case_at_a, kind="gossip", by=world.users["officer"])
    assert not CaseEvent.objects.filter(case=world.case_at_a).exists()


def test_naming_both_workers_is_one_entry_and_one_event(world: World) -> None:
    case = world.case_at_b
    case_assign(
        case=case,
        by=world.users["officer"],
        key_worker=world.users["keyworker"],
        paews_officer=world.users["paews"],
    )
    assert _events_and_audit(case) == (1, 1)
    event = AuditEvent.objects.get(child_id=case.child_id)
    assert event.verb == Verb.KEY_WORKER_NAMED
    assert event.details == {"assigned": ["key_worker", "paews_officer"]}
    entry = CaseEvent.objects.get(case=case)
    assert entry.kind == CaseEventKind.KEY_WORKER and "PAEWS officer" in entry.text


def test_naming_only_a_paews_officer_has_its_own_verb(world: World) -> None:
    case = world.case_at_b
    case_assign(case=case, by=world.users["officer"], paews_officer=world.users["paews"])
    event = AuditEvent.objects.get(child_id=case.child_id)
    assert event.verb == Verb.PAEWS_OFFICER_NAMED
    assert CaseEvent.objects.get(case=case).kind == CaseEventKind.PAEWS_OFFICER


def test_notes_flags_and_dates_write_their_own_verbs(world: World) -> None:
    from cme.cases.services import flag_raise, flag_resolve

    case, officer = world.case_at_a, world.users["officer"]
    case_add_note(case=case, by=officer, text="Phoned the school")
    flag = flag_raise(case=case, kind="risk", description="Dog at the address", by=officer)
    flag_resolve(flag=flag, by=officer, resolution="Dog rehomed")
    case_set_clock_starts(case=case, by=officer, first_day_absent=None, left_roll_on=None)
    verbs = list(
        AuditEvent.objects.filter(child_id=case.child_id)
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [Verb.NOTE_ADDED, Verb.FLAG_RAISED, Verb.FLAG_RESOLVED, Verb.DATES_RECORDED]
    assert CaseEvent.objects.filter(case=case).count() == 4


@pytest.mark.django_db
def test_the_backfill_takes_the_key_workers_latest_note_or_plan_entry_in_local_time(
    world: World,
) -> None:
    migration = importlib.import_module("cme.cases.migrations.0004_key_worker_update_clock")
    case, keyworker, officer = world.case_at_a, world.users["keyworker"], world.users["officer"]
    CaseEvent.objects.bulk_create([
        CaseEvent(case=case, kind="note", by=keyworker, at=LATE_EVENING_UTC - timedelta(days=9)),
        CaseEvent(case=case, kind="action_plan", by=keyworker, at=LATE_EVENING_UTC),
        # Later, but not the key worker's, or not an update.
        CaseEvent(case=case, kind="note", by=officer, at=LATE_EVENING_UTC + timedelta(days=3)),
        CaseEvent(case=case, kind="status", by=keyworker, at=LATE_EVENING_UTC + timedelta(days=4)),
        CaseEvent(case=world.case_at_b, kind="note", by=keyworker, at=LATE_EVENING_UTC),
    ])  # fmt: skip
    migration.backfill(apps, None)
    case.refresh_from_db()
    world.case_at_b.refresh_from_db()
    assert case.last_key_worker_update_on == date(2025, 7, 1)
    assert world.case_at_b.last_key_worker_update_on is None  # not its key worker
