"""The elective home education register: kept in the app, searched by every check."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.checks.models import HomeEducatedChild
from cme.checks.sources import clear_cache, get_source

if TYPE_CHECKING:
    from conftest import World


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "forename": "Aisha",
        "surname": "Made-Up",
        "date_of_birth_0": "9",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2014",
        "sex": "F",
        "postcode": "L8 2AB",
        "started_on_0": "1",
        "started_on_1": "9",
        "started_on_2": "2025",
    }
    data.update(overrides)
    return data


def test_officer_adds_a_child_and_a_check_finds_them(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    response = client.post(reverse("checks:home-education-new"), _form())
    assert response.status_code == 302
    entry = HomeEducatedChild.objects.get()
    assert AuditEvent.objects.filter(subject_type="homeeducatedchild", subject_id=entry.pk).exists()
    clear_cache()
    found = get_source("home_education").candidates(
        {"id": "child:1", "forename": "Ayesha", "surname": "Made-Up", "date_of_birth": "2014-03-09"}
    )
    assert [c.record_id for c in found] == [str(entry.pk)]


def test_bad_input_is_kept_and_nothing_saved(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("checks:home-education-new"), _form(postcode="NOPE", started_on_1="13")
    )
    page = response.content.decode()
    assert response.status_code == 400 and HomeEducatedChild.objects.count() == 0
    assert "Enter a real postcode" in page and "must be a real date" in page
    assert 'value="Made-Up"' in page


def test_ending_needs_a_reason_and_never_deletes(world: World) -> None:
    entry = HomeEducatedChild.objects.create(
        forename="Leo", surname="Fictional", started_on=date(2025, 1, 6)
    )
    client = Client()
    client.force_login(world.users["officer"])
    url = reverse("checks:home-education-end", args=[entry.pk])
    client.post(url, {"ended_on_0": "1", "ended_on_1": "9", "ended_on_2": "2025", "reason": ""})
    entry.refresh_from_db()
    assert entry.status == "active"
    client.post(
        url,
        {
            "ended_on_0": "1",
            "ended_on_1": "9",
            "ended_on_2": "2025",
            "reason": "Started at a school",
        },
    )
    entry.refresh_from_db()
    # Where the child went is asked too: DfE counts returns to school.
    assert entry.status == "active"
    client.post(
        url,
        {
            "ended_on_0": "1",
            "ended_on_1": "9",
            "ended_on_2": "2025",
            "reason": "Started at a school",
            "to_school": "yes",
        },
    )
    entry.refresh_from_db()
    assert entry.status == "ended" and entry.ended_on == date(2025, 9, 1)
    assert entry.returned_to_school
    assert "Started at a school" in entry.notes


def test_only_the_cme_team_keeps_the_register(world: World) -> None:
    for role in ("school_a", "keyworker", "paews", "agency", "admin"):
        client = Client()
        client.force_login(world.users[role])
        assert client.get(reverse("checks:home-education")).status_code == 403
        assert client.post(reverse("checks:home-education-new"), _form()).status_code == 403
    assert HomeEducatedChild.objects.count() == 0


def test_an_entry_fetched_by_id_is_audited_and_a_missing_one_is_404(world: World) -> None:
    entry = HomeEducatedChild.objects.create(
        forename="Leo", surname="Fictional", started_on=date(2025, 1, 6)
    )
    url = reverse("checks:home-education-end", args=[entry.pk])
    outsider = Client()
    outsider.force_login(world.users["school_a"])
    assert outsider.post(url, {"reason": "x"}).status_code == 403
    assert not AuditEvent.objects.filter(verb=Verb.VIEW, subject_id=entry.pk).exists()
    officer = Client()
    officer.force_login(world.users["officer"])
    officer.post(url, {"ended_on_0": "1", "ended_on_1": "9", "ended_on_2": "2025", "reason": ""})
    read = AuditEvent.objects.get(verb=Verb.VIEW, subject_type="homeeducatedchild")
    assert read.subject_id == entry.pk and read.actor == world.users["officer"]
    missing = reverse("checks:home-education-end", args=[entry.pk + 1000])
    assert officer.post(missing, {"reason": "x"}).status_code == 404
