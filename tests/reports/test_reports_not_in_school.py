"""The children not in school register (EA 1996 s.436B, not yet in force), from the hand-built
authority (conftest.py) on 20 October 2025: who is on it and why, the fields the Act names
held where the register has them and blank where not, the marking as not in force, paging,
and a `list` audit event for each child's records shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from factories import EstablishmentFactory, UserFactory
from reports.conftest import IP, TODAY, Authority, R, make_case, make_ehe

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import Case
from cme.checks.models import HomeEducatedChild, Suitability
from cme.people.models import Address, Carer, Sex
from cme.provision.models import Placement, PlacementState, ProviderKind
from cme.reports.not_in_school import Line, register_page
from cme.rules.not_in_school import FIELDS, Why

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

URL = "/reports/not-in-school/"
NOT_HELD = ("educating_parents", "time_with_parents", "time_with_others", "provider_time")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@dataclass
class Known:
    authority: Authority
    at_school: Case  # in provision at a school: on a roll, not listed
    x: HomeEducatedChild  # home educated, linked to no register child
    z: HomeEducatedChild  # home educated from 10 October 2025
    a_entry: HomeEducatedChild  # A's own entry: part of A's line
    ended: HomeEducatedChild  # ended before today
    too_old: HomeEducatedChild  # 16 in March 2025: past compulsory school age


def _placement(case: Case, kind: str, started: date, school=None) -> Placement:
    return Placement.objects.create(
        case=case,
        provider_kind=kind,
        school=school,
        provider_name=school.name if school else "City tuition service",
        offered_on=started,
        start_on=started,
        watch_until=started,
        state=PlacementState.WATCHING,
        recorded_by=UserFactory.create(),
    )


@pytest.fixture
def known(authority: Authority) -> Known:
    # On 20 October 2025 (A to H in conftest.py): A checking, B locating, C engaging (no date of
    # birth), G checking (opened 5 October), H checking again: missing education, listed.
    # D in provision: tuition the council arranged from 20 September, so listed as educated
    # otherwise. E closed: not listed. F is 3: not of compulsory school age, not listed.
    _placement(authority.d, ProviderKind.TUITION, date(2025, 9, 20))
    at_school = make_case(
        forename="K",
        sex=Sex.MALE,
        dob=date(2013, 3, 3),
        steps=[(R, date(2025, 9, 1)), (IP, date(2025, 9, 15))],
    )
    _placement(at_school, ProviderKind.SCHOOL, date(2025, 9, 15), EstablishmentFactory.create())
    b = authority.b.child
    b.ehcp, b.looked_after = True, True
    b.save()
    Address.objects.create(
        child=b, line_1="1 Old Road", town="Liverpool", lived_until=date(2025, 5, 1)
    )
    Address.objects.create(
        child=b,
        line_1="2 New Street",
        town="Liverpool",
        postcode="L1 1AA",
        lived_from=date(2025, 5, 2),
    )
    Carer.objects.create(child=b, name="Pat Parent", relationship="Mother", address="")
    Carer.objects.create(
        child=b,
        name="Sam Parent",
        relationship="Father",
        lives_with_child=False,
        address="9 Far Lane",
    )
    Carer.objects.create(child=b, name="Old Carer", ended_on=date(2025, 1, 1))
    Address.objects.create(child=authority.h.child, line_1="A refuge", do_not_share=True)
    return Known(
        authority=authority,
        at_school=at_school,
        x=make_ehe(
            forename="X",
            sex=Sex.FEMALE,
            dob=date(2012, 1, 1),
            started=date(2024, 1, 1),
            address="3 Home Road",
            postcode="L2 2BB",
        ),
        z=make_ehe(forename="Z", sex=Sex.UNKNOWN, dob=date(2014, 7, 7), started=date(2025, 10, 10)),
        a_entry=make_ehe(
            forename="A",
            sex=Sex.FEMALE,
            dob=authority.a.child.date_of_birth,
            started=date(2025, 9, 1),
            child=authority.a.child,
            suitability=Suitability.UNSUITABLE,
            suitability_judged_on=date(2025, 9, 20),
        ),
        ended=make_ehe(
            forename="Y",
            sex=Sex.MALE,
            dob=date(2016, 5, 5),
            started=date(2025, 9, 1),
            ended=date(2025, 9, 30),
        ),
        too_old=make_ehe(
            forename="W", sex=Sex.MALE, dob=date(2009, 3, 3), started=date(2025, 1, 1)
        ),
    )


def _by_name(known: Known) -> dict[str, Line]:
    _, lines = register_page(today=TODAY, page_number=1)
    return {line.name: line for line in lines}


def test_who_is_on_the_register_and_why(known: Known) -> None:
    au = known.authority
    _, lines = register_page(today=TODAY, page_number=1)
    listed = {line.child_id for line in lines if line.child_id}
    assert listed == {c.child_id for c in (au.a, au.b, au.c, au.d, au.g, au.h)}
    entries = [line for line in lines if line.child_id is None]
    assert [line.sources[0].entry_id for line in entries] == [known.x.pk, known.z.pk]
    # Ordered by surname: the two entries ("Educated") before the register's "Testchild"s.
    assert [line.name for line in lines[:2]] == ["EDUCATED, X", "EDUCATED, Z"]
    why = {line.child_id: [s.why for s in line.sources] for line in lines if line.child_id}
    # A is missing education and on the home education register (judged unsuitable): one line.
    assert why[au.a.child_id] == [Why.MISSING_EDUCATION, Why.HOME_EDUCATED]
    assert why[au.d.child_id] == [Why.EDUCATED_OTHERWISE]
    assert why[au.c.child_id] == [Why.MISSING_EDUCATION]
    a_line = next(line for line in lines if line.child_id == au.a.child_id)
    assert a_line.sources[1].detail == "Judged not suitable on 20 September 2025"
    d_line = next(line for line in lines if line.child_id == au.d.child_id)
    assert d_line.sources[0].since == date(2025, 9, 20)
    assert [(p.name, p.kind, p.started_on) for p in d_line.providers] == [
        ("City tuition service", "Tuition", date(2025, 9, 20))
    ]


def test_the_fields_held_and_the_ones_left_blank(known: Known) -> None:
    lines = _by_name(known)
    b = lines[f"{known.authority.b.child.surname.upper()}, B"]
    assert b.home_address == "2 New Street, Liverpool, L1 1AA"  # the current one
    # The mother lives with B and has no address of her own: B's. The ended carer is gone.
    assert b.parents is not None
    assert [(p.name, p.address) for p in b.parents] == [
        ("Pat Parent", "2 New Street, Liverpool, L1 1AA"),
        ("Sam Parent", "9 Far Lane"),
    ]
    assert (b.sen, b.care, b.sex) == ("EHC plan", "Looked after", "Male")
    x = lines["EDUCATED, X"]
    assert x.home_address == "3 Home Road, L2 2BB"
    assert x.parents is None  # the home education register holds no parents
    h = lines[f"{known.authority.h.child.surname.upper()}, H"]
    assert h.do_not_share and h.home_address == "A refuge"


def test_the_page_is_marked_not_in_force_and_leaves_unheld_fields_blank(
    client, world: World, known: Known
) -> None:
    client.force_login(world.users["manager"])
    page = client.get(URL).content.decode()
    assert "Not yet in force." in page
    assert "no start date has been set" in page
    # The eight above, and the three open cases of the signed-in world (tests/conftest.py).
    assert "<strong>11</strong> children not in school" in page
    labels = {f.key: f.label for f in FIELDS}
    for key in NOT_HELD:
        label = labels[key].replace("'", "&#x27;")
        # Blank on every one of the eleven lines, and said to be not held in the key.
        blanks = re.findall(
            re.escape(f'<dt class="govuk-summary-list__key">{label}</dt>')
            + r'\s*<dd class="govuk-summary-list__value"></dd>',
            page,
        )
        assert len(blanks) == 11, key
    assert page.count("Not held: blank for every child") == len(NOT_HELD)
    assert "Do not share" in page
    assert reverse("cases:detail", args=[known.authority.b.pk]) in page
    assert reverse("cases:detail", args=[known.authority.e.pk]) not in page
    assert reverse("cases:detail", args=[known.at_school.pk]) not in page
    assert "EDUCATED, Y" not in page and "EDUCATED, W" not in page
    # No download of children's details.
    assert ".csv" not in page


def test_each_record_shown_is_audited_as_a_list_and_the_run_as_a_report(
    client, world: World, known: Known
) -> None:
    au = known.authority
    client.force_login(world.users["manager"])
    client.get(URL)
    events = AuditEvent.objects.filter(verb=Verb.LIST, actor=world.users["manager"])
    cases = {(e.subject_id, e.child_id) for e in events.filter(subject_type="case")}
    world_cases = (world.case_at_a, world.case_at_b, world.case_referred_by_agency)
    shown = (au.a, au.b, au.c, au.d, au.g, au.h, *world_cases)
    assert cases == {(c.pk, c.child_id) for c in shown}
    entries = {(e.subject_id, e.child_id) for e in events.filter(subject_type="homeeducatedchild")}
    assert entries == {(known.x.pk, None), (known.z.pk, None), (known.a_entry.pk, au.a.child_id)}
    run = AuditEvent.objects.get(verb=Verb.REPORT_RUN)
    assert run.details == {"report": "not-in-school", "as_at": "2025-10-20", "page": 1}


@override_settings(CME_PAGE_SIZE=3)
def test_pages_hold_the_page_size_and_only_the_page_shown_is_audited(
    client, world: World, known: Known
) -> None:
    client.force_login(world.users["manager"])
    page = client.get(URL, {"page": 4}).content.decode()
    assert "Page 4 of 4" in page
    # Eleven lines (the world's three cases too), three a page: the last holds two children.
    assert page.count('class="govuk-summary-card"') == 2
    assert AuditEvent.objects.filter(verb=Verb.LIST).count() == 2
    assert AuditEvent.objects.get(verb=Verb.REPORT_RUN).details["page"] == 4


def test_the_reports_index_links_it_for_its_readers_only(client, world: World) -> None:
    for role, linked in (("manager", True), ("officer", False)):
        client.force_login(world.users[role])
        index = client.get(reverse("reports:index")).content.decode()
        assert (URL in index) == linked, role
