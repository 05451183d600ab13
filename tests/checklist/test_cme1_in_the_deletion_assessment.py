"""A deletion return on ground 9(1)(i) is assessed with the CME1 the register holds: lawful with
a signed-off checklist recording joint enquiries, unlawful without one; the child referred on
sign-off is not referred a second time by the return."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from checklist.conftest import PUPIL, as_user, opened, sent, signed_off

from cme.checklist import services
from cme.referrals.models import Referral, Route
from cme.roll.models import Channel, DeletionReturn
from cme.roll.services import deletion_return_record

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db

DELETED_ON = date(2026, 3, 16)


def _delete(world: World, **pupil: Any) -> DeletionReturn:
    return deletion_return_record(
        school=world.school_a,
        by=world.users["school_a"],
        channel=Channel.WEB,
        pupil={**PUPIL, **pupil},
        parents=[{"name": "Jo Fictional", "telephone": "0151 000 0000", "lives_with": True}],
        ground="9(1)(i)",
        deleted_on=DELETED_ON,
        facts={
            "ceased_to_attend": True,
            "first_day_absent": date(2026, 1, 26),
            "absence_codes": list("GGNNOO"),
        },
    )


def test_a_signed_off_cme1_with_joint_enquiries_makes_it_lawful(cme1_world: World) -> None:
    checklist = signed_off(cme1_world)
    made = _delete(cme1_world)
    assert made.lawful, made.reasons
    assert made.facts_held["cme1_signed_off"] is True
    assert made.facts_held["la_enquiries_made"] is True
    assert made.facts_held["enquiry_school_days"] == 26
    # The referral the sign-off made is the one the return points at: no second one.
    assert made.referral == checklist.referral
    assert Referral.objects.filter(route=Route.SCHOOL).count() == 1
    assert made.transfer is not None and made.transfer.destination == "XXXXXXX"


def test_without_a_cme1_it_is_unlawful_and_says_why(cme1_world: World) -> None:
    made = _delete(cme1_world)
    assert not made.lawful
    texts = " ".join(r["text"] for r in made.reasons)
    assert "enquiries must be joint" in texts
    assert "CME1 checklist has not been completed and signed off" in texts


def test_one_sent_but_not_signed_off_or_returned_does_not_count(cme1_world: World) -> None:
    checklist = sent(cme1_world)
    assert not _delete(cme1_world).lawful
    services.checklist_return(checklist=checklist, by=cme1_world.users["paews"], reasons="Visit")
    assert not _delete(cme1_world).lawful


def test_another_pupil_s_or_another_school_s_cme1_does_not_count(cme1_world: World) -> None:
    signed_off(cme1_world)
    other = _delete(cme1_world, upn="", forename="Someone", surname="Else")
    assert not other.lawful


def test_outcome_bb_found_and_agreed_not_returning_is_lawful_with_no_referral(
    cme1_world: World,
) -> None:
    signed_off(
        cme1_world, outcome="found_not_returning", found_details="Living abroad with family."
    )
    made = _delete(cme1_world)
    assert made.lawful, made.reasons
    assert made.facts_held["whereabouts_known"] is True
    assert made.facts_held["agreed_will_not_return"] is True
    assert made.referral is None


def test_an_open_checklist_alone_is_not_enough(cme1_world: World) -> None:
    opened(cme1_world)
    assert not _delete(cme1_world).lawful


def test_the_school_s_deletion_page_takes_the_session_codes(cme1_world: World) -> None:
    signed_off(cme1_world)
    body = {
        "forename": "Evie", "surname": "Fictional", "date_of_birth_0": "31",
        "date_of_birth_1": "3", "date_of_birth_2": "2015", "sex": "F", "upn": PUPIL["upn"],
        "parent_name": "Jo Fictional", "parent_telephone": "0151 000 0000",
        "parent_lives_with": "yes", "ground": "9(1)(i)", "deleted_on_0": "16",
        "deleted_on_1": "3", "deleted_on_2": "2026", "facts": ["ceased_to_attend"],
        "first_day_absent_0": "26", "first_day_absent_1": "1", "first_day_absent_2": "2026",
        "absence_codes": "GG NN OO",
    }  # fmt: skip
    response = as_user(cme1_world, "school_a").post("/school-returns/deletion/new/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert DeletionReturn.objects.get().lawful
