"""The retention job removes a child's transfer duties and CTF files with the child."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from factories import ClosedCaseFactory
from transfer_files import BEFORE_HALF_TERM, ctf_for

from cme.people.models import Child, StoredCtf
from cme.records.retention import retention_apply
from cme.transfers.models import DestinationKind, Transfer
from cme.transfers.services import transfer_open, transfer_upload_file

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def test_removed_with_the_child(world: World, term_dates) -> None:
    case = ClosedCaseFactory.create(school=world.school_a, opened_on=date(2025, 10, 1))
    child = case.child
    child.date_of_birth = date(1990, 1, 1)
    child.save()
    transfer = transfer_open(
        child=child,
        case=case,
        from_school=world.school_a,
        left_on=BEFORE_HALF_TERM,
        destination_kind=DestinationKind.UNKNOWN,
        by=world.users["officer"],
    )
    data = ctf_for(child, source=world.school_a.laestab, to="XXXXXXX")
    transfer_upload_file(transfer=transfer, data=data, name="f.xml", by=world.users["school_a"])
    kept = world.case_at_a.child
    assert retention_apply(today=date(2026, 12, 2)).removed == 1
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not Transfer.objects.exists() and not StoredCtf.objects.exists()
    assert Child.objects.filter(pk=kept.pk).exists()
