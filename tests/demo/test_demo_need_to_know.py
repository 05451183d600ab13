"""The demo shows need to know at work: each demo sign-in sees its share of one family."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cme.accounts.models import Organisation, OrganisationKind, User
from cme.cases.models import Case, Flag, FlagKind, SharedWith
from cme.demo.builder import build_demo
from cme.people.models import Address

REFUGE = "Harbour View"
FLAG = "Mother disclosed domestic abuse"
NOTES = {
    SharedWith.CME_TEAM: "Do not share the new address",
    SharedWith.WORKERS: "Visited at the refuge",
    SharedWith.SCHOOL: "keep the pupil on roll",
}


@pytest.fixture
def showcase(db: None) -> Case:
    build_demo(as_of=date(2026, 12, 2))
    return Case.objects.get(flags__description__startswith=FLAG)


def _page(username: str, case: Case) -> tuple[int, str]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("cases:detail", args=[case.pk]))
    return response.status_code, response.content.decode()


def test_the_demo_approves_agencies_for_key_work_and_never_another_council(showcase) -> None:
    approved = Organisation.objects.filter(approved_for_key_work=True)
    assert approved.filter(name__startswith="Children's Social Care", safeguarding_role=True)
    assert not approved.filter(kind=OrganisationKind.OTHER_LA).exists()
    assert Address.objects.filter(do_not_share=True).count() > 1  # the refuges too
    assert Flag.objects.filter(kind=FlagKind.SAFEGUARDING).count() >= 2


def test_each_demo_sign_in_sees_its_share_of_the_showcase_family(showcase) -> None:
    expect = {
        # username: (flag, refuge address, team note, workers note, school note, child's name)
        "officer": (True, True, True, True, True, True),
        "keyworker": (False, False, False, True, True, True),
        "school": (False, False, False, False, True, True),
        "agency": (False, False, False, False, False, False),
        "otherla": (False, False, False, False, False, False),
    }
    for username, wanted in expect.items():
        status, text = _page(username, showcase)
        assert status == 200, username
        got = (
            FLAG in text,
            REFUGE in text,
            NOTES[SharedWith.CME_TEAM] in text,
            NOTES[SharedWith.WORKERS] in text,
            NOTES[SharedWith.SCHOOL] in text,
            # As a word: a surname such as "Cook" is in every page's "Cookies" link.
            re.search(rf"\b{re.escape(showcase.child.surname)}\b", text) is not None,
        )
        assert got == wanted, username


def test_the_social_care_key_worker_sees_the_flag_on_their_case(showcase) -> None:
    theirs = Case.objects.filter(key_worker__username="keyworker3", flags__isnull=False).first()
    assert theirs is not None
    status, text = _page("keyworker3", theirs)
    assert status == 200
    assert "possible exploitation" in text
