"""Pages make a fixed number of queries, however many rows the register holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import ChildFactory, OpenCaseFactory, ReferralFactory

from cme.cases.models import CaseEvent, CaseEventKind
from cme.people.models import Address, Carer, RiskFactor

if TYPE_CHECKING:
    from conftest import World


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(world: World, n: int) -> None:
    factors = list(RiskFactor.objects.all()[:3])
    for _ in range(n):
        case = OpenCaseFactory.create(school=world.school_a, key_worker=world.users["keyworker"])
        case.child.risk_factors.add(*factors)
        Address.objects.create(child=case.child, line_1="1 Fictional Road", postcode="L1 1AA")
        Carer.objects.create(child=case.child, name="A Carer")
        ReferralFactory.create(case=case, child=case.child, status="accepted")
        CaseEvent.objects.create(
            case=case, kind=CaseEventKind.NOTE, at=case.created_at, by=world.users["officer"]
        )


def test_register_queries_do_not_grow_with_rows(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    url = reverse("cases:register")
    search = {"school": world.school_a.pk, "risk": "homeless", "q": "Test"}
    filtered = client.post(url, search)["Location"]
    small, small_filtered = _queries(client, url), _queries(client, filtered)
    _grow(world, 30)
    assert _queries(client, url) == small
    assert _queries(client, filtered) == small_filtered
    assert small <= 12


def test_case_page_queries_do_not_grow_with_its_history(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    case = world.case_at_a
    url = reverse("cases:detail", args=[case.pk])
    before = _queries(client, url)
    for n in range(10):
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.NOTE,
            at=case.created_at,
            text=str(n),
            by=world.users["officer"],
        )
        ReferralFactory.create(case=case, child=case.child, status="attached")
        Address.objects.create(child=case.child, line_1=f"{n} Fictional Road")
    case.child.risk_factors.add(*RiskFactor.objects.all()[:5])
    assert _queries(client, url) == before
    # 17 since the case page gained its enquiries and audit-trail sections (PostgreSQL counts
    # one more than SQLite here); what matters is that history does not add to it (above).
    assert before <= 17


def test_child_page_queries_do_not_grow(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    child = ChildFactory.create()
    OpenCaseFactory.create(child=child)
    url = reverse("people:detail", args=[child.pk])
    before = _queries(client, url)
    for n in range(5):
        Address.objects.create(child=child, line_1=f"{n} Fictional Road")
        Carer.objects.create(child=child, name=f"Carer {n}")
    assert _queries(client, url) == before
