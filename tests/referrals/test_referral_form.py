"""The CME2 form: bad input gets a clear message by the field, keeps what was typed, saves none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.referrals.models import Referral, ReferralStatus, Route
from cme.referrals.services import new_submission_key

if TYPE_CHECKING:
    from conftest import World


def _post(client: Client, **overrides: str):
    today = timezone.localdate()
    data = {
        "route": Route.PHONE,
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
        "reason": "whereabouts_unknown",
        "forename": "Maisie",
        "surname": "Fictional",
        "date_of_birth_0": "31",
        "date_of_birth_1": "8",
        "date_of_birth_2": "2015",
        "sex": "F",
        "upn": "",
        "postcode": "L1 1JQ",
        "details": "Not seen since half term",
        "referrer_name": "A Neighbour",
        "submission_key": new_submission_key(),
    }
    data.update(overrides)
    return client.post(reverse("referrals:new"), data, follow=True)


def test_an_officer_records_a_phone_referral(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    response = _post(client)
    assert response.status_code == 200
    referral = Referral.objects.get(recorded_by=world.users["officer"])
    assert referral.reference.encode() in response.content
    assert referral.described["date_of_birth"] == "2015-08-31"
    assert (
        referral.status == ReferralStatus.RECEIVED
        and referral.recorded_by == world.users["officer"]
    )


def test_a_school_refers_as_itself(world: World) -> None:
    client = Client()
    client.force_login(world.users["school_a"])
    response = _post(client, route=Route.PHONE)
    assert response.status_code == 200
    referral = Referral.objects.get(recorded_by=world.users["school_a"])
    assert referral.route == Route.SCHOOL and referral.school == world.school_a
    assert referral.referring_organisation == world.users["school_a"].organisation


def test_bad_input_is_explained_and_kept_and_nothing_is_saved(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    before = Referral.objects.count()
    response = _post(
        client,
        date_of_birth_0="31",
        date_of_birth_1="2",
        date_of_birth_2="2015",
        postcode="NOTAPC",
        upn="A12345678901",
        forename="Jayden-Lee",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert Referral.objects.count() == before
    assert "There is a problem" in page
    assert "Date of birth must be a real date" in page
    assert "Enter a real postcode, like L1 1JQ" in page
    # What was typed is still there, wrong parts included.
    assert 'value="Jayden-Lee"' in page and 'value="NOTAPC"' in page
    assert 'name="date_of_birth_1" type="text" inputmode="numeric" value="2"' in page


def test_a_malformed_upn_is_refused_with_the_rule_that_failed(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    response = _post(client, upn="A341200101001")
    assert response.status_code == 400
    assert not Referral.objects.filter(recorded_by__isnull=False).exists()
    assert "check letter" in response.content.decode().lower()


def test_a_future_date_of_birth_and_receipt_are_refused(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    next_year = str(timezone.localdate().year + 1)
    page = _post(client, date_of_birth_2=next_year, received_on_2=next_year).content.decode()
    assert "Date of birth must be in the past" in page
    assert "The date received must be today or earlier" in page
    assert not Referral.objects.filter(recorded_by__isnull=False).exists()


def test_no_child_is_needed_but_a_name_is(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    page = _post(client, forename="", surname="").content.decode()
    assert "Enter the child&#x27;s first name or last name" in page
    assert not Referral.objects.filter(recorded_by__isnull=False).exists()


def test_a_child_outside_compulsory_school_age_is_accepted_but_flagged(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    three = timezone.localdate().year - 3
    response = _post(client, date_of_birth_2=str(three))
    page = response.content.decode()
    assert response.status_code == 200
    referral = Referral.objects.get(recorded_by=world.users["officer"])
    assert "Not yet of compulsory school age" in page
    assert "Education Act 1996 s.8" in referral.age_concern
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Not yet of compulsory school age" in detail


def test_a_child_of_compulsory_school_age_is_not_flagged(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    _post(client, date_of_birth_2=str(timezone.localdate().year - 10))
    assert Referral.objects.get(recorded_by=world.users["officer"]).age_concern == ""


def test_every_route_keeps_the_child_in_one_shape(world: World) -> None:
    from cme.referrals.description import describe_child
    from cme.referrals.public_forms import described_from

    staff = describe_child({"forename": "Evie", "surname": "Made-Up"})
    public = described_from({"child-name": {"first_name": "Evie", "last_name": "Made-Up"}})
    assert set(public) - set(staff) == {"approximate_age", "school_name"}
    assert {k: public[k] for k in staff} == staff
