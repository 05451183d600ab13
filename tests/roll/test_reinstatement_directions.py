"""An unlawful deletion is answered with a reinstatement direction: a letter to the school
with the reasons and the regulation, a place in the officer's queue until the school
confirms the pupil is back on roll, and the pupil on the watch list meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from cme.accounts.record_access import school_letter_table
from cme.audit.models import AuditEvent, Verb
from cme.roll.models import (
    ActionStatus,
    Channel,
    DeletionReturn,
    DirectionStatus,
    ReinstatementDirection,
    WatchedPupil,
    WatchReason,
    WatchStatus,
)
from cme.roll.services import deletion_return_record, reinstatement_confirm

if TYPE_CHECKING:
    from conftest import World

UPN = "P207000016049"
# Who reads a direction to school A (its PAEWS officer is "paews"), and who gets a 404.
READERS = ("school_a", "officer", "manager", "paews")
NOT_READERS = ("school_b", "paews_other", "keyworker", "agency", "otherla", "admin")


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


def _unlawful(world: World, **changes: Any) -> DeletionReturn:
    """20 school days' absence and a deletion under 9(1)(i) with no joint enquiries."""
    arguments: dict[str, Any] = {
        "school": world.school_a,
        "by": world.users["school_a"],
        "channel": Channel.WEB,
        "pupil": {
            "forename": "Evie",
            "surname": "Fictional",
            "date_of_birth": date(2015, 3, 31),
            "upn": UPN,
        },
        "parents": [{"name": "Jo Fictional", "telephone": "0151 000 0000", "lives_with": True}],
        "ground": "9(1)(i)",
        "deleted_on": date(2026, 3, 13),
        "facts": {"first_day_absent": date(2026, 2, 6), "absence_codes": ["N", "G", "O"]},
    }
    arguments.update(changes)
    return deletion_return_record(**arguments)


@pytest.fixture
def direction(spring: None, world: World) -> ReinstatementDirection:
    world.school_a.paews_officer = world.users["paews"]
    world.school_a.save(update_fields=["paews_officer"])
    return _unlawful(world).direction


def _as(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_an_unlawful_deletion_directs_reinstatement_and_watches_the_pupil(
    direction: ReinstatementDirection, world: World
) -> None:
    record = direction.deletion_return
    assert direction.status == DirectionStatus.AWAITING
    assert direction.school == world.school_a and direction.child_id == record.child_id
    assert direction.regulation.endswith("(SI 2024/208), reg 9(1)(i)")
    assert direction.reasons == record.reasons and direction.reasons
    assert "reinstatement direction" in record.action
    watched = direction.watched
    assert watched is not None and watched.reason == WatchReason.REINSTATEMENT
    assert watched.status == WatchStatus.WATCHING and watched.first_day_absent == date(2026, 2, 6)
    assert AuditEvent.objects.filter(
        verb=Verb.CREATE,
        subject_type="reinstatementdirection",
        subject_id=direction.pk,
        child_id=record.child_id,
    ).exists()


def test_a_lawful_deletion_has_no_direction(spring: None, world: World) -> None:
    record = _unlawful(world, ground="9(1)(a)", facts={"registered_at_another_school": True})
    assert record.lawful
    assert not ReinstatementDirection.objects.exists()
    assert not WatchedPupil.objects.exists()


def test_the_letter_gives_the_reasons_and_the_regulation_to_those_who_may_read_it(
    direction: ReinstatementDirection, world: World
) -> None:
    url = reverse("reinstatements:detail", args=[direction.pk])
    for name in READERS:
        response = _as(world, name).get(url)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "Direction to reinstate a pupil on your admission register" in page
        assert "Evie Fictional" in page and "13 March 2026" in page
        assert "(SI 2024/208), reg 9(1)(i)" in page
        assert "the enquiries must be joint" in page
        # Only the school confirms.
        assert ("Confirm the pupil is back on roll" in page) == (name == "school_a"), name
    for name in NOT_READERS:
        assert _as(world, name).get(url).status_code == 404, name
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page
    viewed = AuditEvent.objects.filter(
        verb=Verb.VIEW, subject_type="reinstatementdirection", subject_id=direction.pk
    )
    assert viewed.count() == len(READERS)
    assert set(viewed.values_list("child_id", flat=True)) == {direction.child_id}


def test_the_letter_is_a_pdf(direction: ReinstatementDirection, world: World) -> None:
    response = _as(world, "school_a").get(reverse("reinstatements:letter", args=[direction.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert direction.reference in response["Content-Disposition"]
    url = reverse("reinstatements:letter", args=[direction.pk])
    for name in NOT_READERS:
        assert _as(world, name).get(url).status_code == 404, name


def test_the_officer_queue_holds_it_until_the_school_confirms(
    direction: ReinstatementDirection, world: World
) -> None:
    url = reverse("reinstatements:queue")
    page = _as(world, "officer").get(url).content.decode()
    awaiting = page[page.index('data-section="directions-awaiting"') :]
    assert direction.reference in awaiting and "Evie Fictional" in awaiting
    assert AuditEvent.objects.filter(
        verb=Verb.LIST, subject_type="reinstatementdirection", subject_id=direction.pk
    ).exists()
    assert _as(world, "manager").get(url).status_code == 200
    for name in ("school_a", "paews", "keyworker", "agency", "otherla", "admin"):
        assert _as(world, name).get(url).status_code == 403, name

    response = _as(world, "school_a").post(
        reverse("reinstatements:reinstated", args=[direction.pk]),
        {"reinstated_on_0": "16", "reinstated_on_1": "3", "reinstated_on_2": "2026"},
    )
    assert response.status_code == 302
    page = _as(world, "officer").get(url).content.decode()
    assert "No direction is waiting for a school" in page
    closed = page[page.index('data-section="directions-closed"') :]
    assert direction.reference in closed and "16 March 2026" in closed


def test_the_school_confirms_on_its_page_and_everything_follows(
    direction: ReinstatementDirection, world: World
) -> None:
    school = _as(world, "school_a")
    listing = school.get(reverse("school-returns:list")).content.decode()
    assert direction.reference in listing and "put the pupil back on your roll" in listing
    response = school.post(
        reverse("reinstatements:reinstated", args=[direction.pk]),
        {
            "reinstated_on_0": "16",
            "reinstated_on_1": "3",
            "reinstated_on_2": "2026",
            "note": "Attending again from today.",
        },
    )
    assert response.status_code == 302
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.REINSTATED
    assert direction.reinstated_on == date(2026, 3, 16)
    assert direction.confirmed_by == world.users["school_a"]
    assert (
        direction.confirmed_via == Channel.WEB and direction.note == "Attending again from today."
    )
    assert direction.watched is not None
    direction.watched.refresh_from_db()
    assert direction.watched.status == WatchStatus.ENDED
    assert "reinstated" in direction.watched.end_reason
    record = direction.deletion_return
    record.refresh_from_db()
    assert record.action_status == ActionStatus.DONE
    assert AuditEvent.objects.filter(
        verb=Verb.TRANSITION,
        subject_type="reinstatementdirection",
        subject_id=direction.pk,
        child_id=direction.child_id,
    ).exists()
    page = school.get(reverse("reinstatements:detail", args=[direction.pk])).content.decode()
    assert "Back on roll from 16 March 2026" in page
    assert "Confirm the pupil is back on roll" not in page


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ({}, "Enter the date the pupil was put back on your roll"),
        (
            {"reinstated_on_0": "17", "reinstated_on_1": "3", "reinstated_on_2": "2026"},
            "must be today or earlier",
        ),
        (
            {"reinstated_on_0": "12", "reinstated_on_1": "3", "reinstated_on_2": "2026"},
            "before they were deleted (13 March 2026)",
        ),
    ],
)
def test_a_bad_date_is_refused_in_plain_words_and_nothing_changes(
    direction: ReinstatementDirection, world: World, typed: dict[str, str], words: str
) -> None:
    response = _as(world, "school_a").post(
        reverse("reinstatements:reinstated", args=[direction.pk]),
        {**typed, "note": "kept when refused"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and "kept when refused" in page
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.AWAITING
    assert not AuditEvent.objects.filter(verb=Verb.TRANSITION).exists()


def test_only_the_school_confirms_and_only_once(
    direction: ReinstatementDirection, world: World
) -> None:
    url = reverse("reinstatements:reinstated", args=[direction.pk])
    typed = {"reinstated_on_0": "16", "reinstated_on_1": "3", "reinstated_on_2": "2026"}
    for name in ("officer", "manager", "paews"):
        assert _as(world, name).post(url, typed).status_code == 403, name
    for name in NOT_READERS:
        assert _as(world, name).post(url, typed).status_code == 404, name
    assert _as(world, "school_a").get(url).status_code == 302  # a GET goes to the letter
    with pytest.raises(PermissionDenied):
        reinstatement_confirm(
            direction=direction,
            by=world.users["officer"],
            reinstated_on=date(2026, 3, 16),
            channel=Channel.WEB,
        )
    reinstatement_confirm(
        direction=direction,
        by=world.users["school_a"],
        reinstated_on=date(2026, 3, 16),
        channel=Channel.WEB,
    )
    with pytest.raises(ValidationError, match="already closed"):
        reinstatement_confirm(
            direction=direction,
            by=world.users["school_a"],
            reinstated_on=date(2026, 3, 16),
            channel=Channel.WEB,
        )
    response = _as(world, "school_a").post(url, typed)
    assert response.status_code == 400 and "already closed" in response.content.decode()


def test_the_access_table_in_the_docs_is_the_code() -> None:
    with open("docs/access.md", encoding="utf-8") as docs:
        text = docs.read()
    start = text.index("<!-- school-letters-table:start -->\n") + len(
        "<!-- school-letters-table:start -->\n"
    )
    assert text[start : text.index("<!-- school-letters-table:end -->")].strip() == (
        school_letter_table()
    )
