"""Search before create: a referral is compared with the children the register knows."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from factories import ChildFactory, ClosedCaseFactory, OpenCaseFactory, ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import Case, CaseEvent
from cme.matching.sources import clear_cache
from cme.people.models import Address
from cme.referrals.models import ReferralStatus

if TYPE_CHECKING:
    from conftest import World


def _referral(**described: str):
    base = {
        "forename": "Alfie",
        "surname": "Brennan",
        "date_of_birth": "2014-03-09",
        "sex": "M",
        "postcode": "L8 1AB",
        "address_line_1": "2 New Street",
    }
    return ReferralFactory.create(described={**base, **described})


def _officer(world: World) -> Client:
    clear_cache()
    client = Client()
    client.force_login(world.users["officer"])
    return client


def test_a_known_child_is_offered_with_reasons(world: World) -> None:
    child = ChildFactory.create(
        forename="Alfred", surname="Brennan", date_of_birth=date(2014, 3, 9)
    )
    OpenCaseFactory.create(child=child)
    referral = _referral()
    page = _officer(world).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Alfred Brennan" in page
    assert "known short form" in page  # the reason, in words
    assert "None of these: open a case for a new child" in page
    # Showing a child as a possible match is a read of their record.
    assert AuditEvent.objects.filter(verb=Verb.SEARCH, child_id=child.pk).exists()


def test_a_duplicate_referral_joins_the_childs_open_case(world: World) -> None:
    child = ChildFactory.create(
        forename="Alfred", surname="Brennan", date_of_birth=date(2014, 3, 9)
    )
    case = OpenCaseFactory.create(child=child)
    referral = _referral()
    response = _officer(world).post(
        reverse("referrals:open-case", args=[referral.pk]), {"child": child.pk}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ATTACHED and referral.case == case
    assert Case.objects.filter(child=child).count() == 1


def test_linking_can_take_the_new_address_and_keeps_the_old(world: World) -> None:
    child = ChildFactory.create(forename="Alfie", surname="Brennan", date_of_birth=date(2014, 3, 9))
    Address.objects.create(
        child=child, line_1="1 Old Road", postcode="L4 4AA", lived_from=date(2020, 1, 1)
    )
    ClosedCaseFactory.create(child=child, opened_on=date(2023, 1, 1), closed_on=date(2023, 6, 1))
    referral = _referral(surname="Kowalski")
    _officer(world).post(
        reverse("referrals:open-case", args=[referral.pk]),
        {"child": child.pk, "take_details": "yes"},
    )
    child.refresh_from_db()
    assert child.surname == "Kowalski"
    assert child.former_names.get().surname == "Brennan"
    addresses = {a.postcode: a.lived_until for a in child.addresses.all()}
    assert addresses["L8 1AB"] is None and addresses["L4 4AA"] is not None
    new_case = Case.objects.get(child=child, status="referred")
    assert "already known" in CaseEvent.objects.get(case=new_case, kind="opened").text


def test_confirming_a_new_child_is_recorded(world: World) -> None:
    ChildFactory.create(forename="Alfred", surname="Brennan", date_of_birth=date(2014, 3, 9))
    referral = _referral(forename="Alfie")
    _officer(world).post(reverse("referrals:open-case", args=[referral.pk]), {"matches_shown": "1"})
    referral.refresh_from_db()
    assert referral.child.forename == "Alfie"
    event = CaseEvent.objects.get(case=referral.case, kind="opened")
    assert "checked 1 possible match" in event.text


def test_only_the_cme_team_sees_possible_matches(world: World) -> None:
    ChildFactory.create(forename="Alfred", surname="Brennan", date_of_birth=date(2014, 3, 9))
    referral = _referral()
    referral.recorded_by = world.users["school_a"]
    referral.save()
    client = Client()
    client.force_login(world.users["school_a"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Alfred" not in page and "Triage" not in page
