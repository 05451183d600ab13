"""School staff make the four returns on GOV.UK pages and see what their school has sent;
the pages call the same services as the API, and refuse for the same reasons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.test import Client

from cme.audit.models import AuditEvent, Verb
from cme.roll.models import (
    AttendanceReturn,
    Channel,
    DeletionReturn,
    NewPupilReturn,
    SicknessReturn,
)

if TYPE_CHECKING:
    from conftest import World

UPN = "P207000016049"


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


def _as(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _date(name: str, day: int, month: int, year: int) -> dict[str, str]:
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def _pupil(**changes: str) -> dict[str, str]:
    data = {
        "forename": "Evie",
        "surname": "Fictional",
        **_date("date_of_birth", 31, 3, 2015),
        "sex": "F",
        "upn": UPN,
        "address_line_1": "1 Example Street",
        "town": "Liverpool",
        "postcode": "L1 1JQ",
    }
    data.update(changes)
    return data


def _parent() -> dict[str, str]:
    return {
        "parent_name": "Jo Fictional",
        "parent_telephone": "0151 000 0000",
        "parent_lives_with": "yes",
    }


FORMS: dict[str, Any] = {
    "new-pupil": lambda: {
        **_pupil(),
        **_parent(),
        **_date("admitted_on", 2, 3, 2026),
        "boarder": "no",
    },
    "deletion": lambda: {
        **_pupil(),
        **_parent(),
        "ground": "9(1)(a)",
        **_date("deleted_on", 13, 3, 2026),
        "future_school_name": "Another school",
        "facts": ["registered_at_another_school"],
    },
    "attendance": lambda: {
        **_date("period_from", 16, 2, 2026),
        **_date("period_to", 13, 3, 2026),
        "forename": "Evie",
        "surname": "Fictional",
        "upn": UPN,
        "reason": "ten_days",
        **_date("first_day_absent", 23, 2, 2026),
        "school_days_absent": "15",
        "codes": "GGNNOO",
    },
    "sickness": lambda: {
        **_pupil(),
        **_date("absent_from", 23, 2, 2026),
        "basis": "consecutive",
    },
}
MODELS: dict[str, Any] = {
    "new-pupil": NewPupilReturn,
    "deletion": DeletionReturn,
    "attendance": AttendanceReturn,
    "sickness": SicknessReturn,
}


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_school_makes_each_return_on_its_page_and_sees_it_listed(
    world: World, spring: None, kind: str
) -> None:
    client = _as(world, "school_a")
    page = client.get(f"/school-returns/{kind}/new/")
    assert page.status_code == 200
    response = client.post(f"/school-returns/{kind}/new/", FORMS[kind]())
    assert response.status_code == 302, response.content.decode()[:3000]
    record = MODELS[kind].objects.get()
    assert record.school == world.school_a and record.channel == Channel.WEB
    listed = client.get("/school-returns/").content.decode()
    assert "sent" in client.get(response["Location"]).content.decode()
    if kind == "attendance":
        assert "Evie Fictional" in listed and "16 February 2026" in listed
    else:
        assert "Evie Fictional" in listed
    # What school B sent is not shown to school A, and the reverse.
    assert "Evie Fictional" not in _as(world, "school_b").get("/school-returns/").content.decode()


def test_the_deletion_page_says_the_assessment_with_its_reasons(world: World, spring: None) -> None:
    client = _as(world, "school_a")
    body = {
        **FORMS["deletion"](),
        "ground": "9(1)(i)",
        "facts": ["ceased_to_attend"],
        **_date("first_day_absent", 2, 2, 2026),
        "future_school_name": "",
    }
    response = client.post("/school-returns/deletion/new/", body, follow=True)
    page = response.content.decode()
    assert "assessed the deletion as unlawful" in page
    assert "Unlawful: keep the pupil on roll" in page
    assert "enquiries must be joint" in page  # the reason, citing the regulation
    assert "SI 2024/208" in page


def test_a_wrong_upn_check_letter_is_refused_against_its_field_and_kept(
    world: World, spring: None
) -> None:
    client = _as(world, "school_a")
    before = AuditEvent.objects.filter(verb=Verb.RETURN_RECEIVED).count()
    wrong = "Q" + UPN[1:]
    response = client.post("/school-returns/new-pupil/new/", {**FORMS["new-pupil"](), "upn": wrong})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#id_upn"' in page
    assert f'value="{wrong}"' in page
    assert not NewPupilReturn.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.RETURN_RECEIVED).count() == before


def test_future_dates_and_deletion_before_admission_are_refused(world: World, spring: None) -> None:
    client = _as(world, "school_a")
    future = client.post(
        "/school-returns/sickness/new/", {**FORMS["sickness"](), **_date("absent_from", 1, 4, 2026)}
    )
    assert future.status_code == 400
    assert "must be today or earlier" in future.content.decode()
    early = client.post(
        "/school-returns/deletion/new/",
        {**FORMS["deletion"](), **_date("admitted_on", 14, 3, 2026)},
    )
    assert early.status_code == 400
    assert "cannot be deleted before they were admitted" in early.content.decode()
    assert not SicknessReturn.objects.exists() and not DeletionReturn.objects.exists()


def test_a_nil_attendance_return_needs_no_pupil(world: World, spring: None) -> None:
    client = _as(world, "school_a")
    body = {**_date("period_from", 16, 2, 2026), **_date("period_to", 13, 3, 2026), "nil": "nil"}
    assert client.post("/school-returns/attendance/new/", body).status_code == 302
    assert AttendanceReturn.objects.get().pupils.count() == 0
    refused = client.post(
        "/school-returns/attendance/new/", {k: v for k, v in body.items() if k != "nil"}
    )
    assert refused.status_code == 400
    assert "nil return" in refused.content.decode()


PAGES = [
    "/school-returns/",
    "/school-returns/new-pupil/new/",
    "/school-returns/deletion/new/",
    "/school-returns/attendance/new/",
    "/school-returns/sickness/new/",
]


@pytest.mark.parametrize(
    "name", ["officer", "manager", "paews", "keyworker", "agency", "otherla", "admin"]
)
def test_only_a_schools_staff_reach_the_return_pages(world: World, name: str) -> None:
    client = _as(world, name)
    for url in PAGES:
        assert client.get(url).status_code == 403, (name, url)
        assert client.post(url, {}).status_code == 403, (name, url)


def test_the_school_list_audits_each_pupil_shown(world: World, spring: None) -> None:
    client = _as(world, "school_a")
    client.post("/school-returns/sickness/new/", FORMS["sickness"]())
    record = SicknessReturn.objects.get()
    client.get("/school-returns/")
    assert AuditEvent.objects.filter(
        verb=Verb.LIST,
        subject_type="sicknessreturn",
        subject_id=record.pk,
        actor=world.users["school_a"],
    ).exists()


def test_the_home_page_links_the_returns_for_school_staff_and_paews(world: World) -> None:
    assert "/school-returns/" in _as(world, "school_a").get("/").content.decode()
    world.school_a.paews_officer = world.users["paews"]
    world.school_a.save()
    paews = _as(world, "paews").get("/").content.decode()
    assert "/school-returns/upload/" in paews and 'href="/school-returns/"' not in paews
    for name in ("officer", "keyworker", "agency"):
        assert "/school-returns/" not in _as(world, name).get("/").content.decode(), name
