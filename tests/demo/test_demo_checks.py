"""The demo's sources: a check on a demo case finds the planted child, with reasons."""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING

import pytest
from factories import ChildFactory, EstablishmentFactory, OpenCaseFactory

from cme.checks.models import CheckCandidate, HomeEducatedChild, LostPupil, PupilOnRoll
from cme.checks.services import check_run
from cme.demo.checks import load_demo_sources
from cme.people.models import Address

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

NAMES = [("Alfie", "Jones"), ("Evie", "Smith"), ("Mohammed", "Khan"), ("Isabella", "Brown")]


@pytest.fixture
def demo_cases(world: World):
    cases = []
    for n, (forename, surname) in enumerate(NAMES * 5):
        child = ChildFactory.create(
            forename=forename,
            surname=f"{surname}{'abcdefghij'[n % 10]}x",
            date_of_birth=date(2014, 1 + n % 12, 3 + n),
        )
        Address.objects.create(child=child, line_1=f"{n} Fictional Road", postcode=f"L{n + 1} 2AB")
        cases.append(OpenCaseFactory.create(child=child))
    return cases


def test_demo_sources_plant_open_case_children_where_a_check_finds_them(demo_cases, world: World):
    schools = [EstablishmentFactory.create() for _ in range(3)]
    result = load_demo_sources(
        rng=random.Random(7),
        as_of=date(2025, 11, 10),
        children=[c.child for c in demo_cases],
        establishments=schools,
    )
    assert result.planted >= 3
    assert PupilOnRoll.objects.count() == result.pupils_on_roll >= 36
    assert LostPupil.objects.count() == result.lost_pupils
    assert HomeEducatedChild.objects.count() == result.home_educated
    planted = [
        c for c in demo_cases if PupilOnRoll.objects.filter(surname=c.child.surname).exists()
    ]
    assert planted
    for case in planted:
        check_run(case=case, by=world.users["officer"])
        found = list(CheckCandidate.objects.filter(check_run__case=case, source="ems"))
        assert found and case.child.surname in found[0].details["name"], case.child
        assert found[0].band in {"likely", "possible"} and found[0].reasons


def test_demo_sources_are_deterministic(demo_cases):
    schools = [EstablishmentFactory.create() for _ in range(2)]
    kids = [c.child for c in demo_cases]
    load_demo_sources(
        rng=random.Random(3), as_of=date(2025, 11, 10), children=kids, establishments=schools
    )
    first = sorted(PupilOnRoll.objects.values_list("forename", "surname", "date_of_birth"))
    PupilOnRoll.objects.all().delete()
    LostPupil.objects.all().delete()
    HomeEducatedChild.objects.all().delete()
    load_demo_sources(
        rng=random.Random(3), as_of=date(2025, 11, 10), children=kids, establishments=schools
    )
    assert sorted(PupilOnRoll.objects.values_list("forename", "surname", "date_of_birth")) == first
