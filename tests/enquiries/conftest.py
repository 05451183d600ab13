"""Helpers for the enquiry tests: schools with and without accounts, and a quick send."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from factories import EstablishmentFactory, OrganisationFactory

from cme.accounts.models import Organisation, OrganisationKind
from cme.enquiries.models import Enquiry, Kind
from cme.enquiries.services import Recipient, enquiry_send
from cme.schools.models import Establishment

if TYPE_CHECKING:
    from conftest import World


@pytest.fixture
def no_account_school(db: None) -> Establishment:
    """A school of the authority whose staff have no account in the register."""
    return EstablishmentFactory.create(name="Fictional Lane Primary", postcode="L8 1AA")


@pytest.fixture
def sefton(world: World) -> Organisation:
    """Another council with accounts here (the world's other-LA user works there)."""
    council = Organisation.objects.get(name="Sefton Council")
    council.la_code = "343"
    council.save(update_fields=["la_code"])
    return council


@pytest.fixture
def wirral(db: None) -> Organisation:
    return OrganisationFactory.create(
        name="Wirral Council", kind=OrganisationKind.OTHER_LA, la_code="344"
    )


def send(world: World, kind: str = Kind.CME3A, *, case: Any = None, **recipient: Any) -> Enquiry:
    """One enquiry from the officer on case A (to school A by default)."""
    if kind == Kind.CME3A and not recipient:
        recipient = {"school": world.school_a}
    return enquiry_send(
        case=case or world.case_at_a,
        kind=kind,
        recipients=[Recipient(**recipient)],
        by=world.users["officer"],
    )[0]
