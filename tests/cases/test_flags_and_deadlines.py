"""Flags, the case's clocks from cme.rules, work queues, reminders and emails on commit."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models.deletion import ProtectedError
from django.test import Client
from django.urls import reverse
from factories import OpenCaseFactory

from cme.calendars.services import term_dates_import
from cme.cases.deadlines import Urgency, case_work_items
from cme.cases.models import Case, CaseEvent, Flag, FlagKind
from cme.cases.selectors import work_queue
from cme.cases.services import case_assign, case_close, flag_raise, flag_resolve
from cme.core.errors import NotAllowed

LIVERPOOL = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def term_dates(db) -> None:  # type: ignore[no-untyped-def]
    term_dates_import(path=LIVERPOOL)


def test_a_safeguarding_concern_needs_its_escalation_and_blocks_closure(world) -> None:  # type: ignore[no-untyped-def]
    officer, case = world.users["officer"], world.case_at_a
    with pytest.raises(ValidationError) as error:
        flag_raise(case=case, kind=FlagKind.SAFEGUARDING, description="Bruising seen", by=officer)
    assert set(error.value.message_dict) == {"escalated_to", "escalated_on"}
    flag = flag_raise(
        case=case,
        kind=FlagKind.SAFEGUARDING,
        description="Bruising seen",
        by=officer,
        escalated_to="Children's social care duty team",
        escalated_on=date(2025, 1, 6),
    )
    with pytest.raises(ValidationError, match="unresolved safeguarding concern"):
        case_close(case=case, outcome="on_roll", note="On roll", by=officer)
    flag_resolve(flag=flag, by=officer, resolution="Social care assessment complete")
    assert case_close(case=case, outcome="on_roll", note="On roll", by=officer).status == "closed"
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"flag", "flag_resolved", "closed"} <= set(kinds)


def test_flags_are_never_deleted(world) -> None:  # type: ignore[no-untyped-def]
    flag = flag_raise(
        case=world.case_at_a,
        kind=FlagKind.DO_NOT_CONTACT,
        description="Father must not be told the address",
        by=world.users["officer"],
    )
    with pytest.raises(ProtectedError):
        Case.objects.filter(pk=world.case_at_a.pk).delete()
    assert Flag.objects.filter(pk=flag.pk).exists()


def test_who_may_raise_a_flag(world) -> None:  # type: ignore[no-untyped-def]
    # Flags are the safeguarding part: a key worker outside social care neither reads nor
    # raises them (docs/access.md); they tell the officer in a note.
    for role in ("school_a", "agency", "admin", "keyworker_other", "keyworker"):
        with pytest.raises(NotAllowed):
            flag_raise(
                case=world.case_at_a, kind=FlagKind.RISK, description="x", by=world.users[role]
            )
    flag_raise(
        case=world.case_at_a,
        kind=FlagKind.RISK,
        description="Seen at night",
        by=world.users["paews"],
    )
    keyworker = world.users["keyworker"]
    keyworker.organisation.safeguarding_role = True
    keyworker.organisation.save()
    flag_raise(
        case=world.case_at_a, kind=FlagKind.RISK, description="Family may move", by=keyworker
    )


def test_the_flag_page_says_child_protection_comes_first(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["officer"])
    page = client.get(reverse("cases:raise-flag", args=[world.case_at_a.pk])).content.decode()
    assert "does not replace child protection procedures" in page


def test_safeguarding_email_goes_on_commit_and_names_no_one(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    world.users["officer"].email = "officer@example.org"
    world.users["officer"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        flag_raise(
            case=world.case_at_a,
            kind=FlagKind.SAFEGUARDING,
            description="Concern",
            by=world.users["officer"],
            escalated_to="Duty team",
            escalated_on=date(2025, 1, 6),
        )
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.org"]
    child = world.case_at_a.child
    assert child.surname not in message.body and child.forename not in message.body
    assert f"case {world.case_at_a.pk}" in message.body


@time_machine.travel(MONDAY, tick=False)
def test_case_clocks_count_school_days_and_cite_their_rule(term_dates) -> None:  # type: ignore[no-untyped-def]
    case = OpenCaseFactory(
        opened_on=date(2025, 10, 1),
        left_roll_on=date(2025, 10, 20),
        first_day_absent=date(2025, 10, 6),
    )
    items = {item.what: item for item in case_work_items(case, today=MONDAY.date())}
    enquiries = items["Four weeks of enquiries complete"]
    assert enquiries.due == date(2025, 10, 29) and enquiries.urgency == Urgency.OVERDUE
    ctf = items["Common Transfer File due from the last school"]
    # 15 school days after Mon 20 Oct, skipping half term (27-31 Oct): Mon 17 Nov 2025.
    assert ctf.due == date(2025, 11, 17) and "2005" in ctf.rule
    absence = items["20 school days of continuous absence reached"]
    assert absence.due == date(2025, 11, 7)
    assert absence.urgency == Urgency.DUE_SOON


@time_machine.travel(MONDAY, tick=False)
def test_work_queue_and_reminders(world, term_dates, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    keyworker = world.users["keyworker"]
    keyworker.email = "kw@example.org"
    keyworker.save()
    Case.objects.filter(pk=world.case_at_a.pk).update(opened_on=date(2025, 9, 1))
    queue = work_queue(user=keyworker, today=MONDAY.date())
    assert {case.pk for case, _ in queue.overdue} == {world.case_at_a.pk}
    assert work_queue(user=world.users["keyworker_other"], today=MONDAY.date()).overdue == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    to_keyworker = [m for m in mail.outbox if m.to == ["kw@example.org"]]
    assert len(to_keyworker) == 1
    assert f"case(s) {world.case_at_a.pk}" in to_keyworker[0].body
    assert world.case_at_a.child.surname not in to_keyworker[0].body


def test_naming_a_key_worker_tells_them(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    other = world.users["keyworker_other"]
    other.email = "other@example.org"
    other.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=world.case_at_b, key_worker=other, by=world.users["officer"])
    assert [m.to for m in mail.outbox] == [["other@example.org"]]


def test_without_term_dates_the_case_page_says_what_to_do(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["officer"])
    page = client.get(reverse("cases:detail", args=[world.case_at_a.pk])).content.decode()
    assert "import-term-dates" in page
