"""The CME team's public contact details (policy FAQ 6): the settings until a CME manager
saves them, then what they saved, on every page; audited; a stale save refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.core.contact import council_contact

if TYPE_CHECKING:
    from conftest import World

GOOD = {
    "email": "cme@liverpool.gov.uk",
    "phone": "0151 233 1607",
    "hours": "Monday to Friday, 9am to 5pm",
    "address": "CME team\nCunard Building\n\nLiverpool\nL3 1AH",
    "dpo_email": "dpo@liverpool.gov.uk",
    "version": "0",
}


def _manager(world: World) -> Client:
    client = Client()
    client.force_login(world.users["manager"])
    return client


def test_the_settings_until_a_manager_saves(world: World, settings) -> None:
    settings.CME_CONTACT_PHONE = "01632 960 123"
    assert council_contact().phone == "01632 960 123"
    assert "01632 960 123" in Client().get(reverse("notices:contact")).content.decode()
    page = _manager(world).get(reverse("core:contact-details")).content.decode()
    assert "Nobody has saved these here yet" in page and 'value="01632 960 123"' in page


def test_saved_details_are_on_the_public_pages_and_audited(world: World) -> None:
    response = _manager(world).post(reverse("core:contact-details"), GOOD)
    assert response.status_code == 302
    for url in (reverse("notices:contact"), reverse("accounts:sign-in")):
        text = Client().get(url).content.decode()
        assert "cme@liverpool.gov.uk" in text and "0151 233 1607" in text
    assert council_contact().address == ("CME team", "Cunard Building", "Liverpool", "L3 1AH")
    event = AuditEvent.objects.get(verb=Verb.UPDATE, subject_type="councilcontact")
    assert event.details["changed"]["email"]["after"] == "cme@liverpool.gov.uk"


def test_a_stale_save_is_refused_and_the_latest_shown(world: World) -> None:
    client = _manager(world)
    client.post(reverse("core:contact-details"), GOOD)
    stale = client.post(reverse("core:contact-details"), {**GOOD, "phone": "0151 000 0000"})
    assert stale.status_code == 400
    text = stale.content.decode()
    assert "Someone else changed the contact details" in text
    assert 'value="0151 233 1607"' in text
    assert council_contact().phone == "0151 233 1607"


def test_bad_input_is_explained_and_kept(world: World) -> None:
    bad = {**GOOD, "email": "not an email", "hours": ""}
    response = _manager(world).post(reverse("core:contact-details"), bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter an email address in the right format, like cme@council.gov.uk" in text
    assert "Enter when the team answers the telephone" in text
    assert 'value="not an email"' in text
    assert council_contact().from_settings


@pytest.mark.parametrize("who", ["officer", "paews", "school_a", "agency", "otherla", "admin"])
def test_only_managers_change_them(world: World, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    assert client.get(reverse("core:contact-details")).status_code == 403
    assert client.post(reverse("core:contact-details"), GOOD).status_code == 403
    assert council_contact().from_settings


@pytest.mark.parametrize("who", ["officer", "paews", "school_a", "agency", "otherla", "admin"])
def test_the_reference_data_index_is_for_managers(world: World, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    assert client.get(reverse("oversight:reference-data")).status_code == 403
    text = _manager(world).get(reverse("oversight:reference-data")).content.decode()
    for url in ("schools:paews", "accounts:agencies", "accounts:key-work", "core:contact-details"):
        assert reverse(url) in text
