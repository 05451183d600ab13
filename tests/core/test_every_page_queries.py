"""Every page a role opens (issue 16, item 1) makes a fixed number of queries, however many
cases, children and due dates the register holds: each is counted on a small register and
again after it grew, and pinned. `make bench` times the same pages (bench/register.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import OpenCaseFactory, ReferralFactory

from cme.cases.models import CaseEvent, CaseEventKind
from cme.checklist.models import Checklist
from cme.people.models import Address, Carer, RiskFactor
from cme.roll.models import DeletionReturn, ReinstatementDirection

if TYPE_CHECKING:
    from conftest import World

MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))

# (who, address, most queries): the counts on PostgreSQL, which makes one more than SQLite on
# most pages. A page that needs more says why in its commit.
PAGES: dict[str, tuple[str, Callable[[World], str], int]] = {
    "home, CME officer": ("officer", lambda w: reverse("worklist:home"), 22),
    "home, CME manager": ("manager", lambda w: reverse("worklist:home"), 22),
    "home, key worker": ("keyworker", lambda w: reverse("worklist:home"), 12),
    "home, PAEWS officer": ("paews", lambda w: reverse("worklist:home"), 15),
    "home, school": ("school_a", lambda w: reverse("worklist:home"), 16),
    "home, partner agency": ("agency", lambda w: reverse("worklist:home"), 10),
    "home, another council": ("otherla", lambda w: reverse("worklist:home"), 5),
    "queue, overdue": ("officer", lambda w: reverse("worklist:queue", args=["overdue"]), 6),
    "queue, due soon": ("keyworker", lambda w: reverse("worklist:queue", args=["due_soon"]), 6),
    "referrals made": ("agency", lambda w: reverse("worklist:referrals-made"), 9),
    "register": ("officer", lambda w: reverse("cases:register"), 11),
    "register, deep page": ("officer", lambda w: reverse("cases:register") + "?page=2", 11),
    "register, every filter": (
        "officer",
        lambda w: (
            reverse("cases:register")
            + f"?status=all&school={w.school_a.pk}&key_worker={w.users['keyworker'].pk}"
            + "&risk=homeless&min_age=5&max_age=16&q=Test"
        ),
        11,
    ),
    "register, name search": ("officer", lambda w: reverse("cases:register") + "?q=Te", 11),
    "register, school": ("school_a", lambda w: reverse("cases:register"), 11),
    "case": ("officer", lambda w: reverse("cases:detail", args=[w.case_at_a.pk]), 18),
    "child": ("officer", lambda w: reverse("people:detail", args=[w.case_at_a.child_id]), 15),
    "checks": ("officer", lambda w: reverse("checks:case", args=[w.case_at_a.pk]), 16),
    "plan": ("keyworker", lambda w: reverse("plans:plan", args=[w.case_at_a.pk]), 23),
    "enquiries on a case": (
        "officer",
        lambda w: reverse("enquiries:case", args=[w.case_at_a.pk]),
        9,
    ),
    "enquiries inbox": ("school_a", lambda w: reverse("enquiries:inbox"), 4),
    "transfers": ("school_a", lambda w: reverse("transfers:overview"), 5),
    "referral form": ("officer", lambda w: reverse("referrals:new"), 3),
    "public form": ("", lambda w: reverse("public_referral:start"), 0),
    "reports": ("manager", lambda w: reverse("reports:index"), 2),
    "audit trail": ("manager", lambda w: reverse("oversight:audit"), 7),
    "home education register": ("officer", lambda w: reverse("checks:home-education"), 3),
    "school returns": ("school_a", lambda w: reverse("school-returns:list"), 9),
    "watch list": ("officer", lambda w: reverse("watch:list"), 5),
    "new pupil matches": ("officer", lambda w: reverse("watch:matches"), 3),
    "enquiries from other councils": ("officer", lambda w: reverse("enquiries:incoming"), 4),
    "provision on a case": (
        "officer",
        lambda w: reverse("provision:case", args=[w.case_at_a.pk]),
        8,
    ),
    "reports pack": ("manager", lambda w: reverse("reports:pack"), 41),
    "CME1 checklists, school": ("school_a", lambda w: reverse("checklist:list"), 8),
    "CME1 checklists, CME officer": ("officer", lambda w: reverse("checklist:list"), 8),
    "CME1 checklist": (
        "school_a",
        lambda w: reverse("checklist:detail", args=[_checklist(w).pk]),
        12,
    ),
    "children not in school": ("manager", lambda w: reverse("reports:not-in-school"), 18),
}


def _checklist(world: World) -> Checklist:
    """A school's CME1 with every step recorded, waiting to be sent (the fullest page)."""
    from cme.checklist import services
    from cme.rules.cme1 import STEPS

    made = services.checklist_open(
        by=world.users["school_a"],
        pupil={"forename": "Evie", "surname": "Test", "date_of_birth": date(2015, 3, 31)},
        first_day_absent=date(2025, 10, 1),
    )
    for step in STEPS:
        services.checklist_step_add(
            checklist=made, by=world.users["school_a"], kind=step.key, done_on=date(2025, 10, 1),
            party="joint", done_by="Sam Jones", outcome="No answer",
        )  # fmt: skip
    return made


def _direction(world: World) -> ReinstatementDirection:
    """A deletion school A made that the council answered with a reinstatement direction."""
    deletion = DeletionReturn.objects.create(
        school=world.school_a,
        channel="web",
        received_at=MONDAY,
        surname="Fictional",
        deleted_on=date(2025, 10, 31),
        ground="9(1)(i)",
        lawfulness="unlawful",
        reasons=[{"text": "No record of enquiries by the LA.", "cites": "reg 9(1)(i)"}],
        action="Check the school confirms",
    )
    return ReinstatementDirection.objects.create(
        deletion_return=deletion,
        school=world.school_a,
        issued_at=MONDAY,
        regulation="reg 9(1)(i)",
        reasons=deletion.reasons,
    )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _grow(world: World, n: int) -> None:
    factors = list(RiskFactor.objects.all()[:3])
    for k in range(n):
        case = OpenCaseFactory.create(
            school=world.school_a if k % 2 else world.school_b,
            key_worker=world.users["keyworker"],
            paews_officer=world.users["paews"],
            opened_on=date(2025, 9, 1),
            first_day_absent=date(2025, 10, 1),
        )
        case.child.risk_factors.add(*factors)
        Address.objects.create(child=case.child, line_1="1 Fictional Road", postcode="L1 1AA")
        Carer.objects.create(child=case.child, name="A Carer")
        ReferralFactory.create(
            case=case,
            child=case.child,
            status="accepted",
            recorded_by=world.users["agency"],
            referring_organisation=world.users["agency"].organisation,
        )
        ReferralFactory.create(recorded_by=world.users["officer"])  # one waiting for triage
        CaseEvent.objects.create(
            case=case, kind=CaseEventKind.NOTE, at=case.created_at, by=world.users["officer"]
        )


@pytest.mark.parametrize("page", list(PAGES))
@time_machine.travel(MONDAY, tick=False)
def test_every_page_makes_the_same_queries_however_large_the_register(
    world: World, term_dates: None, page: str
) -> None:
    who, address, cap = PAGES[page]
    client = Client()
    if who:
        client.force_login(world.users[who])
    _grow(world, 3)
    url = address(world)
    small = _queries(client, url)
    _grow(world, 60)
    assert _queries(client, url) == small
    assert small <= cap


# The schools' letters and returns, counted as the returns grow (a deletion answered with a
# reinstatement direction for each case the register grows by).
ROLL_PAGES: dict[str, tuple[str, Callable[[World], str], int]] = {
    "reinstatement directions": ("officer", lambda w: reverse("reinstatements:queue"), 7),
    "reinstatement direction, school": (
        "school_a",
        lambda w: reverse("reinstatements:detail", args=[_direction(w).pk]),
        8,
    ),
    "school returns, with directions": ("school_a", lambda w: reverse("school-returns:list"), 12),
}


@pytest.mark.parametrize("page", list(ROLL_PAGES))
@time_machine.travel(MONDAY, tick=False)
def test_the_roll_pages_make_the_same_queries_however_many_returns(
    world: World, term_dates: None, page: str
) -> None:
    who, address, cap = ROLL_PAGES[page]
    client = Client()
    client.force_login(world.users[who])
    for _ in range(3):
        _direction(world)
    url = address(world)
    small = _queries(client, url)
    for _ in range(40):
        _direction(world)
    assert _queries(client, url) == small
    assert small <= cap
