"""A school records a traveller pupil's absence: the pupil stays on roll and is watched; with
no return date the CME1 clock starts after four weeks away (cme.rules.traveller)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.roll.models import WatchedPupil, WatchReason, WatchStatus

if TYPE_CHECKING:
    from conftest import World


def _as(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _typed(**changes: str) -> dict[str, str]:
    data = {
        "forename": "Levi",
        "surname": "Fictional",
        "date_of_birth_0": "4",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2016",
        "sex": "M",
        "left_on_0": "2",
        "left_on_1": "2",
        "left_on_2": "2026",
    }
    data.update(changes)
    return data


@pytest.fixture
def spring(term_dates: None) -> None:
    return None


def test_a_traveller_with_no_return_date_is_watched_and_the_cme1_clock_starts_at_four_weeks(
    spring: None, world: World
) -> None:
    url = reverse("school-returns:traveller")
    with time_machine.travel(datetime(2026, 2, 20, 10, 0).astimezone(), tick=False):
        response = _as(world, "school_a").post(url, _typed())
        assert response.status_code == 302
        watched = WatchedPupil.objects.get()
        assert watched.reason == WatchReason.TRAVELLER and watched.return_date is None
        assert watched.first_day_absent == date(2026, 2, 2)
        assert watched.school == world.school_a and watched.status == WatchStatus.WATCHING
        assert AuditEvent.objects.filter(
            verb=Verb.RETURN_RECEIVED, subject_type="watchedpupil", subject_id=watched.pk
        ).exists()
        page = _as(world, "officer").get(reverse("watch:list")).content.decode()
        row = page[page.index(f'id="watched-{watched.pk}"') :]
        assert "Levi Fictional" in row and "no return date given" in row
        assert "Four weeks away with no return date: the CME1 checklist: 3 March 2026" in row
        assert "FAQ 7" in row and "reg 9(1)(i)(i)" in row
        assert "Watch: the next clock is" in row
    with time_machine.travel(datetime(2026, 3, 3, 10, 0).astimezone(), tick=False):
        page = _as(world, "officer").get(reverse("watch:list")).content.decode()
        row = page[page.index(f'id="watched-{watched.pk}"') :]
        assert "Reached" in row and "the CME1 checklist starts" in row


def test_a_return_date_keeps_the_clock_back_until_it_passes(spring: None, world: World) -> None:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        typed = _typed(return_date_0="20", return_date_1="4", return_date_2="2026")
        assert (
            _as(world, "school_a").post(reverse("school-returns:traveller"), typed).status_code
            == 302
        )
        watched = WatchedPupil.objects.get()
        assert watched.return_date == date(2026, 4, 20)
        page = _as(world, "officer").get(reverse("watch:list")).content.decode()
        assert "return date given: 20 April 2026" in page
        assert "After the return date: the CME1 checklist: 21 April 2026" in page


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"left_on_0": "", "left_on_1": "", "left_on_2": ""}, "Enter the day the family left"),
        ({"left_on_0": "17", "left_on_1": "3", "left_on_2": "2026"}, "must be today or earlier"),
        (
            {"return_date_0": "1", "return_date_1": "2", "return_date_2": "2026"},
            "on or after the day the family left",
        ),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_kept(
    spring: None, world: World, changes: dict[str, str], words: str
) -> None:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        response = _as(world, "school_a").post(
            reverse("school-returns:traveller"), _typed(**changes)
        )
    assert response.status_code == 400
    assert words in response.content.decode() and "Levi" in response.content.decode()
    assert not WatchedPupil.objects.exists()


def test_only_a_school_records_a_traveller(world: World) -> None:
    url = reverse("school-returns:traveller")
    for name in ("officer", "manager", "paews", "keyworker", "agency", "otherla", "admin"):
        assert _as(world, name).get(url).status_code == 403, name
    assert _as(world, "school_a").get(url).status_code == 200
