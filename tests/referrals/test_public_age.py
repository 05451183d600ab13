"""The public form's age question: a guess shown in plain words ("about 11" stays "About 11
years old"), and a gentle question, never a refusal, for an age outside compulsory school age."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from test_public_referral import ANSWERS, CHECK, url, walk

from cme.referrals.models import Referral
from cme.referrals.public_forms import approximate_age_words, approximate_years

pytestmark = pytest.mark.django_db
DOB = url("date-of-birth")


@pytest.fixture(autouse=True)
def _quick(settings: Any) -> None:
    settings.CME_PUBLIC_REFERRAL_MIN_SECONDS = 0


@pytest.mark.parametrize(
    ("typed", "years", "words"),
    [
        ("11", (11,), "About 11 years old"),
        ("about 11", (11,), "About 11 years old"),
        ("About 11 years old", (11,), "About 11 years old"),
        ("  around  9 yrs ", (9,), "About 9 years old"),
        ("10 or 11", (10, 11), "About 10 to 11 years old"),
        ("10-11", (10, 11), "About 10 to 11 years old"),
        ("1", (1,), "About 1 year old"),
        ("a teenager", (), "A teenager"),
        ("", (), ""),
    ],
)
def test_a_guess_at_the_age_reads_as_plain_words(
    typed: str, years: tuple[int, ...], words: str
) -> None:
    assert approximate_years(typed) == years
    assert approximate_age_words(typed) == words


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _age(client: Client, approximate_age: str, **more: str) -> Any:
    return client.post(DOB, {"known": "no", "approximate_age": approximate_age, **more})


def test_about_11_is_not_about_about_11() -> None:
    client = Client()
    walk(client, **{"date-of-birth": {"known": "no", "approximate_age": "about 11"}})
    page = _text(client.get(CHECK))
    assert "About 11 years old" in page
    assert "bout about" not in page.lower()


def test_an_age_of_36_is_questioned_gently_then_accepted_as_given() -> None:
    client = Client()
    client.post(url("child-name"), ANSWERS["child-name"])
    asked = _age(client, "36")
    page = _text(asked)
    # A question, not an error: no error summary, nothing refused, the answer kept.
    assert asked.status_code == 200
    assert "There is a problem" not in page and "Error:" not in page
    assert "Is the child's age right?" in page
    assert "You told us the child is about 36 years old" in page and "too old" in page
    assert 'value="36"' in asked.content.decode()
    hidden = re.search(r'name="age_checked" value="([^"]*)"', asked.content.decode())
    assert hidden and hidden.group(1)
    # Continue with the same answer: accepted, and it is what the referral says.
    kept = _age(client, "36", age_checked=hidden.group(1))
    assert kept.status_code == 302
    assert client.session["public_referral"]["answers"]["date-of-birth"] == {
        "known": "no",
        "date_of_birth": "",
        "approximate_age": "36",
    }


def test_a_changed_age_after_the_question_is_taken_without_asking_again() -> None:
    client = Client()
    asked = _age(client, "36")
    hidden = re.search(r'name="age_checked" value="([^"]*)"', asked.content.decode())
    assert hidden
    assert _age(client, "13", age_checked=hidden.group(1)).status_code == 302
    # A different answer outside school age is asked about afresh.
    assert "Is the child's age right?" in _text(_age(client, "3", age_checked=hidden.group(1)))


@pytest.mark.parametrize(("years", "side"), [("3", "too young"), ("17", "too old")])
def test_a_date_of_birth_outside_school_age_is_asked_about_too(years: str, side: str) -> None:
    today = timezone.localdate()
    born = today.replace(year=today.year - int(years), day=1)
    client = Client()
    asked = client.post(
        DOB,
        {
            "known": "yes",
            "date_of_birth_0": str(born.day),
            "date_of_birth_1": str(born.month),
            "date_of_birth_2": str(born.year),
        },
    )
    page = _text(asked)
    assert asked.status_code == 200 and side in page
    assert f"was born on {born.day} {born:%B %Y}" in page


@pytest.mark.parametrize("typed", ["11", "5", "16", "a teenager", ""])
def test_an_age_that_may_be_of_school_age_is_not_questioned(typed: str) -> None:
    assert _age(Client(), typed).status_code == 302


def test_the_referral_is_sent_with_the_age_as_given() -> None:
    client = Client()
    for slug in ("child-name", "address", "school", "reason", "anything-else", "your-details"):
        client.post(url(slug), ANSWERS[slug])
    asked = _age(client, "36")
    hidden = re.search(r'name="age_checked" value="([^"]*)"', asked.content.decode())
    assert hidden
    _age(client, "36", age_checked=hidden.group(1))
    assert client.get(CHECK).status_code == 200
    assert client.post(CHECK).status_code == 302
    assert Referral.objects.get().described["approximate_age"] == "36"
