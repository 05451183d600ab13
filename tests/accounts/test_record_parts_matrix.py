"""Every reader x every part x every page and endpoint: each part's planted content is shown
exactly where docs/access.md says the reader may read that part, and nowhere else.

One case holds a distinctive string in every part of the record. Each reader signs in and
opens every page and API endpoint that returns child data; the test asserts the presence or
absence of each marker, not only the status code. Expected parts are read from the table in
docs/access.md (itself checked against the code in test_access_table.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
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
from test_access_table import documented_table

from cme.accounts.models import OrganisationKind, Role, User
from cme.accounts.record_access import READER_LABELS, Part, Reader
from cme.api.tokens import api_token_create
from cme.cases.models import Case, CaseEvent, CaseEventKind, Flag, FlagKind, SharedWith
from cme.people.models import Address, Carer, FormerName, RiskFactor
from cme.plans.models import ActionPlan, PlanAction

# The planted content of each part. Compared against page text lower-cased.
MARKERS: dict[Part, list[str]] = {
    Part.IDENTITY: ["plantedidentity"],
    Part.CONTACT: ["planted-address"],
    Part.CARERS: ["planted-carer-phone"],
    Part.NEEDS: ["planted-risk"],
    Part.SAFEGUARDING: ["planted-flag", "planted-mash", "this child has a child protection plan"],
    Part.NOTES: ["planted-note-school"],
    Part.PLAN: ["planted-plan"],
    Part.REFERRALS: ["planted-referrals"],
    Part.WORKERS: ["plantedkeyworker"],
}
# Only the CME team: the address marked "do not share", and the notes not shared.
TEAM_ONLY = ["planted-refuge", "refugetown", "l8 8rr", "planted-note-team"]
# Shared with the named workers: the CME team, the key worker, PAEWS.
WORKERS_NOTE = "planted-note-workers"
DESCRIBED_ADDRESS = "planted-described"

# Which parts each page or endpoint can show at all (so absence elsewhere means nothing).
PAGE_PARTS: dict[str, set[Part]] = {
    "case": {
        Part.IDENTITY,
        Part.CONTACT,
        Part.CARERS,
        Part.NEEDS,
        Part.SAFEGUARDING,
        Part.NOTES,
        Part.REFERRALS,
        Part.WORKERS,
    },
    "child": {Part.IDENTITY, Part.CONTACT, Part.CARERS, Part.NEEDS},
    "register": {Part.IDENTITY, Part.NEEDS, Part.WORKERS},
    "plan": {Part.PLAN},
}
# On the child's page safeguarding shows as child protection status only.
CHILD_PAGE_SAFEGUARDING = "this child has a child protection plan"


def table_parts() -> dict[str, frozenset[Part]]:
    """The readable parts per reader label, parsed from docs/access.md."""
    lines = documented_table().splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    parts = [Part(name) for name in header[1:]]
    found: dict[str, frozenset[Part]] = {}
    for line in lines[2:]:
        if not line.startswith("|") or line.startswith("| Part"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        found[cells[0]] = frozenset(p for p, c in zip(parts, cells[1:], strict=True) if "read" in c)
    return found


@dataclass
class Planted:
    case: Case
    readers: dict[Reader, User]
    outsiders: list[User]
    shared_referral_id: int


@pytest.fixture
def planted(db: None) -> Planted:
    school_org = SchoolOrganisationFactory.create(name="Planted school staff")
    other_school = SchoolOrganisationFactory.create(name="Other school staff")
    police = OrganisationFactory.create(name="Police", kind=OrganisationKind.AGENCY)
    health = OrganisationFactory.create(
        name="Health", kind=OrganisationKind.AGENCY, approved_for_key_work=True
    )
    social_care = OrganisationFactory.create(
        name="Social care",
        kind=OrganisationKind.AGENCY,
        approved_for_key_work=True,
        safeguarding_role=True,
    )
    sefton = OrganisationFactory.create(name="Sefton", kind=OrganisationKind.OTHER_LA)
    paews_org = OrganisationFactory.create(name="PAEWS", kind=OrganisationKind.PAEWS)
    officer = UserFactory.create(username="m-officer", role=Role.CME_OFFICER, last_name="Officer")
    users = {
        Reader.CME_OFFICER: officer,
        Reader.CME_MANAGER: UserFactory.create(username="m-manager", role=Role.CME_MANAGER),
        Reader.PAEWS_OFFICER: UserFactory.create(
            username="m-paews", role=Role.PAEWS_OFFICER, organisation=paews_org
        ),
        Reader.KEY_WORKER: UserFactory.create(
            username="m-kw", role=Role.KEY_WORKER, organisation=health, last_name="Plantedkeyworker"
        ),
        Reader.SAFEGUARDING_KEY_WORKER: UserFactory.create(
            username="m-skw",
            role=Role.KEY_WORKER,
            organisation=social_care,
            last_name="Plantedkeyworker",
        ),
        Reader.SCHOOL: UserFactory.create(
            username="m-school", role=Role.SCHOOL_STAFF, organisation=school_org
        ),
        Reader.REFERRER: UserFactory.create(
            username="m-agency", role=Role.PARTNER_AGENCY, organisation=police
        ),
        Reader.OTHER_COUNCIL: UserFactory.create(
            username="m-otherla", role=Role.OTHER_LA, organisation=sefton
        ),
        Reader.SYSTEM_ADMIN: UserFactory.create(username="m-admin", role=Role.SYSTEM_ADMIN),
    }
    outsiders = [
        UserFactory.create(
            username="m-school-b", role=Role.SCHOOL_STAFF, organisation=other_school
        ),
        UserFactory.create(username="m-kw-other", role=Role.KEY_WORKER, organisation=health),
        UserFactory.create(
            username="m-paews-other", role=Role.PAEWS_OFFICER, organisation=paews_org
        ),
    ]
    child = ChildFactory.create(surname="Plantedidentity", child_protection_plan=True)
    FormerName.objects.create(child=child, surname="Formerplanted")
    today = timezone.localdate()
    Address.objects.create(
        child=child,
        line_1="1 Planted-Address Street",
        town="Liverpool",
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
    Carer.objects.create(
        child=child, name="A Carer", phone="PLANTED-CARER-PHONE", address="2 Planted-Refuge Road"
    )
    risk = RiskFactor.objects.create(code="planted", label="PLANTED-RISK", order=99)
    child.risk_factors.add(risk)
    case = OpenCaseFactory.create(
        child=child,
        school=school_org.establishment,
        key_worker=users[Reader.KEY_WORKER],
        paews_officer=users[Reader.PAEWS_OFFICER],
    )
    Flag.objects.create(
        case=case,
        kind=FlagKind.SAFEGUARDING,
        description="PLANTED-FLAG mother disclosed abuse",
        raised_by=officer,
        raised_at=timezone.now(),
        escalated_to="MASH",
        escalated_on=today,
        escalation_reference="PLANTED-MASH",
    )
    for text, shared in (
        ("PLANTED-NOTE-TEAM", SharedWith.CME_TEAM),
        ("PLANTED-NOTE-WORKERS", SharedWith.WORKERS),
        ("PLANTED-NOTE-SCHOOL", SharedWith.SCHOOL),
    ):
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.NOTE,
            by=officer,
            at=timezone.now(),
            text=text,
            shared_with=shared,
        )
    # The flag's own timeline entry: safeguarding detail even if marked as shared.
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.FLAG,
        by=officer,
        at=timezone.now(),
        text="Safeguarding concern: PLANTED-FLAG",
        shared_with=SharedWith.SCHOOL,
    )
    plan = ActionPlan.objects.create(case=case, started_on=today, started_by=officer)
    PlanAction.objects.create(plan=plan, title="PLANTED-PLAN visit", due_on=today)
    shared_referral = ReferralFactory.create(
        reference="PLANTED-REFERRALS",
        case=case,
        child=child,
        status="accepted",
        recorded_by=officer,
        described={"forename": "E", "surname": "X", "address_line_1": "Planted-Described Lane"},
    )
    ReferralFactory.create(
        reference="CME-POLICE-1",
        case=case,
        child=child,
        status="accepted",
        referring_organisation=police,
    )
    ReferralFactory.create(
        reference="CME-SEFTON-1",
        case=case,
        child=child,
        status="accepted",
        referring_organisation=sefton,
    )
    return Planted(case, users, outsiders, shared_referral.pk)


def _reader_case(planted: Planted, reader: Reader) -> None:
    """The social care key worker is the case's key worker when they read it."""
    if reader == Reader.SAFEGUARDING_KEY_WORKER:
        Case.objects.filter(pk=planted.case.pk).update(
            key_worker=planted.readers[Reader.SAFEGUARDING_KEY_WORKER]
        )


def _get(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode().lower()


def _assert_parts(page: str, text: str, allowed: frozenset[Part], reader: Reader) -> None:
    for part in PAGE_PARTS[page]:
        for marker in MARKERS[part]:
            if page == "child" and part == Part.SAFEGUARDING:
                continue
            shown = marker in text
            assert shown == (part in allowed), f"{reader} {page}: {part} marker {marker!r}"


@pytest.mark.parametrize("reader", list(Reader))
def test_each_reader_sees_exactly_its_parts_on_every_page(planted: Planted, reader: Reader) -> None:
    allowed = table_parts()[READER_LABELS[reader]]
    _reader_case(planted, reader)
    user = planted.readers[reader]
    team = reader in {Reader.CME_OFFICER, Reader.CME_MANAGER}
    client = Client()
    client.force_login(user)
    case_id, child_id = planted.case.pk, planted.case.child_id

    status, text = _get(client, reverse("cases:detail", args=[case_id]))
    assert status == (200 if allowed else 404)
    if allowed:
        _assert_parts("case", text, allowed, reader)
        for marker in TEAM_ONLY:
            assert (marker in text) == team, f"{reader} case page: {marker}"
        if Part.CONTACT in allowed and not team:
            assert "withheld" in text
        assert (WORKERS_NOTE in text) == (Part.NOTES in allowed and reader != Reader.SCHOOL)
        assert (reverse("plans:plan", args=[case_id]) in text) == (Part.PLAN in allowed)
        assert (reverse("checks:case", args=[case_id]) in text) == (Part.CHECKS in allowed)
        assert (reverse("oversight:child-audit", args=[child_id]) in text) == (
            Part.AUDIT in allowed
        )
        assert "formerplanted" not in text  # former names are on the child's page only

    status, text = _get(client, reverse("people:detail", args=[child_id]))
    assert status == (200 if Part.IDENTITY in allowed else 404)
    if status == 200:
        _assert_parts("child", text, allowed, reader)
        assert (reverse("oversight:child-audit", args=[child_id]) in text) == (
            Part.AUDIT in allowed
        )
        assert (CHILD_PAGE_SAFEGUARDING in text) == (Part.SAFEGUARDING in allowed)
        assert "formerplanted" in text
        for marker in TEAM_ONLY[:3]:
            assert (marker in text) == team, f"{reader} child page: {marker}"

    status, text = _get(client, reverse("cases:register"))
    if reader == Reader.SYSTEM_ADMIN:
        assert status == 403
    else:
        assert status == 200
        _assert_parts("register", text, allowed, reader)
        assert (f'href="{reverse("cases:detail", args=[case_id])}"' in text) == bool(allowed)

    status, text = _get(client, reverse("plans:plan", args=[case_id]))
    assert status == (200 if Part.PLAN in allowed else 403 if allowed else 404)
    if status == 200:
        _assert_parts("plan", text, allowed, reader)

    status, text = _get(client, reverse("checks:case", args=[case_id]))
    assert (status == 200) == (Part.CHECKS in allowed)

    status, text = _get(client, reverse("referrals:detail", args=[planted.shared_referral_id]))
    assert status == (200 if Part.REFERRALS in allowed else 404)
    if status == 200:
        assert "planted-referrals" in text
        assert (DESCRIBED_ADDRESS in text) == team
        assert "withheld" in text or team


@pytest.mark.parametrize("reader", list(Reader))
def test_each_reader_gets_exactly_its_parts_from_the_api(planted: Planted, reader: Reader) -> None:
    cache.clear()  # the API's throttle counts
    allowed = table_parts()[READER_LABELS[reader]]
    _reader_case(planted, reader)
    user = planted.readers[reader]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(owner=user, name='t')[1]}")
    case_id = planted.case.pk

    detail = client.get(f"/api/v1/cases/{case_id}/")
    listed = client.get("/api/v1/cases/")
    if reader == Reader.SYSTEM_ADMIN:
        assert detail.status_code == listed.status_code == 403
    else:
        assert detail.status_code == 200
        got = detail.json()
        assert set(got["parts"]) == {p.value for p in allowed}
        assert ("key_worker" in got) == (Part.WORKERS in allowed)
        assert ("school_urn" in got) == (Part.IDENTITY in allowed)
        assert listed.json()["results"] == [got]
        text = json.dumps(got).lower()
        for marker in ("plantedidentity", "planted-address", "planted-flag", "planted-refuge"):
            assert marker not in text

    referral = client.get(f"/api/v1/referrals/{planted.shared_referral_id}/")
    referrals = client.get("/api/v1/referrals/")
    if user.role in {Role.KEY_WORKER, Role.SYSTEM_ADMIN}:
        assert referral.status_code == referrals.status_code == 403
        return
    visible = Part.REFERRALS in allowed
    assert referral.status_code == (200 if visible else 404)
    assert ("planted-referrals" in referrals.content.decode().lower()) == visible
    if visible:
        address = referral.json()["child"]["address_line_1"]
        team = reader in {Reader.CME_OFFICER, Reader.CME_MANAGER}
        assert address == ("Planted-Described Lane" if team else "Withheld")


def test_outsiders_reach_nothing_of_the_case(planted: Planted) -> None:
    for user in planted.outsiders:
        client = Client()
        client.force_login(user)
        for url in (
            reverse("cases:detail", args=[planted.case.pk]),
            reverse("people:detail", args=[planted.case.child_id]),
            reverse("referrals:detail", args=[planted.shared_referral_id]),
        ):
            assert client.get(url).status_code == 404, (user.username, url)
        register = client.get(reverse("cases:register")).content.decode().lower()
        assert "plantedidentity" not in register


def test_a_key_worker_of_a_closed_case_still_sees_only_their_parts(planted: Planted) -> None:
    Case.objects.filter(pk=planted.case.pk).update(
        status="closed", outcome="on_roll", closed_on=date.today()
    )
    client = Client()
    client.force_login(planted.readers[Reader.KEY_WORKER])
    text = client.get(reverse("cases:detail", args=[planted.case.pk])).content.decode().lower()
    assert "planted-flag" not in text
    assert "planted-refuge" not in text


def test_the_subject_access_export_is_the_cme_teams(planted: Planted, tmp_path) -> None:
    out = tmp_path / "export.json"
    for reader, user in planted.readers.items():
        if reader == Reader.CME_MANAGER:
            continue
        with pytest.raises(CommandError):
            call_command("export_child", planted.case.child_id, out=out, by=user.username)
        assert not out.exists()
    call_command(
        "export_child",
        planted.case.child_id,
        out=out,
        by=planted.readers[Reader.CME_MANAGER].username,
    )
    assert "PLANTED-REFUGE" in out.read_text().upper()


def table_writes() -> dict[str, frozenset[Part]]:
    """The writable parts per reader label, parsed from docs/access.md."""
    lines = documented_table().splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    parts = [Part(name) for name in header[1:]]
    found: dict[str, frozenset[Part]] = {}
    for line in lines[2:]:
        if not line.startswith("|") or line.startswith("| Part"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        found[cells[0]] = frozenset(
            p for p, c in zip(parts, cells[1:], strict=True) if "write" in c
        )
    return found


@pytest.mark.parametrize("reader", list(Reader))
def test_each_reader_reaches_the_child_record_edit_pages_exactly_as_the_table_says(
    planted: Planted, reader: Reader
) -> None:
    """Every page that changes the child's record: 200 to a reader the table lets write its
    part, 403 to one who sees the child but may not write it, 404 to one who cannot see the
    child. The refuge address has no page for anyone outside the CME team."""
    readable = table_parts()[READER_LABELS[reader]]
    writable = table_writes()[READER_LABELS[reader]]
    _reader_case(planted, reader)
    client = Client()
    client.force_login(planted.readers[reader])
    child = planted.case.child
    shared = child.addresses.get(do_not_share=False)
    refuge = child.addresses.get(do_not_share=True)
    carer = child.carers.get()
    risk = child.risk_factor_links.get()
    pages = {
        Part.IDENTITY: [reverse("people:identity", args=[child.pk])],
        Part.CONTACT: [
            reverse("people:address-add", args=[child.pk]),
            reverse("people:address-correct", args=[child.pk, shared.pk]),
            reverse("people:address-end", args=[child.pk, shared.pk]),
        ],
        Part.CARERS: [
            reverse("people:carer-add", args=[child.pk]),
            reverse("people:carer-correct", args=[child.pk, carer.pk]),
            reverse("people:carer-end", args=[child.pk, carer.pk]),
        ],
        Part.NEEDS: [
            reverse("people:needs", args=[child.pk]),
            reverse("people:risk-factor-add", args=[child.pk]),
            reverse("people:risk-factor-end", args=[child.pk, risk.pk]),
        ],
        Part.SAFEGUARDING: [reverse("people:child-protection", args=[child.pk])],
    }
    sees_child = Part.IDENTITY in readable
    for part, urls in pages.items():
        expected = 200 if part in writable else 403 if sees_child else 404
        for url in urls:
            assert client.get(url).status_code == expected, (reader, url)
    team = reader in {Reader.CME_OFFICER, Reader.CME_MANAGER}
    refuge_page = client.get(reverse("people:address-correct", args=[child.pk, refuge.pk]))
    assert refuge_page.status_code == (
        200 if team else 404 if Part.CONTACT in writable or not sees_child else 403
    ), reader
    if refuge_page.status_code != 200:
        assert "planted-refuge" not in refuge_page.content.decode().lower()
