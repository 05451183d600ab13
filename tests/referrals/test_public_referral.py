"""The public online referral at /refer/: the journey, bad input, and the guards against abuse."""

from __future__ import annotations

import re
from typing import Any

import pytest
from concurrency import all_at_once, on_postgresql
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.core.models import RateCount
from cme.referrals.models import Reason, Referral, ReferralStatus, Route
from cme.referrals.public_views import JOURNEY, SLUGS

pytestmark = pytest.mark.django_db

ANSWERS: dict[str, dict[str, str]] = {
    "child-name": {"first_name": "Maisie", "last_name": "Fictional"},
    "date-of-birth": {
        "known": "yes",
        "date_of_birth_0": "31",
        "date_of_birth_1": "8",
        "date_of_birth_2": "2015",
    },
    "address": {
        "address_line_1": "12 Made Up Street",
        "address_line_2": "",
        "town": "Liverpool",
        "postcode": "l8  1ab",
    },
    "school": {"school_name": "Imaginary Primary"},
    "reason": {"reason": Reason.WHEREABOUTS_UNKNOWN},
    "anything-else": {"details": "Not seen since half term"},
    "your-details": {
        "name": "A Neighbour",
        "relationship": "Neighbour",
        "phone": "0151 496 0000",
        "email": "neighbour@example.com",
    },
}
CHECK = reverse("public_referral:check")
SENT = reverse("public_referral:sent")


def url(slug: str) -> str:
    return reverse("public_referral:question", args=[slug])


@pytest.fixture(autouse=True)
def _quick(settings: Any) -> None:
    """No minimum time unless a test sets one (rate-limit counts live in the test database,
    so each test starts at nought)."""
    settings.CME_PUBLIC_REFERRAL_MIN_SECONDS = 0


def walk(client: Client, **changes: dict[str, str]) -> None:
    """Answer every question in order, as a person clicking Continue would."""
    for slug in SLUGS:
        response = client.post(url(slug), {**ANSWERS[slug], **changes.get(slug, {})})
        assert response.status_code == 302, (slug, response.content.decode()[:2000])


def send(client: Client, **changes: dict[str, str]) -> Any:
    walk(client, **changes)
    assert client.get(CHECK).status_code == 200
    return client.post(CHECK)


def test_a_member_of_the_public_refers_a_child_without_an_account() -> None:
    client = Client()
    start = client.get(reverse("public_referral:start"))
    assert start.status_code == 200
    assert b"If a child is in danger, call 999" in start.content
    assert b"You do not have to give your name" in start.content

    walk(client)
    check = client.get(CHECK)
    for shown in (b"Maisie", b"31 August 2015", b"L8 1AB", b"Imaginary Primary", b"Neighbour"):
        assert shown in check.content
    response = client.post(CHECK)
    assert response.status_code == 302 and response["Location"] == SENT

    referral = Referral.objects.get()
    assert (referral.route, referral.reason) == (Route.ONLINE, Reason.WHEREABOUTS_UNKNOWN)
    assert referral.recorded_by is None and referral.status == ReferralStatus.RECEIVED
    assert referral.described["forename"] == "Maisie"
    assert referral.described["date_of_birth"] == "2015-08-31"
    assert referral.described["postcode"] == "L8 1AB"
    assert referral.described["school_name"] == "Imaginary Primary"
    assert referral.details == "Not seen since half term"
    assert (referral.referrer_name, referral.referrer_role) == ("A Neighbour", "Neighbour")
    assert referral.referrer_email == "neighbour@example.com"
    event = AuditEvent.objects.get(subject_type="referral", subject_id=referral.pk)
    assert (event.actor, event.actor_label, event.verb) == (None, "public", Verb.CREATE)

    confirmation = client.get(SENT)
    assert confirmation.status_code == 200
    assert referral.reference.encode() in confirmation.content
    assert b"What happens next" in confirmation.content
    # The answers are gone from the session: starting again starts empty.
    assert JOURNEY not in client.session
    assert client.get(CHECK)["Location"] == url(SLUGS[0])
    assert b"Maisie" not in client.get(url("child-name")).content


def test_optional_questions_can_be_left_and_the_date_of_birth_not_known() -> None:
    client = Client()
    empty = {"address_line_1": "", "town": "", "postcode": "", "school_name": ""}
    response = send(
        client,
        **{
            "child-name": {"first_name": "", "last_name": "Fictional"},
            "date-of-birth": {"known": "no", "date_of_birth_0": "", "approximate_age": "10"},
            "address": empty,
            "school": empty,
            "anything-else": {"details": ""},
            "your-details": {"name": "", "relationship": "", "phone": "", "email": ""},
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.described["date_of_birth"] == ""
    assert referral.described["approximate_age"] == "10"
    assert referral.referrer_name == "" and referral.referrer_email == ""


def test_each_page_has_one_h1_a_back_link_and_the_honeypot_hidden_from_everyone() -> None:
    client = Client()
    assert client.get(reverse("public_referral:start")).content.count(b"<h1") == 1
    back = reverse("public_referral:start")
    for slug in SLUGS:
        page = client.get(url(slug)).content.decode()
        assert page.count("<h1") == 1, slug
        assert f'href="{back}" class="govuk-back-link"' in page, slug
        assert re.search(
            r'aria-hidden="true">\s*<label for="id_website">Leave this box empty', page
        )
        assert 'name="website" value="" tabindex="-1" autocomplete="off"' in page
        client.post(url(slug), ANSWERS[slug])
        back = url(slug)
    page = client.get(CHECK).content.decode()
    assert page.count("<h1") == 1 and f'href="{url("your-details")}"' in page


def test_the_persons_own_details_carry_autocomplete_and_the_childs_do_not() -> None:
    page = Client().get(url("your-details")).content.decode()
    for token in ('autocomplete="name"', 'autocomplete="tel"', 'autocomplete="email"'):
        assert token in page
    child = Client().get(url("child-name")).content.decode()
    assert 'autocomplete="given-name"' not in child and 'autocomplete="off"' in child


def _dob(day: str, month: str, year: str) -> dict[str, str]:
    return {
        "known": "yes",
        "date_of_birth_0": day,
        "date_of_birth_1": month,
        "date_of_birth_2": year,
    }


@pytest.mark.parametrize(
    ("slug", "data", "message", "anchor", "kept"),
    [
        (
            "child-name",
            {"first_name": "", "last_name": ""},
            "Enter the child's first name",
            "id_first_name",
            "",
        ),
        ("date-of-birth", {"known": ""}, "Select yes if you know", "id_known_0", ""),
        (
            "date-of-birth",
            _dob("31", "2", "2015"),
            "Date of birth must be a real date",
            "id_date_of_birth_0",
            'value="31"',
        ),
        (
            "date-of-birth",
            _dob("1", "1", "2999"),
            "Date of birth must be in the past",
            "id_date_of_birth_0",
            'value="2999"',
        ),
        (
            "date-of-birth",
            _dob("", "", ""),
            "Enter the child&#x27;s date of birth",
            "id_date_of_birth_0",
            "",
        ),
        (
            "address",
            {"address_line_1": "12 Made Up Street", "postcode": "NOTAPC"},
            "Enter a real postcode",
            "id_postcode",
            'value="12 Made Up Street"',
        ),
        ("reason", {}, "Select why you think the child is not in school", "id_reason_0", ""),
        (
            "your-details",
            {"name": "A Neighbour", "email": "not-an-email", "phone": "call me"},
            "Enter an email address in the correct format",
            "id_email",
            'value="A Neighbour"',
        ),
    ],
)
def test_bad_input_is_explained_by_the_field_and_what_was_typed_stays(
    slug: str, data: dict[str, str], message: str, anchor: str, kept: str
) -> None:
    client = Client()
    response = client.post(url(slug), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "There is a problem" in page and f'href="#{anchor}"' in page
    assert message.replace("'", "&#x27;") in page
    assert f'id="{anchor}"' in page  # the summary's link lands on a real field
    assert kept in page
    assert Referral.objects.count() == 0


def test_a_date_typed_then_abandoned_for_no_is_not_an_answer() -> None:
    client = Client()
    response = client.post(
        url("date-of-birth"),
        {"known": "no", "date_of_birth_0": "99", "date_of_birth_1": "", "date_of_birth_2": ""},
    )
    assert response.status_code == 302
    assert client.session[JOURNEY]["answers"]["date-of-birth"]["date_of_birth"] == ""


def test_a_change_link_returns_to_check_your_answers_and_answers_never_go_in_urls() -> None:
    client = Client()
    for slug in SLUGS:
        response = client.post(url(slug), ANSWERS[slug])
        assert response["Location"] in [*map(url, SLUGS), CHECK]
        assert "Maisie" not in response["Location"]
    check = client.get(CHECK).content.decode()
    assert f'href="{url("child-name")}"' in check
    assert 'Change<span class="govuk-visually-hidden"> child&#x27;s name</span>' in check

    change = client.get(url("child-name")).content.decode()
    assert 'value="Maisie"' in change
    assert f'href="{CHECK}" class="govuk-back-link"' in change
    response = client.post(url("child-name"), {"first_name": "Maisy", "last_name": "Fictional"})
    assert response["Location"] == CHECK
    assert b"Maisy" in client.get(CHECK).content


def test_check_your_answers_sends_you_to_the_first_question_not_yet_answered() -> None:
    client = Client()
    client.post(url("child-name"), ANSWERS["child-name"])
    assert client.get(CHECK)["Location"] == url("date-of-birth")
    # A robot posting straight to the last page writes nothing either.
    robot = Client()
    assert robot.post(CHECK)["Location"] == url("child-name")
    assert Referral.objects.count() == 0


def test_too_many_from_one_address_is_a_polite_429_and_writes_nothing(settings: Any) -> None:
    settings.CME_PUBLIC_REFERRAL_PER_IP = 2
    for _ in range(2):
        assert send(Client(REMOTE_ADDR="203.0.113.9")).status_code == 302
    response = send(Client(REMOTE_ADDR="203.0.113.9"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Sorry, you cannot send another referral yet" in response.content
    assert Referral.objects.count() == 2
    # Another address is not held back by this one.
    assert send(Client(REMOTE_ADDR="198.51.100.7")).status_code == 302
    # The address is counted by a keyed hash, never kept as it is.
    keys = " ".join(RateCount.objects.values_list("key", flat=True))
    assert "public-referral:ip:" in keys and "203.0.113.9" not in keys


def test_too_many_from_one_session_is_a_polite_429_and_keeps_the_answers(settings: Any) -> None:
    settings.CME_PUBLIC_REFERRAL_PER_SESSION = 1
    client = Client()
    assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    assert Referral.objects.count() == 1
    assert client.session[JOURNEY]["answers"]["child-name"]["first_name"] == "Maisie"


def test_a_filled_honeypot_on_sending_writes_nothing_and_keeps_nothing() -> None:
    client = Client()
    walk(client)
    response = client.post(CHECK, {"website": "http://spam.example"})
    assert response.status_code == 400
    assert b"Sorry, your referral could not be sent" in response.content
    assert Referral.objects.count() == 0 and AuditEvent.objects.count() == 0
    assert JOURNEY not in client.session


def test_a_filled_honeypot_on_any_question_stops_the_journey() -> None:
    client = Client()
    response = client.post(url("child-name"), {**ANSWERS["child-name"], "website": "x"})
    assert response.status_code == 400
    assert JOURNEY not in client.session
    assert client.post(CHECK)["Location"] == url("child-name")
    assert Referral.objects.count() == 0


def test_sending_faster_than_a_person_could_is_refused_politely(settings: Any) -> None:
    settings.CME_PUBLIC_REFERRAL_MIN_SECONDS = 3600
    client = Client()
    response = send(client)
    assert response.status_code == 400
    assert b"Sorry, we could not send your referral yet" in response.content
    assert Referral.objects.count() == 0
    # The answers were kept: a person who waits can send them.
    settings.CME_PUBLIC_REFERRAL_MIN_SECONDS = 0
    assert client.post(CHECK).status_code == 302
    assert Referral.objects.count() == 1


def test_every_form_is_csrf_protected() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(url("child-name"), ANSWERS["child-name"]).status_code == 403
    assert client.post(CHECK).status_code == 403
    assert Referral.objects.count() == 0


def _confirmation(client: Client, **changes: dict[str, str]) -> str:
    assert send(client, **changes).status_code == 302
    page = client.get(SENT).content.decode()
    page = re.sub(r'nonce="[^"]+"', "NONCE", page)  # the script nonce is new every page
    return re.sub(r"CME-[0-9A-Z]{4}-[0-9A-Z]{4}", "REFERENCE", page)


def test_nothing_about_any_child_can_be_learnt_from_the_form(world: Any) -> None:
    known = world.case_at_a.child
    dob = known.date_of_birth
    about_known_child = _confirmation(
        Client(),
        **{
            "child-name": {"first_name": known.forename, "last_name": known.surname},
            "date-of-birth": {
                "known": "yes",
                "date_of_birth_0": str(dob.day),
                "date_of_birth_1": str(dob.month),
                "date_of_birth_2": str(dob.year),
            },
        },
    )
    about_made_up_child = _confirmation(Client())
    # Same words whoever the child is, known to the council or not; nothing echoed back.
    assert about_known_child == about_made_up_child
    assert known.surname not in about_known_child and "Maisie" not in about_made_up_child

    # The reference says nothing (no count, no date) and opens nothing for the public.
    referral = Referral.objects.filter(route=Route.ONLINE).first()
    assert referral is not None
    assert re.fullmatch(r"CME-[0-9A-Z]{4}-[0-9A-Z]{4}", referral.reference)
    anonymous = Client()
    response = anonymous.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_confirmation_needs_a_referral_sent_from_this_session() -> None:
    assert Client().get(SENT)["Location"] == reverse("public_referral:start")


def test_an_unknown_question_is_not_found() -> None:
    assert Client().get(url("favourite-colour")).status_code == 404


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_under_a_burst_with_forged_addresses(settings: Any) -> None:
    """Ten an hour from one address means ten, sent all at once, each claiming a different
    X-Forwarded-For (counted in the cache, 20 of 200 got through, and all 200 forged ones)."""
    settings.CME_PUBLIC_REFERRAL_PER_IP = 10
    clients = [Client(REMOTE_ADDR="203.0.113.9") for _ in range(40)]
    for client in clients:
        walk(client)

    def post(n: int) -> int:
        return clients[n].post(CHECK, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code

    statuses = all_at_once(len(clients), post)
    assert statuses.count(302) == 10 and statuses.count(429) == 30
    assert Referral.objects.count() == 10
