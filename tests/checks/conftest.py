"""Fixtures for the checks tests: a fresh source index per test (the cache is per process)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from factories import ChildFactory, EstablishmentFactory, OpenCaseFactory

from cme.cases.models import Case
from cme.checks.models import HomeEducatedChild, LostPupil, PupilOnRoll
from cme.checks.sources import clear_cache
from cme.people.models import Address
from cme.schools.models import Establishment

if TYPE_CHECKING:
    from conftest import World


@pytest.fixture(autouse=True)
def _fresh_sources() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


DOB = date(2015, 3, 14)


@pytest.fixture
def alfie(world: World) -> Case:
    """World's case at school A, for Alfie Jones, with a current address."""
    case = world.case_at_a
    child = case.child
    child.forename, child.surname, child.date_of_birth = "Alfie", "Jones", DOB
    child.save()
    Address.objects.create(child=child, line_1="10 Fictional Street", postcode="L8 1AA")
    return case


@pytest.fixture
def sources_with_alfred(world: World) -> Establishment:
    """Alfred Jones on a school roll; decoys elsewhere; a lost pupil; a home-educated child."""
    school = EstablishmentFactory.create(name="Fictional Academy")
    now = timezone.now()
    PupilOnRoll.objects.create(
        establishment=school,
        forename="Alfred",
        surname="Jones",
        date_of_birth=DOB,
        sex="M",
        postcode="L8 1AA",
        loaded_at=now,
        sessions_possible=100,
        sessions_attended=90,
    )
    PupilOnRoll.objects.create(
        establishment=school,
        forename="Grace",
        surname="Okafor",
        date_of_birth=date(2014, 1, 2),
        sex="F",
        loaded_at=now,
    )
    LostPupil.objects.create(
        source_file="3412001_CTF_XXXXXXX_001.xml",
        file_hash="a" * 64,
        destination="XXXXXXX",
        forename="ALFIE",
        surname="JONES",
        date_of_birth=DOB,
        sex="M",
        loaded_at=now,
    )
    HomeEducatedChild.objects.create(
        forename="Maisie", surname="Brown", date_of_birth=date(2016, 6, 1), started_on=DOB
    )
    return school


@pytest.fixture
def other_alfie(world: World) -> Case:
    """Another child on the register with a closed case: same name, born a year later."""
    child = ChildFactory.create(forename="Alfie", surname="Jones", date_of_birth=date(2016, 3, 14))
    return OpenCaseFactory.create(child=child)
