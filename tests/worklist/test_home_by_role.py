"""Each role's home page holds exactly its sections (cme/worklist/role_home.py), and each
section shows only what that reader may know: every role against every part."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from factories import ClosedCaseFactory, ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import Outcome

if TYPE_CHECKING:
    from conftest import World

HEADINGS = {
    "triage": "Referrals waiting for triage",
    "queue": "Overdue",
    "caseload": "Your caseload",
    "pupils": "Your pupils on the register",
    "referrals_made": "Referrals you made",
    "school_duties": "What you need to do",
    "enquiries": "Enquiries for you to answer",
    "paews_contact": "If a child is on your roll but not attending",
    "paews_schools": "Your schools",
    "oversight": "Oversight",
}
HAS = {
    "officer": {"triage", "queue"},
    "manager": {"triage", "queue", "oversight"},
    "paews": {"queue", "caseload", "paews_schools"},
    "paews_other": {"queue", "caseload", "paews_schools"},
    "keyworker": {"queue", "caseload"},
    "keyworker_other": {"queue", "caseload"},
    "school_a": {"pupils", "referrals_made", "school_duties", "enquiries", "paews_contact"},
    "school_b": {"pupils", "referrals_made", "school_duties", "enquiries", "paews_contact"},
    "agency": {"referrals_made", "enquiries"},
    "agency_other": {"referrals_made", "enquiries"},
    "otherla": {"referrals_made", "enquiries"},
    "admin": set(),
}


@pytest.fixture
def homes(world: World) -> World:
    """The world, plus: school A referred a child (case now closed, on roll) and another
    (declined); another council referred one still waiting; school A's PAEWS officer."""
    school_a_org = world.users["school_a"].organisation
    closed = ClosedCaseFactory.create(outcome=Outcome.ON_ROLL)
    ReferralFactory.create(
        reference="CME-A-0001", referring_organisation=school_a_org, case=closed,
        child=closed.child, status="accepted",
        described={"forename": "Mia", "surname": "Closedcase"},
    )  # fmt: skip
    ReferralFactory.create(
        reference="CME-A-0002", referring_organisation=school_a_org, status="declined",
        described={"forename": "Leo", "surname": "Declined"}, decided_at=timezone.now(),
        decision_note="On roll at another school",
    )  # fmt: skip
    ReferralFactory.create(
        reference="CME-LA-0001", referring_organisation=world.users["otherla"].organisation,
        described={"forename": "Ada", "surname": "Waiting"},
    )  # fmt: skip
    world.school_a.paews_officer = world.users["paews"]
    world.school_a.save()
    return world


def _home(world: World, who: str) -> str:
    client = Client()
    client.force_login(world.users[who])
    response = client.get(reverse("worklist:home"))
    assert response.status_code == 200
    return response.content.decode()


def _headings(text: str) -> set[str]:
    found = set(re.findall(r'<h2 class="govuk-heading-[ms][^"]*">([^<]+)</h2>', text))
    return {key for key, heading in HEADINGS.items() if heading in found}


@pytest.mark.parametrize("who", sorted(HAS))
def test_each_role_gets_exactly_its_sections(homes: World, who: str) -> None:
    text = _home(homes, who)
    shown = _headings(text)
    # A CME officer's caseload shows only if a case names them (none does here).
    assert shown == HAS[who]


@pytest.mark.parametrize("who", sorted(HAS))
def test_what_each_role_is_told_about_each_child(homes: World, who: str) -> None:
    text = _home(homes, who)
    child_a = homes.case_at_a.child
    child_b = homes.case_at_b.child
    child_agency = homes.case_referred_by_agency.child
    names = {
        "a": child_a.surname.upper(),
        "b": child_b.surname.upper(),
    }
    pupils_part = (
        text.split("Your pupils on the register")[1].split("<h2")[0]
        if ("pupils" in HAS[who])
        else ""
    )
    # A school sees its own pupils only, in the register's words.
    assert (names["a"] in pupils_part) == (who == "school_a")
    assert (names["b"] in pupils_part) == (who == "school_b")
    assert child_agency.surname.upper() not in pupils_part
    # The referrals each organisation made, no one else's.
    assert ("CME-A-0001" in text) == (who == "school_a")
    assert ("CME-A-0002" in text) == (who == "school_a")
    assert ("CME-LA-0001" in text) == (who in {"otherla", "officer", "manager"})
    police = homes.case_referred_by_agency.referrals.get().reference
    assert (f">{police}<" in text) == (who == "agency")


def test_a_school_reads_the_outcome_of_its_referrals_in_words(homes: World) -> None:
    text = _home(homes, "school_a")
    assert "Case closed: Found on a school roll" in text
    assert "Not a CME case: see the referral for why" in text
    assert "Mia Closedcase" in text and "Leo Declined" in text
    # Its PAEWS officer, by name (policy FAQ 5).
    paews = homes.users["paews"]
    assert paews.get_full_name() in text
    # Nothing about a caseload it never has.
    assert "Your caseload" not in text and ">Overdue<" not in text


def test_an_agency_and_another_council_read_their_outcomes(homes: World) -> None:
    agency = _home(homes, "agency")
    status = homes.case_referred_by_agency.get_status_display()
    assert f"Case open: {status}" in agency
    otherla = _home(homes, "otherla")
    assert "Received: the CME team will look at it" in otherla
    assert "Ada Waiting" in otherla
    for text in (agency, otherla):
        assert "Your caseload" not in text and ">Overdue<" not in text
    assert "You have not made any referrals yet" in _home(homes, "agency_other")


def test_a_school_with_no_paews_officer_is_told_whom_to_ask(homes: World) -> None:
    text = _home(homes, "school_b")
    assert "has no PAEWS officer named on the register yet" in text


def test_a_paews_officer_sees_the_schools_they_cover(homes: World) -> None:
    assert homes.school_a.name in _home(homes, "paews")
    assert "No school names you as its PAEWS officer yet" in _home(homes, "paews_other")


def test_the_childrens_names_on_a_home_page_are_audited_as_listed(homes: World) -> None:
    _home(homes, "school_a")
    listed = set(
        AuditEvent.objects.filter(actor=homes.users["school_a"], verb=Verb.LIST).values_list(
            "subject_type", "child_id"
        )
    )
    assert ("case", homes.case_at_a.child_id) in listed
    closed = homes.users["school_a"].organisation
    assert closed is not None
    made = ReferralFactory._meta.model.objects.filter(referring_organisation=closed)
    for referral in made:
        assert ("referral", referral.child_id) in listed


@pytest.mark.parametrize("who", sorted(HAS))
def test_the_list_of_referrals_made_is_for_referrers(homes: World, who: str) -> None:
    client = Client()
    client.force_login(homes.users[who])
    response = client.get(reverse("worklist:referrals-made"))
    assert response.status_code == (200 if "referrals_made" in HAS[who] else 403)
    if who == "school_a":
        text = response.content.decode()
        assert "CME-A-0001" in text and "CME-LA-0001" not in text
