"""Another council's CME4 to this council: sent from its inbox or its system, checked by the
CME officer against every source, answered once, the answer seen by the sender alone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from enquiries.conftest import send
from factories import OrganisationFactory, UserFactory

from cme.accounts.models import Organisation, OrganisationKind, Role
from cme.accounts.record_access import INCOMING_HOLDS, SearchDetail, may_read_incoming
from cme.audit.models import AuditEvent, Verb
from cme.checks.models import PupilOnRoll
from cme.checks.sources import clear_cache
from cme.core.errors import NotAllowed
from cme.enquiries.models import Enquiry, IncomingEnquiry, IncomingState
from cme.enquiries.services import (
    IncomingAnswer,
    IncomingChild,
    incoming_answer,
    incoming_check,
    incoming_receive,
)

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db
DOB = date(2015, 6, 1)


def _as(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


@pytest.fixture
def sefton(world: World) -> Organisation:
    council = Organisation.objects.get(name="Sefton Council")
    council.la_code = "343"
    council.save(update_fields=["la_code"])
    return council


@pytest.fixture
def on_our_roll(world: World) -> PupilOnRoll:
    clear_cache()
    return PupilOnRoll.objects.create(
        establishment=world.school_b,
        forename="Tamsin",
        surname="Fictionalwood",
        date_of_birth=DOB,
        sex="F",
        postcode="L8 1AA",
        admission_date=date(2024, 9, 4),
        loaded_at=timezone.now(),
    )


def _child(**changes: object) -> IncomingChild:
    values: dict[str, object] = {
        "forename": "Tamsin",
        "surname": "Fictionalwood",
        "date_of_birth": DOB,
        "sex": "F",
        "former_names": ["Tamsin Oldname"],
        "last_school": "Sefton Fictional Primary",
        "last_address": "2 Example Road, Bootle",
        "last_postcode": "L20 1AA",
    }
    values.update(changes)
    return IncomingChild(**values)  # type: ignore[arg-type]


@pytest.fixture
def incoming(world: World, sefton: Organisation) -> IncomingEnquiry:
    return incoming_receive(by=world.users["otherla"], child=_child(), their_reference="SEF/77")


def test_it_holds_only_what_a_cme4_recipient_is_told() -> None:
    # The register keeps of another council's child what the search needs, nothing more: the
    # details a CME4 recipient is told, less this council's officer. A new field about the
    # child fails here until record_access says the search needs it.
    child_fields = {
        "forename",
        "middle_names",
        "surname",
        "former_names",
        "date_of_birth",
        "sex",
        "upn",
        "last_school",
        "last_address",
        "last_postcode",
    }
    by_detail = {
        SearchDetail.NAME: {"forename", "middle_names", "surname"},
        SearchDetail.FORMER_NAMES: {"former_names"},
        SearchDetail.DATE_OF_BIRTH: {"date_of_birth"},
        SearchDetail.SEX: {"sex"},
        SearchDetail.UPN: {"upn"},
        SearchDetail.LAST_SCHOOL: {"last_school"},
        SearchDetail.LAST_ADDRESS: {"last_address", "last_postcode"},
    }
    allowed = set().union(*(by_detail[d] for d in INCOMING_HOLDS if d in by_detail))
    assert child_fields == allowed
    bookkeeping = {
        "id", "from_organisation", "from_la_code", "from_name", "sent_by", "their_reference",
        "contact", "received_at", "received_on", "due_on", "due_counting", "checked_at",
        "checked_by", "check_results", "state", "outcome", "on_roll_school", "on_roll_from",
        "details", "answered_at", "answered_by", "version", "updated_at",
    }  # fmt: skip
    assert {f.name for f in IncomingEnquiry._meta.concrete_fields} == child_fields | bookkeeping


def test_received_due_in_working_days_and_audited(world: World, incoming) -> None:
    assert incoming.state == IncomingState.RECEIVED
    assert incoming.from_la_code == "343" and incoming.due_on > incoming.received_on
    assert incoming.due_counting == "10 working days"
    assert AuditEvent.objects.filter(
        verb=Verb.ENQUIRY_RECEIVED, subject_type="incomingenquiry", subject_id=incoming.pk
    ).exists()


def test_enquiries_either_way_never_share_a_number(world: World, incoming, sefton) -> None:
    sent = send(world)
    later = incoming_receive(by=world.users["otherla"], child=_child(forename="Other"))
    numbers = [incoming.pk, sent.pk, later.pk]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert not Enquiry.objects.filter(pk__in=[incoming.pk, later.pk]).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"forename": " "}, "forename"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"date_of_birth": date.today() + timedelta(days=3)}, "date_of_birth"),
        ({"upn": "A12345678901"}, "upn"),
        ({"sex": "X"}, "sex"),
    ],
)
def test_bad_details_are_refused_naming_the_field(world: World, sefton, changes, field) -> None:
    with pytest.raises(ValidationError) as refused:
        incoming_receive(by=world.users["otherla"], child=_child(**changes))
    assert field in refused.value.message_dict
    assert not IncomingEnquiry.objects.exists()


def test_a_due_date_before_today_is_refused(world: World, sefton) -> None:
    with pytest.raises(ValidationError) as refused:
        incoming_receive(
            by=world.users["otherla"], child=_child(), due_on=date.today() - timedelta(days=1)
        )
    assert "due_on" in refused.value.message_dict


@pytest.mark.parametrize("name", ["officer", "school_a", "agency", "keyworker", "paews", "admin"])
def test_only_another_councils_staff_send_one(world: World, sefton, name: str) -> None:
    with pytest.raises(NotAllowed):
        incoming_receive(by=world.users[name], child=_child())


def test_a_council_without_its_la_code_is_told_to_ask(world: World) -> None:
    with pytest.raises(ValidationError, match="LA code is not set up"):
        incoming_receive(by=world.users["otherla"], child=_child())


def test_checked_then_answered_once(world: World, incoming, on_our_roll) -> None:
    officer = world.users["officer"]
    answer = IncomingAnswer(outcome="on_roll", on_roll_school=world.school_b)
    with pytest.raises(ValidationError, match="run the check first"):
        incoming_answer(incoming=incoming, answer=answer, by=officer)
    checked = incoming_check(incoming=incoming, by=officer)
    ems = next(r for r in checked.check_results if r["source"] == "ems")
    assert ems["found"] and ems["found"][0]["details"]["urn"] == world.school_b.urn
    assert {r["source"] for r in checked.check_results} >= {"register", "ems", "lost_pupils"}
    assert AuditEvent.objects.filter(verb=Verb.SEARCH, subject_id=incoming.pk).exists()
    with pytest.raises(ValidationError) as no_school:
        incoming_answer(incoming=checked, answer=IncomingAnswer(outcome="on_roll"), by=officer)
    assert "on_roll_school" in no_school.value.message_dict
    done = incoming_answer(incoming=checked, answer=answer, by=officer)
    assert done.state == IncomingState.ANSWERED and done.on_roll_school == world.school_b
    with pytest.raises(ValidationError, match="already been answered"):
        incoming_answer(incoming=done, answer=IncomingAnswer(outcome="not_known"), by=officer)
    done.refresh_from_db()
    assert done.outcome == "on_roll"
    assert AuditEvent.objects.filter(verb=Verb.ENQUIRY_ANSWERED, subject_id=incoming.pk).exists()


def test_known_to_cme_says_what_is_known(world: World, incoming) -> None:
    officer = world.users["officer"]
    checked = incoming_check(incoming=incoming, by=officer)
    with pytest.raises(ValidationError) as refused:
        incoming_answer(incoming=checked, answer=IncomingAnswer(outcome="known_to_cme"), by=officer)
    assert "details" in refused.value.message_dict


@pytest.mark.parametrize("name", ["school_a", "otherla", "paews", "keyworker", "agency", "admin"])
def test_only_the_cme_team_checks_and_answers(world: World, incoming, name: str) -> None:
    with pytest.raises(NotAllowed):
        incoming_check(incoming=incoming, by=world.users[name])
    with pytest.raises(NotAllowed):
        incoming_answer(
            incoming=incoming, answer=IncomingAnswer(outcome="not_known"), by=world.users[name]
        )


def test_who_reads_an_incoming_cme4_is_decided_once() -> None:
    assert may_read_incoming(Role.CME_OFFICER, sender=False)
    assert may_read_incoming(Role.CME_MANAGER, sender=False)
    assert may_read_incoming(Role.OTHER_LA, sender=True)
    assert not may_read_incoming(Role.OTHER_LA, sender=False)
    for role in (Role.SCHOOL_STAFF, Role.PAEWS_OFFICER, Role.KEY_WORKER, Role.SYSTEM_ADMIN):
        assert not may_read_incoming(role, sender=True)


# The pages, for every role.
READERS = {"officer": 200, "manager": 200}


@pytest.mark.parametrize(
    "name",
    ["officer", "manager", "paews", "school_a", "keyworker", "agency", "otherla", "admin"],
)
def test_every_role_against_every_incoming_page(world: World, incoming, name: str) -> None:
    client = _as(world, name)
    expected = READERS.get(name)
    pages = [
        client.get("/enquiries/incoming/"),
        client.get(f"/enquiries/incoming/{incoming.pk}/"),
        client.post(f"/enquiries/incoming/{incoming.pk}/check/"),
    ]
    if expected:
        assert [p.status_code for p in pages] == [200, 200, 302]
        assert "Tamsin Fictionalwood" in pages[1].content.decode()
    else:
        assert all(p.status_code in {403, 404} for p in pages)
        assert "Tamsin" not in "".join(p.content.decode() for p in pages)
    sent_pages = [client.get("/enquiries/sent/"), client.get(f"/enquiries/sent/{incoming.pk}/")]
    if name == "otherla":
        assert [p.status_code for p in sent_pages] == [200, 200]
    else:
        assert all(p.status_code in {403, 404} for p in sent_pages)
    incoming.refresh_from_db()
    assert (incoming.checked_at is not None) == bool(expected)


def test_another_council_sees_only_its_own(world: World, incoming) -> None:
    wirral = OrganisationFactory.create(
        name="Wirral Council", kind=OrganisationKind.OTHER_LA, la_code="344"
    )
    other = UserFactory.create(username="wirral", role=Role.OTHER_LA, organisation=wirral)
    client = Client()
    client.force_login(other)
    assert client.get(f"/enquiries/sent/{incoming.pk}/").status_code == 404
    assert incoming.reference not in client.get("/enquiries/sent/").content.decode()


def test_the_journey_in_pages(world: World, sefton, on_our_roll) -> None:
    council = _as(world, "otherla")
    inbox = council.get("/enquiries/inbox/").content.decode()
    assert 'href="/enquiries/sent/"' in inbox
    wrong = council.post("/enquiries/sent/new/", {"forename": "Tamsin", "surname": "Typed"})
    body = wrong.content.decode()
    assert wrong.status_code == 400 and "Enter the child&#x27;s date of birth" in body
    assert 'value="Typed"' in body  # what was typed is kept
    sent = council.post(
        "/enquiries/sent/new/",
        {
            "forename": "Tamsin",
            "surname": "Fictionalwood",
            "date_of_birth_0": "1",
            "date_of_birth_1": "6",
            "date_of_birth_2": "2015",
            "sex": "F",
            "last_postcode": "L8 1AA",
        },
    )
    assert sent.status_code == 302
    incoming = IncomingEnquiry.objects.get()
    officer = _as(world, "officer")
    home = officer.get("/").content.decode()
    assert 'href="/enquiries/incoming/"' in home and 'id="incoming-cme4s"' in home
    assert officer.post(f"/enquiries/incoming/{incoming.pk}/check/").status_code == 302
    page = officer.get(f"/enquiries/incoming/{incoming.pk}/").content.decode()
    assert world.school_b.name in page and "likely match on a school roll" in page
    incoming.refresh_from_db()
    answered = officer.post(
        f"/enquiries/incoming/{incoming.pk}/",
        {
            "outcome": "on_roll",
            "on_roll_school": world.school_b.pk,
            "version": incoming.version,
            "details": "On roll since September.",
        },
    )
    assert answered.status_code == 302
    seen = council.get(f"/enquiries/sent/{incoming.pk}/").content.decode()
    assert "Found on roll at a school in our area" in seen and world.school_b.name in seen
