"""A school, its PAEWS officer and a CME1 checklist in each state, on Liverpool's term dates,
on Monday 16 March 2026 (enquiries from Monday 2 February: day 20 was Friday 6 March)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.test import Client

from cme.checklist import services
from cme.checklist.models import Checklist
from cme.rules.cme1 import STEPS

if TYPE_CHECKING:
    from conftest import World

UPN = "P207000016049"
PUPIL: dict[str, Any] = {
    "forename": "Evie",
    "surname": "Fictional",
    "date_of_birth": date(2015, 3, 31),
    "sex": "F",
    "upn": UPN,
    "address_line_1": "1 Example Street",
    "postcode": "L1 1JQ",
}
STARTED = date(2026, 2, 2)


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


@pytest.fixture
def cme1_world(world: World, spring: None) -> World:
    """School A has a PAEWS officer (`paews`)."""
    world.school_a.paews_officer = world.users["paews"]
    world.school_a.save()
    return world


def as_user(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def opened(world: World, **pupil: Any) -> Checklist:
    return services.checklist_open(
        by=world.users["school_a"],
        pupil={**PUPIL, **pupil},
        first_day_absent=date(2026, 1, 26),
    )


def every_step(world: World, checklist: Checklist, *, on: date = STARTED) -> None:
    """Each step of the form, the school's own, and the home visit and the council's steps
    made jointly."""
    for step in STEPS:
        joint = step.council_only or step.key == "home_visit"
        services.checklist_step_add(
            checklist=checklist,
            by=world.users["school_a"],
            kind=step.key,
            done_on=on,
            party="joint" if joint else "school",
            done_by="Sam Jones, attendance officer" + (" with the PAEWS officer" if joint else ""),
            outcome="No answer; no one knows where the family has gone.",
        )


def sent(world: World, *, outcome: str = "not_found", found_details: str = "") -> Checklist:
    checklist = opened(world)
    every_step(world, checklist)
    return services.checklist_submit(
        checklist=checklist, by=world.users["school_a"], outcome=outcome,
        found_details=found_details,
    )  # fmt: skip


def signed_off(world: World, **kwargs: Any) -> Checklist:
    return services.checklist_sign_off(checklist=sent(world, **kwargs), by=world.users["paews"])


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
