"""Declining a referral without a reason: the error at the top and beside the box, with the
"This is not a CME case" section open (issue 10, item 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from factories import ReferralFactory
from html_page import page

from cme.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from conftest import World


def test_declining_without_a_reason_shows_the_error_with_the_section_open(world: World) -> None:
    referral = ReferralFactory.create()
    client = Client()
    client.force_login(world.users["officer"])
    response = client.post(reverse("referrals:decline", args=[referral.pk]), {"note": ""})
    assert response.status_code == 400
    shown = page(response.content)
    summary = shown.select(".govuk-error-summary")
    heading = shown.select("h1")
    assert summary is not None and heading is not None
    # At the top of the page, before the heading: not inside the collapsed section.
    assert summary.ancestor(tag="details") is None and heading.follows(summary)
    link = summary.select("a")
    assert link is not None and link.text == "Say why this is not a CME case"
    box = shown.select(str(link.attr("href")))
    assert box is not None
    details = box.ancestor(tag="details")
    assert details is not None and details.has_attr("open")
    group = box.ancestor(cls="govuk-form-group")
    assert group is not None and "Say why this is not a CME case" in group.text
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.RECEIVED
    # The decline address reloaded (a GET) goes back to the referral, not to a blank 405.
    again = client.get(reverse("referrals:decline", args=[referral.pk]))
    assert again["Location"] == reverse("referrals:detail", args=[referral.pk])
