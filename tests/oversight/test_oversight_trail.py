"""The audit viewer: names people and records in words, filters by who, what and when, pages
through the whole trail, is for the readers record_access gives the audit part (CME
managers), and records its own reading."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record, audit_record_past
from cme.plans.models import ActionPlan, PlanAction

if TYPE_CHECKING:
    from conftest import World


def _client(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _trail(world: World, **query: str) -> str:
    url = reverse("oversight:child-audit", args=[world.case_at_a.child_id])
    page = _client(world, "manager").get(url, query)
    assert page.status_code == 200
    return page.content.decode()


def _past(world: World, count: int, *, who: str = "officer", days_ago: int = 0) -> None:
    """`count` events about the child at A, one second apart, `days_ago` days back."""
    actor = world.users[who]
    start = timezone.now() - timedelta(days=days_ago, hours=1)
    events = [
        AuditEvent(
            at=start + timedelta(seconds=i),
            actor=actor,
            actor_label=actor.username,
            verb=Verb.VIEW,
            subject_type="case",
            subject_id=world.case_at_a.pk,
            child_id=world.case_at_a.child_id,
            source="web",
            details={},
        )
        for i in range(count)
    ]
    audit_record_past(events=events)


def test_people_and_records_are_named_in_words(world: World) -> None:
    plan = ActionPlan.objects.create(
        case=world.case_at_a, started_by=world.users["officer"], started_on=timezone.localdate()
    )
    action = PlanAction.objects.create(plan=plan, title="Home visit", due_on=timezone.localdate())
    audit_record(
        actor=world.users["keyworker"],
        verb=Verb.ACTION_DONE,
        subject=action,
        child_id=world.case_at_a.child_id,
    )
    text = _trail(world)
    keyworker = world.users["keyworker"]
    assert keyworker.get_full_name() in text
    assert "Health visiting" in text  # their organisation
    assert "Action plan: Home visit" in text
    assert "Marked an action done" in text
    assert "planaction" not in text
    assert f">{keyworker.username}<" not in text


def test_a_removed_record_is_named_by_its_kind_and_number(world: World) -> None:
    # The retention job removed the action; the trail keeps its kind and number only.
    gone = AuditEvent(
        actor=world.users["officer"], actor_label="officer", verb=Verb.VIEW,
        subject_type="planaction", subject_id=987654, child_id=world.case_at_a.child_id,
    )  # fmt: skip
    audit_record_past(events=[gone])
    assert "Plan action 987654 (no longer held)" in _trail(world)


def test_reading_the_trail_is_itself_recorded(world: World) -> None:
    _trail(world, what="view")
    read = AuditEvent.objects.get(subject_type="audit_trail")
    assert read.actor == world.users["manager"]
    assert read.child_id == world.case_at_a.child_id
    assert read.details["filters"]["verb"] == "view"
    # And the next reader sees it, in words.
    assert "The audit trail (who has looked at a record)" in _trail(world)


def test_filters_by_who_what_and_when(world: World) -> None:
    _past(world, 3, who="officer", days_ago=10)
    _past(world, 2, who="school_a", days_ago=1)
    officer, school = world.users["officer"], world.users["school_a"]

    by_school = _trail(world, who=str(school.pk))
    assert by_school.count("data-event=") == 2
    assert officer.get_full_name() not in by_school.split("<table")[1]

    day = timezone.localdate() - timedelta(days=10)
    on_the_day = {
        "date_from_0": str(day.day), "date_from_1": str(day.month), "date_from_2": str(day.year),
        "date_to_0": str(day.day), "date_to_1": str(day.month), "date_to_2": str(day.year),
    }  # fmt: skip
    assert _trail(world, **on_the_day).count("data-event=") == 3

    assert _trail(world, what="close").count("data-event=") == 0
    assert "No events match these filters" in _trail(world, what="close")


def test_bad_filters_are_explained_and_kept(world: World) -> None:
    text = _trail(world, date_from_0="31", date_from_1="2", date_from_2="2026", what="nonsense")
    assert "There is a problem" in text
    assert "From must be a real date" in text
    assert "Choose what they did from the list" in text
    assert 'value="31"' in text
    assert "data-event=" not in text


def test_pages_through_every_event_newest_first_without_repeats(world: World, settings) -> None:
    settings.CME_PAGE_SIZE = 10
    _past(world, 35)
    client = _client(world, "manager")
    url = reverse("oversight:child-audit", args=[world.case_at_a.child_id])
    seen: list[int] = []
    query: dict[str, str] = {"what": "view"}
    for _ in range(10):
        text = client.get(url, query).content.decode()
        ids = [int(part.split('"')[1]) for part in text.split("data-event=")[1:]]
        seen += ids
        if "older_than=" not in text:
            break
        query = {"what": "view", "older_than": str(ids[-1])}
    wanted = list(
        AuditEvent.objects.filter(
            child_id=world.case_at_a.child_id, verb="view", subject_type="case"
        ).values_list("pk", flat=True)
    )
    # The trail grows as the manager reads (each read is an event), yet no event shows twice.
    assert len(seen) == len(set(seen))
    assert set(wanted) <= set(seen)
    # And back: "Newer events" from the second page shows the first page again.
    first = client.get(url, {"what": "view"}).content.decode()
    first_ids = [int(part.split('"')[1]) for part in first.split("data-event=")[1:]]
    second = client.get(url, {"what": "view", "older_than": str(first_ids[-1])}).content.decode()
    second_ids = [int(part.split('"')[1]) for part in second.split("data-event=")[1:]]
    back = client.get(url, {"what": "view", "newer_than": str(second_ids[0])}).content.decode()
    assert [int(p.split('"')[1]) for p in back.split("data-event=")[1:]][-len(first_ids) :] == (
        first_ids[-len(first_ids) :]
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("manager", 200),
        ("officer", 403),
        ("paews", 403),
        ("school_a", 403),
        ("keyworker", 403),
        ("agency", 404),
        ("otherla", 404),
        ("admin", 404),
    ],
)
def test_only_readers_of_the_audit_part_see_a_childs_trail(
    world: World, who: str, status: int
) -> None:
    url = reverse("oversight:child-audit", args=[world.case_at_a.child_id])
    page = _client(world, who).get(url)
    assert page.status_code == status
    if status != 200:
        assert not AuditEvent.objects.filter(subject_type="audit_trail").exists()


@pytest.mark.parametrize(
    "who", ["officer", "paews", "school_a", "keyworker", "agency", "otherla", "admin"]
)
def test_the_whole_trail_is_for_managers_only(world: World, who: str) -> None:
    assert _client(world, who).get(reverse("oversight:audit")).status_code == 403
    assert not AuditEvent.objects.filter(subject_type="audit_trail").exists()


def test_the_whole_trail_filters_by_child(world: World) -> None:
    audit_record(
        actor=world.users["officer"], verb=Verb.VIEW, subject=world.case_at_b,
        child_id=world.case_at_b.child_id,
    )  # fmt: skip
    audit_record(
        actor=world.users["officer"], verb=Verb.VIEW, subject=world.case_at_a,
        child_id=world.case_at_a.child_id,
    )  # fmt: skip
    client = _client(world, "manager")
    everything = client.get(reverse("oversight:audit")).content.decode()
    assert f"Case {world.case_at_a.pk}" in everything
    assert f"Case {world.case_at_b.pk}" in everything
    one = client.get(reverse("oversight:audit"), {"child": str(world.case_at_b.child_id)})
    text = one.content.decode()
    assert f"Case {world.case_at_b.pk}<" in text
    assert f"Case {world.case_at_a.pk}<" not in text
    read = AuditEvent.objects.filter(subject_type="audit_trail").latest("seq")
    assert read.child_id == world.case_at_b.child_id
