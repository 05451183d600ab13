"""A CME manager names each school's PAEWS officer (audited, stale edits refused), and the
school is told who it is (policy FAQ 5) on its home page and its referral form."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from factories import UserFactory

from cme.accounts.models import Role
from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World


def _client(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _set(world: World, officer_id: int | str, shown: int | str = "", who: str = "manager"):
    return _client(world, who).post(
        reverse("schools:paews-officer", args=[world.school_a.pk]),
        {"officer": str(officer_id), "shown": str(shown)},
    )


def test_the_manager_lists_the_councils_schools_with_their_officers(world: World) -> None:
    world.school_b.paews_officer = world.users["paews"]
    world.school_b.save()
    page = _client(world, "manager").get(reverse("schools:paews"))
    text = page.content.decode()
    assert world.school_a.name in text and world.school_b.name in text
    assert world.users["paews"].get_full_name() in text
    assert "None named" in text
    found = _client(world, "manager").get(reverse("schools:paews"), {"name": world.school_b.name})
    assert world.school_a.name not in found.content.decode()


def test_naming_an_officer_is_saved_and_audited(world: World) -> None:
    paews = world.users["paews"]
    response = _set(world, paews.pk)
    assert response.status_code == 302
    world.school_a.refresh_from_db()
    assert world.school_a.paews_officer == paews
    event = AuditEvent.objects.get(verb=Verb.UPDATE, subject_type="establishment")
    assert event.actor == world.users["manager"]
    assert event.details == {"paews_officer": {"before": None, "after": paews.pk}}


def test_a_change_made_meanwhile_is_refused_and_the_latest_shown(world: World) -> None:
    world.school_a.paews_officer = world.users["paews_other"]
    world.school_a.save()
    # The form was opened when no one was named.
    response = _set(world, world.users["paews"].pk, shown="")
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Someone else changed this school" in text
    assert world.users["paews_other"].get_full_name() in text
    assert f'name="shown" value="{world.users["paews_other"].pk}"' in text
    world.school_a.refresh_from_db()
    assert world.school_a.paews_officer == world.users["paews_other"]
    assert not AuditEvent.objects.filter(subject_type="establishment").exists()


def test_only_a_paews_officer_can_be_named(world: World) -> None:
    response = _set(world, world.users["officer"].pk)
    assert "Choose a PAEWS officer from the list" in response.content.decode()
    world.school_a.refresh_from_db()
    assert world.school_a.paews_officer is None


@pytest.mark.parametrize(
    "who", ["officer", "paews", "school_a", "keyworker", "agency", "otherla", "admin"]
)
def test_only_managers_reach_the_pages(world: World, who: str) -> None:
    client = _client(world, who)
    assert client.get(reverse("schools:paews")).status_code == 403
    url = reverse("schools:paews-officer", args=[world.school_a.pk])
    assert client.get(url).status_code == 403
    assert _set(world, world.users["paews"].pk, who=who).status_code == 403
    world.school_a.refresh_from_db()
    assert world.school_a.paews_officer is None


def test_the_school_sees_its_officer_on_home_and_the_referral_form(world: World) -> None:
    paews = world.users["paews"]
    paews.email, paews.phone, paews.job_title = "p.officer@example.org", "0151 000 0000", "EWO"
    paews.save()
    _set(world, paews.pk)
    for url in (reverse("worklist:home"), reverse("referrals:new")):
        text = _client(world, "school_a").get(url).content.decode()
        assert "If a child is on your roll but not attending" in text
        assert paews.get_full_name() in text and "p.officer@example.org" in text
        # School B has none named: it is told to ask the CME team.
        other = _client(world, "school_b").get(url).content.decode()
        assert paews.get_full_name() not in other
        assert "has no PAEWS officer named on the register yet" in other
    # Nobody else is shown a school's PAEWS contact.
    for who in ("officer", "agency", "otherla"):
        text = _client(world, who).get(reverse("referrals:new")).content.decode()
        assert "If a child is on your roll but not attending" not in text


def test_an_officer_who_has_left_is_not_given_to_the_school(world: World) -> None:
    gone = UserFactory.create(role=Role.PAEWS_OFFICER, is_active=False)
    world.school_a.paews_officer = gone
    world.school_a.save()
    text = _client(world, "school_a").get(reverse("worklist:home")).content.decode()
    assert gone.get_full_name() not in text
    assert "has no PAEWS officer named on the register yet" in text
