"""For every role: which pages and which children's records it can and cannot reach."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb

if TYPE_CHECKING:
    from conftest import World

OK, DENIED, HIDDEN = 200, 403, 404

# role: (register, case at A, case at B, case referred by the police, child at A, audit of
# child at A (hidden where the child is), new referral, close case at A)
REACH = {
    "officer": (OK, OK, OK, OK, OK, DENIED, OK, OK),
    "manager": (OK, OK, OK, OK, OK, OK, OK, OK),
    "paews": (OK, OK, HIDDEN, HIDDEN, OK, DENIED, OK, DENIED),
    "paews_other": (OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, DENIED),
    "school_a": (OK, OK, HIDDEN, HIDDEN, OK, DENIED, OK, DENIED),
    "school_b": (OK, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, OK, DENIED),
    "keyworker": (OK, OK, HIDDEN, HIDDEN, OK, DENIED, DENIED, DENIED),
    "keyworker_other": (OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DENIED, DENIED),
    "agency": (OK, HIDDEN, HIDDEN, OK, HIDDEN, HIDDEN, OK, DENIED),
    "agency_other": (OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, DENIED),
    "otherla": (OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, DENIED),
    "admin": (DENIED, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DENIED, DENIED),
}


def _urls(world: World):
    a = world.case_at_a
    return [
        reverse("cases:register"),
        reverse("cases:detail", args=[a.pk]),
        reverse("cases:detail", args=[world.case_at_b.pk]),
        reverse("cases:detail", args=[world.case_referred_by_agency.pk]),
        reverse("people:detail", args=[a.child_id]),
        reverse("oversight:child-audit", args=[a.child_id]),
        reverse("referrals:new"),
        reverse("cases:close", args=[a.pk]),
    ]


@pytest.mark.parametrize("role", sorted(REACH))
def test_each_role_reaches_exactly_its_pages(world: World, role: str) -> None:
    client = Client()
    client.force_login(world.users[role])
    got = tuple(client.get(url).status_code for url in _urls(world))
    assert got == REACH[role]


def test_signed_out_visitors_are_sent_to_sign_in(world: World) -> None:
    client = Client()
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_hidden_case_gives_no_hint_that_it_exists(world: World) -> None:
    client = Client()
    client.force_login(world.users["school_b"])
    hidden = client.get(reverse("cases:detail", args=[world.case_at_a.pk]))
    missing = client.get(reverse("cases:detail", args=[999999]))
    assert hidden.status_code == missing.status_code == 404
    # Identical but for the per-request CSRF token in the sign-out form and the script nonce.
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    assert strip.sub(b"", hidden.content) == strip.sub(b"", missing.content)
    assert world.case_at_a.child.surname.encode() not in hidden.content


def test_school_register_lists_only_its_own_pupils(world: World) -> None:
    client = Client()
    client.force_login(world.users["school_a"])
    page = client.get(reverse("cases:register")).content.decode()
    assert world.case_at_a.child.surname.upper() in page
    assert world.case_at_b.child.surname.upper() not in page
    listed = set(AuditEvent.objects.filter(verb=Verb.LIST).values_list("child_id", flat=True))
    assert listed == {world.case_at_a.child_id}


def test_referring_agency_sees_the_outcome_not_the_file(world: World) -> None:
    client = Client()
    client.force_login(world.users["agency"])
    page = client.get(reverse("cases:detail", args=[world.case_referred_by_agency.pk]))
    assert page.status_code == 200
    assert b"You referred this child" in page.content
    assert b"Timeline" not in page.content


def test_a_system_admin_never_sees_a_referral_even_one_their_organisation_made(
    world: World,
) -> None:
    from factories import ReferralFactory

    admin = world.users["admin"]
    referral = ReferralFactory.create(referring_organisation=admin.organisation, recorded_by=admin)
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


# role: (action plan, check page, raise a flag, name workers, clock dates, move on, reopen,
# home education register) for the case at school A
CASEWORK_REACH = {
    "officer": (OK, OK, OK, OK, OK, OK, OK, OK),
    "manager": (OK, OK, OK, OK, OK, OK, OK, OK),
    "paews": (OK, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED),
    "paews_other": (HIDDEN, DENIED, HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED),
    # The action plan is not the school's part of the record (docs/access.md).
    "school_a": (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "school_b": (HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    # A key worker outside social care does not raise or read safeguarding flags.
    "keyworker": (OK, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "keyworker_other": (HIDDEN, DENIED, HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED),
    "agency": (HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "agency_other": (HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "otherla": (HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "admin": (HIDDEN, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
}


@pytest.mark.parametrize("role", sorted(CASEWORK_REACH))
def test_each_role_reaches_exactly_its_casework_pages(world: World, role: str) -> None:
    a = world.case_at_a.pk
    urls = [
        reverse("plans:plan", args=[a]),
        reverse("checks:case", args=[a]),
        reverse("cases:raise-flag", args=[a]),
        reverse("cases:assign", args=[a]),
        reverse("cases:clock-starts", args=[a]),
        reverse("cases:transition", args=[a]),
        reverse("cases:reopen", args=[a]),
        reverse("checks:home-education"),
    ]
    client = Client()
    client.force_login(world.users[role])
    assert tuple(client.get(url).status_code for url in urls) == CASEWORK_REACH[role]
    # A refusal and a hidden record are on the audit trail, with the path (ids only) and
    # nothing about a child.
    refusals = AuditEvent.objects.filter(verb=Verb.DENIED, actor=world.users[role])
    statuses = sorted(e.details["status"] for e in refusals)
    assert statuses == sorted(s for s in CASEWORK_REACH[role] if s in (DENIED, HIDDEN))
    assert all(e.child_id is None for e in refusals)
