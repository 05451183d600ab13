"""Who reaches the transfer pages, and what the pages do, with the audit events they write."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from transfer_files import BEFORE_HALF_TERM

from cme.audit.models import AuditEvent, Verb
from cme.transfers.models import DestinationKind, Transfer, TransferStatus
from cme.transfers.services import transfer_open

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def duty(world: World, term_dates):
    return transfer_open(
        child=world.case_at_a.child,
        case=world.case_at_a,
        from_school=world.school_a,
        left_on=BEFORE_HALF_TERM,
        destination_kind=DestinationKind.UNKNOWN,
        by=world.users["officer"],
    )


@pytest.mark.parametrize(
    ("role", "overview", "detail"),
    [
        ("officer", 200, 200),
        ("manager", 200, 200),
        ("school_a", 200, 200),
        ("school_b", 200, 404),
        ("paews", 403, 403),
        ("keyworker", 403, 403),
        ("agency", 403, 403),
        ("otherla", 403, 403),
        ("admin", 403, 403),
    ],
)
def test_role_reach(client, world: World, duty, role, overview, detail) -> None:
    client.force_login(world.users[role])
    assert client.get(reverse("transfers:overview")).status_code == overview
    assert client.get(reverse("transfers:detail", args=[duty.pk])).status_code == detail


def test_school_b_sees_none_of_school_as_duties(client, world: World, duty) -> None:
    client.force_login(world.users["school_b"])
    page = client.get(reverse("transfers:overview")).content.decode()
    assert duty.child.surname not in page
    client.force_login(world.users["school_a"])
    page = client.get(reverse("transfers:overview")).content.decode()
    assert duty.child.surname in page


def test_overview_shows_overdue_by_school_and_audits_the_list(client, world: World, duty) -> None:
    client.force_login(world.users["officer"])
    page = client.get(reverse("transfers:overview")).content.decode()
    assert world.school_a.name in page
    assert "Overdue" in page  # due 14 November 2025, long past
    assert AuditEvent.objects.filter(
        verb=Verb.LIST, subject_type="transfer", subject_id=duty.pk, child_id=duty.child_id
    ).exists()


def test_school_marks_sent_and_officer_confirms_through_the_pages(
    client, world: World, duty
) -> None:
    client.force_login(world.users["school_a"])
    bad = client.post(
        reverse("transfers:mark-sent", args=[duty.pk]),
        {"sent_on_0": "31", "sent_on_1": "2", "sent_on_2": "2025"},
    )
    assert bad.status_code == 400
    assert "real date" in bad.content.decode()
    response = client.post(
        reverse("transfers:mark-sent", args=[duty.pk]),
        {"sent_on_0": "3", "sent_on_1": "11", "sent_on_2": "2025"},
    )
    assert response.status_code == 302
    assert client.post(reverse("transfers:confirm", args=[duty.pk])).status_code == 403
    client.force_login(world.users["officer"])
    client.post(reverse("transfers:confirm", args=[duty.pk]))
    duty.refresh_from_db()
    assert duty.status == TransferStatus.CONFIRMED


def test_officer_records_leaving_from_the_case(client, world: World, term_dates) -> None:
    url = reverse("transfers:left-roll", args=[world.case_at_a.pk])
    client.force_login(world.users["school_a"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["officer"])
    assert world.school_a.laestab in client.get(url).content.decode()
    form = {
        "from_school_laestab": world.school_a.laestab,
        "left_on_0": "17",
        "left_on_1": "10",
        "left_on_2": "2025",
        "destination_kind": "school_in_england",
        "destination_laestab": "3419999",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "3419999 is not a school" in refused.content.decode()
    assert not Transfer.objects.exists()
    response = client.post(
        url, form | {"destination_kind": "independent", "destination_laestab": ""}
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.destination == "MMMMMMM"
    assert transfer.due_on == date(2025, 11, 14)


def test_the_file_is_for_the_cme_team_only_and_every_read_audited(
    client, world: World, duty
) -> None:
    from transfer_files import ctf_for

    from cme.transfers.services import transfer_upload_file

    data = ctf_for(duty.child, source=world.school_a.laestab, to="XXXXXXX")
    transfer_upload_file(transfer=duty, data=data, name="f.xml", by=world.users["school_a"])
    url = reverse("transfers:file", args=[duty.pk])
    client.force_login(world.users["school_a"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["officer"])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == data
    assert "attachment" in response["Content-Disposition"]
    read = AuditEvent.objects.filter(verb=Verb.EXPORT, subject_type="storedctf")
    assert read.count() == 1 and read.get().child_id == duty.child_id


def test_child_page_download_for_the_cme_team(client, world: World) -> None:
    child = world.case_at_a.child
    url = reverse("transfers:child-export", args=[child.pk])
    for role in ("school_a", "keyworker", "admin"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 403
    client.force_login(world.users["officer"])
    assert (
        "Download a Common Transfer File"
        in client.get(reverse("people:detail", args=[child.pk])).content.decode()
    )
    bad = client.post(url, {"to": "12"})
    assert bad.status_code == 400
    response = client.post(url, {"to": "XXXXXXX"})
    assert response.status_code == 200
    name = f"{world.school_a.laestab}_CTF_XXXXXXX_001.xml"
    assert f'filename="{name}"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        verb=Verb.EXPORT, subject_type="child", child_id=child.pk, details__file=name
    ).exists()
