"""Search before create looks at the referrals received in the last days too: the same child
described in the same words, a minute earlier, is named as a likely duplicate."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import time_machine
from django.test import Client
from django.urls import reverse
from factories import OpenCaseFactory, ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.matching.sources import clear_cache
from cme.referrals.known_children import recent_same_referrals
from cme.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from conftest import World

MAISIE = {
    "forename": "Maisie",
    "surname": "Fictional",
    "date_of_birth": "2015-08-31",
    "sex": "F",
    "postcode": "L1 1JQ",
    "address_line_1": "12 Made Up Street",
}
NOON = datetime(2026, 11, 30, 12, 0).astimezone()


def _at(moment: datetime, **fields: Any) -> Referral:
    with time_machine.travel(moment, tick=False):
        return ReferralFactory.create(received_on=moment.date(), **fields)


def _triage(world: World, referral: Referral) -> str:
    clear_cache()
    client = Client()
    client.force_login(world.users["officer"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    return re.sub(r"\s+", " ", page.replace("\xa0", " "))


def _link(referral: Referral) -> str:
    return f'<a class="govuk-link" href="{reverse("referrals:detail", args=[referral.pk])}">'


def test_the_same_referral_sent_a_minute_earlier_is_a_likely_duplicate(world: World) -> None:
    first = _at(NOON, described=MAISIE, referrer_name="A Neighbour")
    second = _at(NOON + timedelta(seconds=50), described=dict(MAISIE))
    page = _triage(world, second)
    assert f"Likely duplicate: referral {_link(first)}{first.reference}</a>" in page
    assert "describes the child in exactly the same words" in page
    assert "sent less than a minute before this one, by A Neighbour (Telephone)" in page
    assert "waiting for triage" in page
    assert "close this one as not a CME case" in page
    # Named once, as a duplicate, not again among the possible matches.
    assert page.count(first.reference) == 1
    # And the first one, triaged, names the second as sent after it.
    assert "less than a minute after this one" in _triage(world, first)
    # Showing it is a read of that referral.
    assert AuditEvent.objects.filter(
        verb=Verb.SEARCH, subject_type="referral", subject_id=first.pk
    ).exists()


def test_typing_differences_do_not_hide_a_duplicate(world: World) -> None:
    first = _at(NOON, described=MAISIE)
    typed = {
        **MAISIE,
        "forename": " maisie ",
        "surname": "FICTIONAL",
        "postcode": "l11jq",
        "address_line_1": "12 made up street",
    }
    second = _at(NOON + timedelta(hours=3), described=typed)
    found = recent_same_referrals(second)
    assert [s.referral for s in found] == [first]
    assert found[0].earlier and found[0].gap == "3\xa0hours"


def test_a_different_detail_is_not_the_same_referral(world: World) -> None:
    _at(NOON, described=MAISIE)
    for changed in (
        {"date_of_birth": "2015-08-30"},
        {"forename": "Daisy"},
        {"postcode": "L8 1AB"},
        {"upn": "P207000016049"},
    ):
        other = _at(NOON + timedelta(minutes=1), described={**MAISIE, **changed})
        assert recent_same_referrals(other) == [], changed
        other.delete()


def test_only_referrals_received_within_the_days_set_are_looked_at(
    world: World, settings: Any
) -> None:
    settings.CME_RECENT_REFERRAL_DAYS = 7
    old = _at(NOON - timedelta(days=8), described=MAISIE)
    recent = _at(NOON - timedelta(days=7), described=MAISIE)
    now = _at(NOON, described=MAISIE)
    assert [s.referral for s in recent_same_referrals(now)] == [recent]
    page = _triage(world, now)
    assert "the referrals received within 7 days of this one" in page
    assert recent.reference in page and "Likely duplicate" in page
    assert f"Likely duplicate: referral {_link(old)}" not in page
    assert "CME_RECENT_REFERRAL_DAYS" not in page


def test_a_duplicate_already_on_a_case_points_to_choosing_the_child(world: World) -> None:
    case = OpenCaseFactory.create()
    _at(
        NOON,
        described=MAISIE,
        status=ReferralStatus.ACCEPTED,
        case=case,
        child=case.child,
    )
    second = _at(NOON + timedelta(minutes=2), described=MAISIE)
    page = _triage(world, second)
    assert "is case opened." in page
    assert "choose them below to add this referral to their case" in page


def test_a_referral_with_no_name_has_nothing_to_compare(world: World) -> None:
    _at(NOON, described={"postcode": "L1 1JQ"})
    second = _at(NOON, described={"postcode": "L1 1JQ"})
    assert recent_same_referrals(second) == []
