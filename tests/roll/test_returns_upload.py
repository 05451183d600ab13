"""A CSV of returns is checked whole: one bad row refuses the file with each problem's line
and column, and nothing of it is kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from cme.audit.models import AuditEvent, Verb
from cme.checks.imports.common import ImportRejected
from cme.roll.models import AttendanceReturn, Channel, DeletionReturn, SicknessReturn
from cme.roll.uploads import column_letter, returns_upload

if TYPE_CHECKING:
    from conftest import World

UPN = "P207000016049"
HEADER = "forename,surname,date_of_birth,upn,absent_from,basis\n"


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m is not AuditEvent and m._meta.managed
    }


def test_column_letters_are_the_spreadsheets() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
    ]


def test_a_good_file_makes_every_return(world: World, spring: None) -> None:
    data = (
        HEADER
        + f"Evie,Fictional,2015-03-31,{UPN},2026-02-23,consecutive\n"
        + "Nia,Fictional,14/05/2014,,2026-02-02,total\n"
    ).encode()
    result = returns_upload(file=data, kind="sickness", by=world.users["school_a"], name="s.csv")
    assert (result.rows, result.returns) == (2, 2)
    assert set(SicknessReturn.objects.values_list("channel", flat=True)) == {Channel.CSV}
    assert SicknessReturn.objects.filter(school=world.school_a).count() == 2
    assert AuditEvent.objects.filter(verb=Verb.RETURN_RECEIVED).count() == 2
    assert AuditEvent.objects.filter(verb=Verb.IMPORT, subject_type="sickness_returns").exists()


def test_a_file_with_bad_rows_is_refused_whole_and_the_database_is_unchanged(
    world: World, spring: None
) -> None:
    wrong_upn = "Q" + UPN[1:]
    data = (
        HEADER
        + f"Evie,Fictional,2015-03-31,{UPN},2026-02-23,consecutive\n"  # good
        + f"Nia,Fictional,2014-05-14,{wrong_upn},2026-02-02,total\n"  # wrong check letter
        + "Ola,Fictional,2014-05-14,,2026-04-01,total\n"  # in the future
        + "Pat,Fictional,2014-05-14,,=HYPERLINK(1),total\n"  # a formula
    ).encode()
    before = _counts()
    audits = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as refused:
        returns_upload(file=data, kind="sickness", by=world.users["school_a"], name="s.csv")
    where = [p.where for p in refused.value.problems]
    assert "line 3, column D (upn)" in where
    assert "line 4, column E (absent_from)" in where
    assert "line 5, column E (absent_from)" in where
    messages = " ".join(p.message for p in refused.value.problems)
    assert "check letter" in messages and "formula" in messages and "today or earlier" in messages
    assert _counts() == before
    # Only the refusal itself is audited (who, which file, how many problems), not the rows.
    assert AuditEvent.objects.count() == audits + 1
    event = AuditEvent.objects.latest("pk")
    assert event.verb == Verb.IMPORT and event.details["refused"] is True
    assert "Nia" not in str(event.details)


def test_attendance_rows_make_one_return_per_school_and_period(world: World, spring: None) -> None:
    world.school_a.paews_officer = world.users["paews"]
    world.school_a.save()
    world.school_b.paews_officer = world.users["paews"]
    world.school_b.save()
    header = "laestab,period_from,period_to,forename,surname,reason,first_day_absent,codes\n"
    a, b = world.school_a.laestab, world.school_b.laestab
    data = (
        header
        + f"{a},2026-02-16,2026-03-13,Evie,Fictional,ten_days,2026-02-23,GGNN\n"
        + f"{a},2026-02-16,2026-03-13,Nia,Fictional,not_regular,,\n"
        + f"{b},2026-02-16,2026-03-13,Ola,Fictional,ten_days,2026-02-23,NNOO\n"
    ).encode()
    result = returns_upload(file=data, kind="attendance", by=world.users["paews"], name="a.csv")
    assert result.returns == 2
    assert AttendanceReturn.objects.get(school=world.school_a).pupils.count() == 2
    assert AttendanceReturn.objects.get(school=world.school_b).pupils.count() == 1
    assert AttendanceReturn.objects.get(school=world.school_b).sent_by == world.users["paews"]

    bad = (header + f"{a},2026-02-16,2026-03-13,Evie,Fictional,ten_days,2026-02-23,GGIN\n").encode()
    before = _counts()
    with pytest.raises(ImportRejected) as refused:
        returns_upload(file=bad, kind="attendance", by=world.users["paews"], name="a.csv")
    assert [p.where for p in refused.value.problems] == ["line 2, column H (codes)"]
    assert _counts() == before


def test_a_school_may_not_upload_for_another_school(world: World, spring: None) -> None:
    data = (
        "laestab,"
        + HEADER
        + f"{world.school_b.laestab},Evie,Fictional,2015-03-31,,2026-02-23,consecutive\n"
    ).encode()
    with pytest.raises(ImportRejected) as refused:
        returns_upload(file=data, kind="sickness", by=world.users["school_a"], name="s.csv")
    assert refused.value.problems[0].where == "line 2, column A (laestab)"
    assert not SicknessReturn.objects.exists()


def test_a_deletion_file_names_facts_and_refuses_an_unknown_ground(
    world: World, spring: None
) -> None:
    header = "surname,forename,date_of_birth,ground,deleted_on,facts,future_school_name\n"
    good = header + "Fictional,Evie,2015-03-31,9(1)(a),2026-03-13,registered_at_another_school,X\n"
    returns_upload(file=good.encode(), kind="deletion", by=world.users["school_a"], name="d.csv")
    assert DeletionReturn.objects.get().lawful
    bad = header + "Fictional,Nia,2015-03-31,9(9)(z),2026-03-13,,\n"
    with pytest.raises(ImportRejected) as refused:
        returns_upload(file=bad.encode(), kind="deletion", by=world.users["school_a"], name="d.csv")
    problem = refused.value.problems[0]
    assert problem.where == "line 2, column D (ground)" and "9(1)(i)" in problem.message


def test_the_header_and_the_size_are_checked_first(world: World, spring: None) -> None:
    with pytest.raises(ImportRejected) as refused:
        returns_upload(file=b"surname,colour\n", kind="sickness", by=world.users["school_a"])
    assert "unknown column(s) colour" in str(refused.value.problems[0])
    with override_settings(CME_IMPORT_MAX_MB=0.0001), pytest.raises(ImportRejected) as big:
        returns_upload(file=HEADER.encode() * 20, kind="sickness", by=world.users["school_a"])
    assert "CME_IMPORT_MAX_MB" in str(big.value.problems[0])


def test_the_upload_page_lists_the_problems_and_keeps_nothing(world: World, spring: None) -> None:
    client = Client()
    client.force_login(world.users["school_a"])
    assert client.get("/school-returns/upload/").status_code == 200
    upload = SimpleUploadedFile(
        "s.csv", (HEADER + "Evie,Fictional,2015-03-31,,2026-04-01,total\n").encode(), "text/csv"
    )
    response = client.post("/school-returns/upload/", {"kind": "sickness", "file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing in it was kept" in page and "line 2, column E (absent_from)" in page
    good = SimpleUploadedFile(
        "s.csv", (HEADER + "Evie,Fictional,2015-03-31,,2026-02-23,total\n").encode(), "text/csv"
    )
    response = client.post("/school-returns/upload/", {"kind": "sickness", "file": good})
    assert response.status_code == 302
    assert SicknessReturn.objects.count() == 1


@pytest.mark.parametrize("name", ["officer", "manager", "keyworker", "agency", "otherla", "admin"])
def test_only_school_staff_and_their_paews_officer_upload(world: World, name: str) -> None:
    client = Client()
    client.force_login(world.users[name])
    assert client.get("/school-returns/upload/").status_code == 403
    assert client.post("/school-returns/upload/", {"kind": "sickness"}).status_code == 403


def test_a_paews_officer_with_no_schools_may_not_upload(world: World) -> None:
    client = Client()
    client.force_login(world.users["paews_other"])
    assert client.get("/school-returns/upload/").status_code == 403
