"""Need to know for recipients: with every part of the child's record planted, a school, a
council and an agency each see, in the inbox, the API and the letter, only what they need to
search, as recipient_sees decides, and none of the rest of the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from factories import (
    ChildFactory,
    OpenCaseFactory,
    OrganisationFactory,
    ReferralFactory,
    SchoolOrganisationFactory,
    UserFactory,
)
from rest_framework.test import APIClient

from cme.accounts.models import OrganisationKind, Role
from cme.accounts.record_access import Reader
from cme.api.tokens import api_token_create
from cme.cases.models import CaseEvent, CaseEventKind, Flag, FlagKind, SharedWith
from cme.enquiries.models import AgencyArea, Kind
from cme.enquiries.services import Recipient, enquiry_send
from cme.enquiries.services.letters import letter_html, letter_template_for
from cme.people.models import Address, Carer, FormerName, RiskFactor

pytestmark = pytest.mark.django_db


@dataclass
class Planted:
    case: Any
    users: dict[Reader, Any]


@pytest.fixture
def planted(db: None) -> Planted:
    """One case with a distinctive string in every part of the record (as the parts matrix)."""
    school_org = SchoolOrganisationFactory.create(name="Planted school staff")
    police = OrganisationFactory.create(name="Police", kind=OrganisationKind.AGENCY)
    sefton = OrganisationFactory.create(name="Sefton", kind=OrganisationKind.OTHER_LA)
    officer = UserFactory.create(role=Role.CME_OFFICER)
    key_worker = UserFactory.create(
        role=Role.KEY_WORKER,
        last_name="Plantedkeyworker",
        organisation=OrganisationFactory.create(
            kind=OrganisationKind.AGENCY, approved_for_key_work=True
        ),
    )
    users = {
        Reader.CME_OFFICER: officer,
        Reader.SCHOOL: UserFactory.create(role=Role.SCHOOL_STAFF, organisation=school_org),
        Reader.REFERRER: UserFactory.create(role=Role.PARTNER_AGENCY, organisation=police),
        Reader.OTHER_COUNCIL: UserFactory.create(role=Role.OTHER_LA, organisation=sefton),
    }
    child = ChildFactory.create(surname="Plantedidentity", child_protection_plan=True)
    FormerName.objects.create(child=child, surname="Formerplanted")
    today = timezone.localdate()
    Address.objects.create(
        child=child,
        line_1="1 Planted-Address Street",
        postcode="L1 1AA",
        lived_from=today - timedelta(days=400),
        lived_until=today - timedelta(days=30),
    )
    Address.objects.create(
        child=child,
        line_1="2 Planted-Refuge Road",
        town="Refugetown",
        postcode="L8 8RR",
        lived_from=today - timedelta(days=29),
        do_not_share=True,
    )
    Carer.objects.create(child=child, name="A Carer", phone="PLANTED-CARER-PHONE")
    child.risk_factors.add(
        RiskFactor.objects.create(code="planted", label="PLANTED-RISK", order=99)
    )
    case = OpenCaseFactory.create(
        child=child, school=school_org.establishment, key_worker=key_worker
    )
    Flag.objects.create(
        case=case,
        kind=FlagKind.SAFEGUARDING,
        description="PLANTED-FLAG",
        raised_by=officer,
        raised_at=timezone.now(),
        escalated_to="MASH",
        escalated_on=today,
        escalation_reference="PLANTED-MASH",
    )
    for shared in SharedWith:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.NOTE,
            by=officer,
            at=timezone.now(),
            text=f"PLANTED-NOTE-{shared.value}",
            shared_with=shared,
        )
    ReferralFactory.create(
        reference="PLANTED-REFERRALS",
        case=case,
        child=child,
        status="accepted",
        described={"forename": "E", "surname": "X", "address_line_1": "Planted-Described Lane"},
    )
    return Planted(case, users)


# Never for any recipient: the rest of the record.
NEVER = [
    "planted-refuge",
    "refugetown",
    "l8 8rr",
    "planted-carer-phone",
    "planted-risk",
    "planted-flag",
    "planted-mash",
    "child protection plan",
    "planted-note-",
    "planted-referrals",
    "plantedkeyworker",
    "planted-described",
]


def _texts(planted: Planted, reader: Reader, enquiry) -> dict[str, str]:
    user = planted.users[reader]
    client = Client()
    client.force_login(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(owner=user, name='t')[1]}")
    inbox = client.get(f"/enquiries/inbox/{enquiry.pk}/")
    assert inbox.status_code == 200
    detail = api.get(f"/api/v1/enquiries/{enquiry.pk}/")
    assert detail.status_code == 200
    letter = letter_html(enquiry, letter_template_for(enquiry.kind), purpose="sent")
    return {
        "inbox": inbox.content.decode().lower(),
        "api": detail.content.decode().lower(),
        "letter": letter.lower(),
    }


@pytest.mark.parametrize(
    ("reader", "kind", "address_shown"),
    [
        (Reader.SCHOOL, Kind.CME3A, False),
        (Reader.OTHER_COUNCIL, Kind.CME4, True),
        (Reader.OTHER_COUNCIL, Kind.CME5A, True),
        (Reader.REFERRER, Kind.AGENCY_CHECK, True),  # the police, asked to check its records
    ],
)
def test_each_recipient_sees_only_what_it_needs_to_search(
    planted: Planted,
    reader: Reader,
    kind: str,
    address_shown: bool,
) -> None:
    organisation = planted.users[reader].organisation
    assert organisation is not None
    if kind in {Kind.CME4, Kind.CME5A}:
        organisation.la_code = "343"
        organisation.save(update_fields=["la_code"])
    recipients: dict[str, Recipient] = {
        Kind.CME3A: Recipient(school=planted.case.school),
        Kind.CME4: Recipient(organisation=organisation),
        Kind.CME5A: Recipient(organisation=organisation),
        Kind.AGENCY_CHECK: Recipient(agency_area=AgencyArea.POLICE, organisation=organisation),
    }
    recipient = recipients[kind]
    (enquiry,) = enquiry_send(
        case=planted.case, kind=kind, recipients=[recipient], by=planted.users[Reader.CME_OFFICER]
    )
    for where, text in _texts(planted, reader, enquiry).items():
        assert "plantedidentity" in text and "formerplanted" in text, where
        for marker in NEVER:
            assert marker not in text, (where, marker)
        assert ("planted-address" in text) == address_shown, where
