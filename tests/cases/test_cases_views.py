"""The case pages: what they tell the officer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse

if TYPE_CHECKING:
    from conftest import World


def test_the_flag_page_says_child_protection_comes_first(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    page = client.get(reverse("cases:raise-flag", args=[world.case_at_a.pk])).content.decode()
    assert "does not replace child protection procedures" in page


def test_without_term_dates_the_case_page_says_what_to_do(world: World) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    page = client.get(reverse("cases:detail", args=[world.case_at_a.pk])).content.decode()
    assert "import-term-dates" in page
