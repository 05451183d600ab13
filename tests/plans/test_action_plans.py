"""The key worker's action plan: from the council's template, due dates in school days."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cme.calendars.services import term_dates_import
from cme.core.errors import NotAllowed
from cme.plans.models import PlanTemplate
from cme.plans.services import action_add, action_complete, plan_start

if TYPE_CHECKING:
    from conftest import World

LIVERPOOL = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"
FRIDAY = datetime(2025, 10, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@time_machine.travel(FRIDAY, tick=False)
def test_key_worker_starts_a_plan_from_the_default_template(world: World) -> None:
    term_dates_import(path=LIVERPOOL)
    template = PlanTemplate.objects.get(is_default=True)
    plan = plan_start(case=world.case_at_a, template=template, by=world.users["keyworker"])
    actions = list(plan.actions.order_by("order"))
    assert len(actions) == template.items.count() == 6
    # Two school days after Friday 24 October 2025 skips the weekend and half term.
    assert actions[0].due_on == date(2025, 11, 4)
    assert all(a.owner == world.users["keyworker"] for a in actions)
    done = action_complete(action=actions[0], by=world.users["keyworker"], note="Met mum")
    assert done.done_on == FRIDAY.date()
    with pytest.raises(ValidationError, match="already done"):
        action_complete(action=actions[0], by=world.users["keyworker"])


def test_only_the_key_worker_or_cme_team_manage_the_plan(world: World) -> None:
    template = PlanTemplate.objects.get(is_default=True)
    for role in ("keyworker_other", "school_a", "paews", "agency"):
        with pytest.raises(NotAllowed):
            plan_start(case=world.case_at_a, template=template, by=world.users[role])


def test_a_plan_needs_term_dates_and_says_so(world: World) -> None:
    template = PlanTemplate.objects.get(is_default=True)
    with pytest.raises(ValidationError, match="import-term-dates"):
        plan_start(case=world.case_at_a, template=template, by=world.users["officer"])


@time_machine.travel(FRIDAY, tick=False)
def test_adding_an_action_through_the_page_keeps_bad_input(world: World) -> None:
    term_dates_import(path=LIVERPOOL)
    plan = plan_start(
        case=world.case_at_a, template=PlanTemplate.objects.get(), by=world.users["officer"]
    )
    client = Client()
    client.force_login(world.users["keyworker"])
    url = reverse("plans:add-action", args=[world.case_at_a.pk])
    response = client.post(
        url, {"title": "Visit the family", "due_on_0": "31", "due_on_1": "2", "due_on_2": "2026"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Due by must be a real date" in page and 'value="Visit the family"' in page
    assert plan.actions.count() == 6
    ok = client.post(
        url, {"title": "Visit the family", "due_on_0": "7", "due_on_1": "11", "due_on_2": "2025"}
    )
    assert ok.status_code == 302
    assert plan.actions.filter(title="Visit the family").exists()
    with pytest.raises(ValidationError, match="on or after"):
        action_add(
            plan=plan,
            title="Too early",
            due_on=date(2025, 1, 1),
            owner=None,
            by=world.users["officer"],
        )
