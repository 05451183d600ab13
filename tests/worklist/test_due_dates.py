"""Stored due dates (cme.cases.due): every service that changes a fact behind a deadline
stores the case's dates again, and the home page and queues read them at a fixed cost."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import ChildFactory, OpenCaseFactory

from cme.calendars.models import Closure
from cme.cases import due
from cme.cases.deadlines import case_clocks
from cme.cases.models import Case, CaseStatus, DueItem, Outcome
from cme.cases.selectors import Bucket, queue_page, work_queue
from cme.cases.services import (
    case_add_note,
    case_assign,
    case_close,
    case_name_school,
    case_open,
    case_reopen,
    case_set_clock_starts,
    case_transition,
    next_statuses,
)
from cme.core.errors import NotAllowed
from cme.plans.models import PlanAction, PlanTemplate
from cme.plans.services import action_add, action_complete, plan_start

if TYPE_CHECKING:
    from conftest import World

MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = MONDAY.date()


def _order(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=lambda r: (r[1] is None, r[1] or date.min, r[0]))


def _stored() -> dict[int, list[tuple[Any, ...]]]:
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for item in DueItem.objects.all():
        rows.setdefault(item.case_id, []).append(
            (item.what, item.due_on, item.rule, item.soon_on, item.problem)
        )
    return {pk: _order(v) for pk, v in rows.items()}


def _recomputed() -> dict[int, list[tuple[Any, ...]]]:
    """Every case's clocks worked out afresh, as the case page does."""
    rows = {}
    for case in Case.objects.select_related("plan").prefetch_related("plan__actions"):
        clocks = [(c.what, c.due, c.rule, c.soon_on, c.problem) for c in case_clocks(case)]
        if clocks:
            rows[case.pk] = _order(clocks)
    return rows


def _steps(world: World, rng: random.Random) -> list[tuple[str, Callable[[Case], Any]]]:
    officer, keyworker = world.users["officer"], world.users["keyworker"]
    template = PlanTemplate.objects.first()
    assert template is not None

    def some_day() -> date:
        return TODAY - timedelta(days=rng.randrange(0, 120))

    def transition(case: Case) -> Any:
        choices = [s for s in next_statuses(case) if s != CaseStatus.CLOSED]
        return case_transition(case=case, to=rng.choice(choices), by=officer) if choices else None

    def complete(case: Case) -> Any:
        action = PlanAction.objects.filter(plan__case=case, done_on__isnull=True).first()
        return action_complete(action=action, by=keyworker) if action else None

    return [
        ("transition", transition),
        (
            "close",
            lambda case: case_close(
                case=case, outcome=Outcome.NOT_COMPULSORY_AGE, by=officer, note="Too old"
            ),
        ),
        ("reopen", lambda case: case_reopen(case=case, by=officer, reason="Seen again")),
        ("assign", lambda case: case_assign(case=case, by=officer, key_worker=keyworker)),
        (
            "clock starts",
            lambda case: case_set_clock_starts(
                case=case,
                by=officer,
                first_day_absent=rng.choice([None, some_day()]),
                left_roll_on=rng.choice([None, some_day()]),
            ),
        ),
        (
            "name school",
            lambda case: case_name_school(
                case=case,
                school=rng.choice([world.school_a, world.school_b]),
                by=officer,
                why="Found",
            ),
        ),
        ("key worker note", lambda case: case_add_note(case=case, by=keyworker, text="Visited")),
        ("plan", lambda case: plan_start(case=case, template=template, by=keyworker)),
        (
            "action",
            lambda case: (
                action_add(
                    plan=case.plan,
                    title="Call",
                    due_on=some_day() + timedelta(days=150),
                    owner=None,
                    by=keyworker,
                )
                if hasattr(case, "plan")
                else None
            ),
        ),
        ("complete action", complete),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
@time_machine.travel(MONDAY, tick=False)
def test_every_service_that_changes_a_fact_stores_the_dates_again(
    world: World, term_dates: None, seed: int
) -> None:
    rng = random.Random(seed)
    Closure.objects.create(
        establishment=world.school_b, first_day=date(2025, 11, 10), last_day=date(2025, 11, 12)
    )
    due.refresh_all()
    officer = world.users["officer"]
    for _ in range(2):
        case_open(
            child=ChildFactory.create(),
            school=world.school_a,
            by=officer,
            opened_on=TODAY - timedelta(days=60),
        )
    steps = _steps(world, rng)
    done = []
    for _ in range(40):
        name, step = rng.choice(steps)
        case = Case.objects.get(pk=rng.choice(list(Case.objects.values_list("pk", flat=True))))
        try:
            step(case)
        except (ValidationError, NotAllowed):
            continue  # refused: it changed nothing, which the comparison also checks
        done.append(name)
        assert _stored() == _recomputed(), f"after {name} (steps so far: {done})"
    assert len(set(done)) >= 6  # the sequence did exercise the services


@time_machine.travel(MONDAY, tick=False)
def test_a_new_cases_clocks_appear_and_a_closed_cases_go(world: World, term_dates: None) -> None:
    officer = world.users["officer"]
    case = case_open(
        child=ChildFactory.create(), school=world.school_a, by=officer, opened_on=date(2025, 9, 1)
    )
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("worklist:home")).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in page
    overdue = {c.pk for c, _ in work_queue(user=officer, today=TODAY).overdue}
    assert case.pk in overdue
    case_close(case=case, outcome=Outcome.NOT_COMPULSORY_AGE, by=officer, note="Too old")
    assert not DueItem.objects.filter(case=case).exists()
    page = client.get(reverse("worklist:home")).content.decode()
    assert reverse("cases:detail", args=[case.pk]) not in page


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(MONDAY, tick=False)
def test_home_page_and_queues_cost_the_same_whatever_the_registers_size(
    world: World, term_dates: None
) -> None:
    officer, keyworker = Client(), Client()
    officer.force_login(world.users["officer"])
    keyworker.force_login(world.users["keyworker"])
    home = reverse("worklist:home")
    overdue = reverse("worklist:queue", args=["overdue"])
    soon = reverse("worklist:queue", args=["due_soon"])

    def grow(n: int) -> None:
        for _ in range(n):
            OpenCaseFactory.create(
                school=world.school_a,
                key_worker=world.users["keyworker"],
                opened_on=date(2025, 9, 1),
                first_day_absent=date(2025, 10, 20),
            )

    grow(3)
    before = {
        (who, url): _queries(client, url)
        for who, client in (("officer", officer), ("keyworker", keyworker))
        for url in (home, overdue, soon)
    }
    grow(60)
    after = {
        (who, url): _queries(client, url)
        for who, client in (("officer", officer), ("keyworker", keyworker))
        for url in (home, overdue, soon)
    }
    assert after == before
    assert before[("officer", home)] <= 20
    assert before[("keyworker", home)] <= 16
    assert max(before[(w, u)] for w in ("officer", "keyworker") for u in (overdue, soon)) <= 10


@time_machine.travel(MONDAY, tick=False)
def test_the_queue_is_paged_soonest_first(world: World, term_dates: None) -> None:
    for n in range(7):
        OpenCaseFactory.create(
            key_worker=world.users["keyworker"], opened_on=date(2025, 9, 1) + timedelta(days=n)
        )
    user = world.users["keyworker"]
    total = len(work_queue(user=user, today=TODAY, limit=None).overdue)
    size = total // 2 + 1  # two pages, the second not full
    first, more = queue_page(user=user, bucket=Bucket.OVERDUE, today=TODAY, page=1, per_page=size)
    second, last = queue_page(user=user, bucket=Bucket.OVERDUE, today=TODAY, page=2, per_page=size)
    assert more and not last
    dues = [item.due or date.max for _, item in first + second]
    assert dues == sorted(dues) and len(dues) == len(set((c.pk, i.what) for c, i in first + second))
    everything = work_queue(user=user, today=TODAY, limit=None).overdue
    assert [(c.pk, i.what) for c, i in first + second] == [(c.pk, i.what) for c, i in everything]
    client = Client()
    client.force_login(user)
    assert client.get(reverse("worklist:queue", args=["overdue"]) + "?page=2").status_code == 200
    assert client.get(reverse("worklist:queue", args=["later"])).status_code == 404
    school = Client()
    school.force_login(world.users["school_a"])
    assert school.get(reverse("worklist:queue", args=["overdue"])).status_code == 403


def test_a_change_of_term_dates_or_closures_queues_every_cases_dates_again(
    world: World, term_dates: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = world.case_at_b
    # The fixture's import queued a refresh for a commit this test's transaction never makes.
    connection.run_on_commit.clear()
    before = list(DueItem.objects.filter(case=case).values_list("due_on", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for day in (3, 4):  # two rows, one refresh
            Closure.objects.create(
                establishment=world.school_b,
                first_day=case.opened_on + timedelta(days=day),
                last_day=case.opened_on + timedelta(days=day),
            )
    assert len(callbacks) == 1
    assert _stored() == _recomputed()
    assert list(DueItem.objects.filter(case=case).values_list("due_on", flat=True)) != before


@time_machine.travel(MONDAY, tick=False)
def test_the_command_works_every_open_cases_dates_out_again(
    world: World, term_dates: None, settings: Any
) -> None:
    OpenCaseFactory.create(opened_on=date(2025, 10, 1))
    settings.CME_STALE_AFTER_SCHOOL_DAYS = 3
    assert _stored() != _recomputed()  # the setting changed under the stored dates
    out = io.StringIO()
    call_command("refresh_due_dates", stdout=out)
    assert "4 open cases" in out.getvalue()
    assert _stored() == _recomputed()
