"""Risk factors from the policy's list with the date raised and ended, needs and statuses, and
child protection status: each change audited with before and after, stale forms refused, bad
input named in words, and each role reaching exactly what record_access lets it write."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.audit.models import AuditEvent, Verb
from cme.core.errors import NotAllowed, StaleEdit
from cme.people.models import Child, ChildRiskFactor, RecordChange, RiskFactor
from cme.people.risk_factors import RISK_FACTORS
from cme.people.services import (
    NeedsChange,
    SafeguardingChange,
    needs_update,
    risk_factor_correct,
    risk_factor_end,
    risk_factor_raise,
    safeguarding_update,
)

if TYPE_CHECKING:
    from conftest import World


def _today() -> date:
    return timezone.localdate()


def _fresh(child: Child) -> Child:
    return Child.objects.get(pk=child.pk)


def _date(prefix: str, when: date | None) -> dict[str, str]:
    if when is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {
        f"{prefix}_0": str(when.day),
        f"{prefix}_1": str(when.month),
        f"{prefix}_2": str(when.year),
    }


def test_the_policys_list_is_what_can_be_raised(db: None) -> None:
    assert list(RiskFactor.objects.values_list("code", flat=True)) == [c for c, _ in RISK_FACTORS]


def test_a_risk_factor_is_raised_and_ended_and_kept(world: World) -> None:
    child = world.case_at_a.child
    raised = _today() - timedelta(days=20)
    added = risk_factor_raise(
        child=child,
        code="homeless",
        raised_on=raised,
        by=world.users["officer"],
        expected_version=child.version,
    )
    link = ChildRiskFactor.objects.get(child=child)
    assert (link.risk_factor.code, link.raised_on, link.ended_on) == ("homeless", raised, None)
    assert added.after == {"risk_factor": "homeless", "raised_on": raised.isoformat()}
    ended = risk_factor_end(
        child=child,
        link_id=link.pk,
        ended_on=_today(),
        by=world.users["officer"],
        expected_version=_fresh(child).version,
    )
    link.refresh_from_db()
    assert link.ended_on == _today()
    assert ended.before["ended_on"] is None and ended.after["ended_on"] == _today().isoformat()
    assert _fresh(child).version == 3
    events = AuditEvent.objects.filter(child_id=child.pk, verb__in=[Verb.CREATE, Verb.UPDATE])
    assert sorted(e.details["action"] for e in events) == ["added", "ended"]
    # Raised again after it ended: a second row, the first kept.
    risk_factor_raise(
        child=child,
        code="homeless",
        raised_on=_today(),
        by=world.users["officer"],
        expected_version=None,
    )
    assert ChildRiskFactor.objects.filter(child=child).count() == 2


@pytest.mark.parametrize(
    ("code", "raised", "field", "words"),
    [
        ("not-on-the-list", 0, "risk_factor", "Choose a risk factor from the policy's list"),
        ("homeless", -1, "raised_on", "The date raised must be today or in the past"),
        ("homeless", None, "raised_on", "Enter the date the risk factor was raised"),
        ("homeless", 9000, "raised_on", "the child's date of birth"),
    ],
)
def test_a_bad_risk_factor_is_refused_and_nothing_written(
    world: World, code: str, raised: int | None, field: str, words: str
) -> None:
    child = world.case_at_a.child
    Child.objects.filter(pk=child.pk).update(date_of_birth=_today() - timedelta(days=3000))
    with pytest.raises(ValidationError) as refused:
        risk_factor_raise(
            child=child,
            code=code,
            raised_on=None if raised is None else _today() - timedelta(days=raised),
            by=world.users["officer"],
            expected_version=None,
        )
    assert words in " ".join(refused.value.message_dict[field])
    assert not ChildRiskFactor.objects.exists() and not RecordChange.objects.exists()


def test_an_open_risk_factor_cannot_be_raised_twice(world: World) -> None:
    child = world.case_at_a.child
    for _ in range(1):
        risk_factor_raise(
            child=child,
            code="bullied",
            raised_on=date(2025, 9, 1),
            by=world.users["officer"],
            expected_version=None,
        )
    with pytest.raises(ValidationError) as refused:
        risk_factor_raise(
            child=child,
            code="bullied",
            raised_on=_today(),
            by=world.users["officer"],
            expected_version=None,
        )
    assert "already recorded since 1 September 2025" in refused.value.message_dict["risk_factor"][0]


def test_ending_a_risk_factor_before_it_was_raised_is_refused(world: World) -> None:
    child = world.case_at_a.child
    risk_factor_raise(
        child=child,
        code="bullied",
        raised_on=_today() - timedelta(days=5),
        by=world.users["officer"],
        expected_version=None,
    )
    link = ChildRiskFactor.objects.get()
    with pytest.raises(ValidationError) as refused:
        risk_factor_end(
            child=child,
            link_id=link.pk,
            ended_on=_today() - timedelta(days=6),
            by=world.users["officer"],
            expected_version=None,
        )
    assert "the same as or after the date raised" in refused.value.message_dict["ended_on"][0]


def test_needs_keep_before_and_after_and_name_the_councils(world: World) -> None:
    child = world.case_at_a.child
    with pytest.raises(ValidationError) as refused:
        needs_update(
            child=child,
            change=NeedsChange.of(child, ehcp=True, looked_after=True),
            by=world.users["officer"],
            expected_version=None,
        )
    assert "Enter the council responsible for the EHC plan" in str(refused.value)
    assert "Enter the council looking after the child" in str(refused.value)
    change = needs_update(
        child=child,
        change=NeedsChange.of(
            child, ehcp=True, ehcp_council=" Sefton ", sen_support=True, young_carer=True
        ),
        by=world.users["officer"],
        expected_version=child.version,
    )
    child = _fresh(child)
    assert (child.ehcp, child.ehcp_council, child.ever_ehcp) == (True, "Sefton", True)
    assert change is not None
    assert change.before == {
        "ehcp": False,
        "ehcp_council": "",
        "sen_support": False,
        "young_carer": False,
    }
    # The plan ends: the council goes with it, the "ever" flag for retention stays.
    needs_update(
        child=child,
        change=NeedsChange.of(child, ehcp=False),
        by=world.users["officer"],
        expected_version=None,
    )
    child = _fresh(child)
    assert (child.ehcp, child.ehcp_council, child.ever_ehcp) == (False, "", True)


def test_a_stale_needs_edit_is_refused(world: World) -> None:
    child = world.case_at_a.child
    needs_update(
        child=child,
        change=NeedsChange.of(child, yot=True),
        by=world.users["manager"],
        expected_version=1,
    )
    with pytest.raises(StaleEdit) as refused:
        needs_update(
            child=child,
            change=NeedsChange.of(child, sen_support=True),
            by=world.users["officer"],
            expected_version=1,
        )
    assert "needs and risk factors (Youth Offending Team)" in refused.value.messages[0]
    assert not _fresh(child).sen_support


@pytest.mark.parametrize(
    ("who", "needs", "safeguarding"),
    [
        ("officer", True, True),
        ("manager", True, True),
        ("paews", False, True),
        ("keyworker", False, False),
        ("school_a", False, False),
        ("agency", False, False),
        ("otherla", False, False),
        ("admin", False, False),
    ],
)
def test_who_may_write_needs_and_child_protection(
    world: World, who: str, needs: bool, safeguarding: bool
) -> None:
    child = world.case_at_a.child
    user = world.users[who]
    writes = [
        (
            needs,
            lambda: needs_update(
                child=child,
                change=NeedsChange.of(child, yot=True),
                by=user,
                expected_version=None,
            ),
        ),
        (
            needs,
            lambda: risk_factor_raise(
                child=child, code="bullied", raised_on=_today(), by=user, expected_version=None
            ),
        ),
        (
            safeguarding,
            lambda: safeguarding_update(
                child=child,
                change=SafeguardingChange(child_protection_plan=True, child_in_need=False),
                by=user,
                expected_version=None,
            ),
        ),
    ]
    for allowed, write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(NotAllowed):
                write()
    child = _fresh(child)
    assert child.yot == needs and ChildRiskFactor.objects.exists() == needs
    assert child.child_protection_plan == safeguarding


def test_a_social_care_key_worker_writes_child_protection(world: World) -> None:
    from factories import OrganisationFactory, UserFactory

    from cme.accounts.models import OrganisationKind, Role

    social_care = OrganisationFactory.create(
        kind=OrganisationKind.AGENCY, approved_for_key_work=True, safeguarding_role=True
    )
    worker = UserFactory.create(role=Role.KEY_WORKER, organisation=social_care)
    case = world.case_at_a
    case.key_worker = worker
    case.save(update_fields=["key_worker"])
    safeguarding_update(
        child=case.child,
        change=SafeguardingChange(child_protection_plan=False, child_in_need=True),
        by=worker,
        expected_version=None,
    )
    assert _fresh(case.child).child_in_need
    with pytest.raises(NotAllowed):
        needs_update(
            child=case.child,
            change=NeedsChange.of(case.child, yot=True),
            by=worker,
            expected_version=None,
        )


# --- the pages ---------------------------------------------------------------------------


def _needs_post(child: Child, **fields: str) -> dict[str, str]:
    return {
        "version": str(_fresh(child).version),
        "sen_support": "no",
        "ehcp": "no",
        "ehcp_council": "",
        "looked_after": "no",
        "looked_after_by": "",
        "young_carer": "no",
        "yot": "no",
        **fields,
    }


def test_the_pages_add_and_end_a_risk_factor(client: Client, world: World) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    url = reverse("people:risk-factor-add", args=[child.pk])
    form = client.get(url).content.decode()
    assert "Young runaway" in form
    response = client.post(
        url,
        {
            "version": str(child.version),
            "risk_factor": "runaway",
            **_date("raised_on", _today() - timedelta(days=2)),
        },
    )
    assert response.status_code == 302
    link = ChildRiskFactor.objects.get(child=child)
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Risk factor added" in page and "Young runaway" in page
    # One of each at a time: an open one is no longer offered.
    assert 'value="runaway"' not in client.get(url).content.decode()
    end = reverse("people:risk-factor-end", args=[child.pk, link.pk])
    assert end in page
    response = client.post(
        end, {"version": str(_fresh(child).version), **_date("ended_on", _today())}
    )
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "<s>Young runaway</s>" in page


def test_a_risk_factor_with_no_choice_or_a_date_to_come_is_named(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("people:risk-factor-add", args=[child.pk]),
        {"version": str(child.version), "risk_factor": "", **_date("raised_on", None)},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert text.count("Select the risk factor from the policy&#x27;s list") == 2
    assert "Enter the date raised" in text
    response = client.post(
        reverse("people:risk-factor-add", args=[child.pk]),
        {
            "version": str(child.version),
            "risk_factor": "runaway",
            **_date("raised_on", _today() + timedelta(days=3)),
        },
    )
    assert "The date raised must be today or in the past" in response.content.decode()
    assert not ChildRiskFactor.objects.exists()


def test_the_needs_page_saves_and_names_a_missing_council(client: Client, world: World) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["officer"])
    url = reverse("people:needs", args=[child.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _needs_post(child, looked_after="yes", sen_support="yes"))
    assert response.status_code == 400
    text = response.content.decode()
    assert text.count("Enter the council looking after the child") == 2
    assert not _fresh(child).sen_support
    response = client.post(
        url, _needs_post(child, looked_after="yes", looked_after_by="Wirral", sen_support="yes")
    )
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Looked after by Wirral" in page and "SEN support" in page


def test_a_stale_needs_form_shows_the_latest_values_and_the_change(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    opened = child.version
    needs_update(
        child=child,
        change=NeedsChange.of(child, ehcp=True, ehcp_council="Sefton"),
        by=world.users["manager"],
        expected_version=opened,
    )
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("people:needs", args=[child.pk]),
        _needs_post(child, version=str(opened), yot="yes"),
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else changed this record" in text
    assert 'value="Sefton"' in text
    assert "Council responsible for the EHC plan" in text and "EHC plan" in text
    assert not _fresh(child).yot


def test_the_child_protection_page(client: Client, world: World) -> None:
    child = world.case_at_a.child
    client.force_login(world.users["paews"])
    url = reverse("people:child-protection", args=[child.pk])
    response = client.post(
        url, {"version": str(child.version), "child_protection_plan": "yes", "child_in_need": ""}
    )
    assert response.status_code == 400
    assert "Answer yes or no: does the child have a child in need plan?" in (
        response.content.decode()
    )
    response = client.post(
        url, {"version": str(child.version), "child_protection_plan": "yes", "child_in_need": "no"}
    )
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "This child has a child protection plan" in page


# Needs: the CME team writes; PAEWS and the key worker read (403); the school sees the child
# but not the part (403); anyone who cannot see the child: 404. Child protection: the CME team
# and PAEWS write; the others who see the child get 403.
PAGES = {
    "officer": (200, 200),
    "manager": (200, 200),
    "paews": (403, 200),
    "keyworker": (403, 403),
    "school_a": (403, 403),
    "school_b": (404, 404),
    "agency": (404, 404),
    "otherla": (404, 404),
    "admin": (404, 404),
    "keyworker_other": (404, 404),
}


@pytest.mark.parametrize("who", list(PAGES))
def test_who_reaches_the_needs_risk_and_child_protection_pages(
    client: Client, world: World, who: str
) -> None:
    child = world.case_at_a.child
    risk_factor_raise(
        child=child,
        code="bullied",
        raised_on=_today() - timedelta(days=9),
        by=world.users["officer"],
        expected_version=None,
    )
    link = ChildRiskFactor.objects.get(child=child)
    needs_status, safeguarding_status = PAGES[who]
    client.force_login(world.users[who])
    pages = [
        (
            reverse("people:risk-factor-add", args=[child.pk]),
            {"risk_factor": "runaway", **_date("raised_on", _today())},
            needs_status,
        ),
        (
            reverse("people:risk-factor-end", args=[child.pk, link.pk]),
            _date("ended_on", _today()),
            needs_status,
        ),
        (reverse("people:needs", args=[child.pk]), _needs_post(child, yot="yes"), needs_status),
        (
            reverse("people:child-protection", args=[child.pk]),
            {"child_protection_plan": "yes", "child_in_need": "yes"},
            safeguarding_status,
        ),
    ]
    for url, data, status in pages:
        assert client.get(url).status_code == status, url
        posted = client.post(url, {**data, "version": str(_fresh(child).version)})
        assert posted.status_code == (302 if status == 200 else status), url
    fresh = _fresh(child)
    assert fresh.yot == (needs_status == 200)
    assert ChildRiskFactor.objects.filter(child=child).count() == (2 if needs_status == 200 else 1)
    link.refresh_from_db()
    assert (link.ended_on is not None) == (needs_status == 200)
    assert fresh.child_protection_plan == (safeguarding_status == 200)
    if needs_status != 404:
        page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
        assert (reverse("people:needs", args=[child.pk]) in page) == (needs_status == 200)
        assert (reverse("people:child-protection", args=[child.pk]) in page) == (
            safeguarding_status == 200
        )


def _raise(world: World, code: str, raised: date, ended: date | None = None) -> ChildRiskFactor:
    return ChildRiskFactor.objects.create(
        child=world.case_at_a.child,
        risk_factor=RiskFactor.objects.get(code=code),
        raised_on=raised,
        ended_on=ended,
    )


def test_the_date_raised_is_corrected_and_the_old_one_kept_with_why(world: World) -> None:
    child = world.case_at_a.child
    link = _raise(world, "homeless", _today() - timedelta(days=5))
    earlier = _today() - timedelta(days=40)
    change = risk_factor_correct(
        child=child,
        link_id=link.pk,
        raised_on=earlier,
        reason="  The school told us it began in the autumn  ",
        by=world.users["officer"],
        expected_version=child.version,
    )
    link.refresh_from_db()
    assert link.raised_on == earlier
    assert change is not None
    assert change.before == {
        "risk_factor": "homeless",
        "raised_on": (_today() - timedelta(days=5)).isoformat(),
    }
    assert change.after == {"risk_factor": "homeless", "raised_on": earlier.isoformat()}
    assert change.reason == "The school told us it began in the autumn"
    assert AuditEvent.objects.filter(
        child_id=child.pk, verb=Verb.UPDATE, details__action="changed"
    ).exists()
    # The same date again records nothing.
    assert (
        risk_factor_correct(
            child=child,
            link_id=link.pk,
            raised_on=earlier,
            reason="",
            by=world.users["officer"],
            expected_version=None,
        )
        is None
    )
    assert RecordChange.objects.filter(child=child).count() == 1


@pytest.mark.parametrize(
    ("days_ago", "words"),
    [
        (-1, "The date raised must be today or in the past"),
        (None, "Enter the date the risk factor was raised"),
        (9000, "the child's date of birth"),
        # After the day it ended (10 days ago).
        (9, "on or before the day it ended"),
        # Into the period of the same factor raised again later (from 5 days ago, still open).
        (4, "the two periods would overlap"),
    ],
)
def test_a_corrected_date_that_cannot_be_is_refused_and_nothing_written(
    world: World, days_ago: int | None, words: str
) -> None:
    child = world.case_at_a.child
    first = _raise(world, "runaway", _today() - timedelta(days=30), _today() - timedelta(days=10))
    _raise(world, "runaway", _today() - timedelta(days=5))
    target = first if days_ago != 4 else ChildRiskFactor.objects.get(ended_on__isnull=True)
    if days_ago == 4:
        # Moving the open one back to before the first ended.
        when: date | None = _today() - timedelta(days=12)
    else:
        when = None if days_ago is None else _today() - timedelta(days=days_ago)
    with pytest.raises(ValidationError) as refused:
        risk_factor_correct(
            child=child,
            link_id=target.pk,
            raised_on=when,
            reason="",
            by=world.users["officer"],
            expected_version=child.version,
        )
    assert words in " ".join(refused.value.message_dict["raised_on"])
    target.refresh_from_db()
    assert target.raised_on in (_today() - timedelta(days=30), _today() - timedelta(days=5))
    assert not RecordChange.objects.filter(child=child).exists()


def test_the_page_corrects_the_date_raised_and_keeps_what_was_typed(
    client: Client, world: World
) -> None:
    child = world.case_at_a.child
    link = _raise(world, "runaway", _today() - timedelta(days=3))
    client.force_login(world.users["officer"])
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    url = reverse("people:risk-factor-correct", args=[child.pk, link.pk])
    assert url in page
    form = client.get(url).content.decode()
    assert "Correct the date raised: Young runaway" in form
    assert f'value="{(_today() - timedelta(days=3)).day}"' in form
    refused = client.post(
        url,
        {
            "version": str(child.version),
            "reason": "Mistyped",
            **_date("raised_on", _today() + timedelta(days=2)),
        },
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "There is a problem" in text
    assert "The date raised must be today or in the past" in text
    assert 'value="Mistyped"' in text
    earlier = _today() - timedelta(days=60)
    saved = client.post(
        url, {"version": str(child.version), "reason": "Mistyped", **_date("raised_on", earlier)}
    )
    assert saved.status_code == 302
    link.refresh_from_db()
    assert link.raised_on == earlier
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Date raised corrected" in page
    assert f"raised {earlier.day} {earlier:%B %Y}" in page
