"""The register search is posted and held in the session: nothing typed reaches a URL or a log."""

from __future__ import annotations

import logging
import re
from html import unescape
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from factories import ChildFactory, OpenCaseFactory

if TYPE_CHECKING:
    from conftest import World

NAME = "Quuxleyworth"
UPN = "A12345678901B"
HREF = re.compile(r'(?:href|action|src)="([^"]*)"')


def _urls_in(html: str) -> list[str]:
    return [unescape(url) for url in HREF.findall(html)]


@pytest.fixture
def many_named(world: World) -> None:
    """More cases for one surname than fit on a page, so there are pagination links."""
    for _ in range(55):
        OpenCaseFactory.create(child=ChildFactory.create(surname=NAME))
    OpenCaseFactory.create(child=ChildFactory.create(surname="Otherly", upn=UPN))


def _officer(world: World) -> Client:
    client = Client()
    client.force_login(world.users["officer"])
    return client


def _search(client: Client, **typed: str) -> str:
    response = client.post(reverse("cases:register"), {"status": "all", **typed})
    assert response.status_code == 302
    return str(response["Location"])


def test_search_redirects_to_an_opaque_id_and_keeps_what_was_typed(
    world: World, many_named
) -> None:
    client = _officer(world)
    location = _search(client, q=NAME.lower())
    assert re.fullmatch(r"/register/\?search=[\w-]{16}", location)
    page = client.get(location).content.decode()
    assert "55 cases" in page
    assert f'value="{NAME.lower()}"' in page  # the search box keeps what was typed

    upn_page = client.get(_search(client, q=UPN)).content.decode()
    assert "1 case" in upn_page and "OTHERLY" in upn_page


def test_no_typed_name_or_upn_reaches_any_url_or_log_line(world: World, many_named, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = _officer(world)
    seen_urls: list[str] = []
    for typed in (NAME, UPN):
        location = _search(client, q=typed)
        seen_urls.append(location)
        response = client.get(location)
        html = response.content.decode()
        seen_urls += _urls_in(html)
        next_links = [u for u in _urls_in(html) if "page=2" in u]
        if typed == NAME:
            assert next_links, "55 results should give a second page"
        for link in next_links:
            second = client.get(reverse("cases:register") + link)
            assert second.status_code == 200
            assert f'value="{NAME}"' in second.content.decode()  # still the same search
            seen_urls += _urls_in(second.content.decode())
        # Signed out, the same address sends to sign-in with a `next=` that names nobody.
        signed_out = Client().get(location)
        assert signed_out.status_code == 302
        seen_urls.append(str(signed_out["Location"]))
    for url in seen_urls:
        assert NAME.lower() not in url.lower() and UPN.lower() not in url.lower(), url
    for record in caplog.records:
        line = record.getMessage()
        assert NAME.lower() not in line.lower() and UPN.lower() not in line.lower(), line


def test_a_search_id_means_nothing_to_another_session(world: World, many_named) -> None:
    location = _search(_officer(world), q=NAME)
    other = _officer(world).get(location).content.decode()
    assert f'value="{NAME}"' not in other
    assert "55 cases" not in other  # the unfiltered register instead


def test_bad_filter_says_what_is_wrong_and_keeps_what_was_typed(world: World) -> None:
    client = _officer(world)
    response = client.post(
        reverse("cases:register"), {"q": NAME, "min_age": "eleven", "max_age": "9"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the age from as a whole number of years" in html
    assert f'value="{NAME}"' in html and 'value="eleven"' in html
    response = client.post(reverse("cases:register"), {"min_age": "12", "max_age": "9"})
    assert "Age to must be the same as age from or more" in response.content.decode()


def test_only_the_latest_searches_are_kept(world: World) -> None:
    from cme.cases.register_search import KEEP

    client = _officer(world)
    first = _search(client, q="First")
    for n in range(KEEP):
        _search(client, q=f"Later{n}")
    assert 'value="First"' not in client.get(first).content.decode()
    assert len(client.session["cme_register_searches"]) == KEEP
