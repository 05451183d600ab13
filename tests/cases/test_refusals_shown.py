"""A refusal on the case page is shown at the top and beside its field, its section opened;
a form's POST-only address reloaded goes back to the page (issue 10, item 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from html_page import page

from cme.cases.models import Flag, FlagKind
from cme.cases.services import flag_raise

if TYPE_CHECKING:
    from conftest import World


def _officer(world: World) -> Client:
    client = Client()
    client.force_login(world.users["officer"])
    return client


def test_resolving_a_flag_without_a_reason_shows_why_with_its_box_open(world: World) -> None:
    case, officer = world.case_at_a, world.users["officer"]
    flag = flag_raise(case=case, kind=FlagKind.RISK, description="Seen late", by=officer)
    url = reverse("cases:resolve-flag", args=[case.pk, flag.pk])
    response = _officer(world).post(url, {"resolution": "  "})
    assert response.status_code == 400
    shown = page(response.content)
    link = shown.select(".govuk-error-summary a")
    assert link is not None and link.text == "Say why the flag can be resolved"
    box = shown.select(str(link.attr("href")))
    assert box is not None and box.tag == "textarea"
    details = box.ancestor(tag="details")
    assert details is not None and details.has_attr("open")
    group = box.ancestor(cls="govuk-form-group")
    assert group is not None and "Say why the flag can be resolved" in group.text
    title = shown.select("title")
    assert title is not None and title.text.startswith("Error:")
    assert Flag.objects.get(pk=flag.pk).resolved_at is None


def test_a_case_page_without_errors_keeps_its_sections_closed(world: World) -> None:
    case = world.case_at_a
    flag_raise(case=case, kind=FlagKind.RISK, description="x", by=world.users["officer"])
    shown = page(_officer(world).get(reverse("cases:detail", args=[case.pk])).content)
    assert shown.select(".govuk-error-summary") is None
    assert shown.select_all("details")
    assert not any(details.has_attr("open") for details in shown.select_all("details"))


def test_a_post_only_address_loaded_with_get_goes_back_to_its_page(world: World) -> None:
    case = world.case_at_a
    flag = flag_raise(case=case, kind=FlagKind.RISK, description="x", by=world.users["officer"])
    client = _officer(world)
    for url in (
        reverse("cases:resolve-flag", args=[case.pk, flag.pk]),
        reverse("cases:add-note", args=[case.pk]),
    ):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("cases:detail", args=[case.pk]),
        )
        assert client.put(url).status_code == 405
    assert Flag.objects.get(pk=flag.pk).resolved_at is None
    # Sign-out is a POST; its address loaded goes home and signs nobody out.
    assert client.get(reverse("accounts:sign-out")).status_code == 302
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
