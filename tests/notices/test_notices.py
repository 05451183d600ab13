"""What a public service must publish, the footer linking it, and the refused-token page."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

from cme.notices.views import cookies_set

NOTICES = ("notices:privacy", "notices:accessibility", "notices:cookies", "notices:contact")

CONTACT = {
    "CME_CONTACT_EMAIL": "cme@testcouncil.example.net",
    "CME_CONTACT_PHONE": "01632 960 777",
    "CME_CONTACT_HOURS": "Monday to Thursday, 10am to 4pm",
    "CME_CONTACT_ADDRESS": ["CME team", "2 Test Road", "Testville", "TE5 7ST"],
    "CME_DPO_EMAIL": "dpo@testcouncil.example.net",
}


@pytest.fixture
def contact(settings: Any) -> dict[str, Any]:
    for name, value in CONTACT.items():
        setattr(settings, name, value)
    return CONTACT


def _text(response: Any) -> str:
    return response.content.decode()


def _headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[1-4][^>]*>(.*?)</h", page)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "headings", "contacts"),
    [
        (
            "notices:privacy",
            [
                "Privacy notice: children missing education",
                "What we hold about a child and their family",
                "Why we use it, and the law that allows us to",
                "Who we share it with",
                "How long we keep it",
                "Your rights",
                "Contact the data protection officer",
                "How to complain",
            ],
            ["CME_DPO_EMAIL"],
        ),
        (
            "notices:accessibility",
            [
                "Accessibility statement for the CME Register",
                "How accessible this service is",
                "Feedback and contact information",
                "Reporting accessibility problems with this service",
                "Enforcement procedure",
                "Technical information about this service's accessibility",
                "Compliance status",
                "Non-accessible content",
                "Preparation of this accessibility statement",
            ],
            ["CME_CONTACT_EMAIL", "CME_CONTACT_PHONE", "CME_CONTACT_HOURS"],
        ),
        ("notices:cookies", ["Cookies", "Essential cookies"], []),
        (
            "notices:contact",
            [
                "Contact the children missing education team",
                "Tell us about a child who is not in school",
                "A pupil on a school's roll who is not attending",
            ],
            ["CME_CONTACT_EMAIL", "CME_CONTACT_PHONE", "CME_DPO_EMAIL"],
        ),
    ],
)
def test_each_notice_opens_without_signing_in(
    contact: dict[str, Any], name: str, headings: list[str], contacts: list[str]
) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 200
    page = _text(response).replace("&#x27;", "'")
    found = _headings(page)
    assert [h for h in headings if h not in found] == []
    assert len(re.findall(r"<h1[ >]", page)) == 1
    for setting in contacts:
        assert contact[setting] in page


@pytest.mark.django_db
def test_the_contact_page_gives_the_postal_address_line_by_line(contact: dict[str, Any]) -> None:
    page = _text(Client().get(reverse("notices:contact")))
    assert "CME team<br>2 Test Road<br>Testville<br>TE5 7ST" in page
    assert f'href="{reverse("public_referral:start")}"' in page


@pytest.mark.django_db
def test_the_privacy_notice_states_the_law_and_the_configured_retention(settings: Any) -> None:
    settings.CME_RETENTION_YEARS_DEFAULT = 22
    settings.CME_RETENTION_YEARS_EHCP = "33"
    page = _text(Client().get(reverse("notices:privacy")))
    assert "Any other child: until their 22nd birthday" in page
    assert "A child who has ever had an EHC plan: until their 33rd birthday" in page
    assert "A child who has ever been looked after by a council: until their 75th birthday" in page
    for basis in (
        "section 436A of the Education Act 1996",
        "Article 6(1)(e)",
        "Article 9(2)(g)",
        "Data Protection Act 2018, Schedule 1",
        "Information Commissioner",
    ):
        assert basis in page
    for shared_with in ("schools", "PAEWS", "partner agencies", "other councils", "numbers only"):
        assert shared_with in page


@pytest.mark.django_db
def test_the_accessibility_statement_is_honest_about_testing_and_dated(settings: Any) -> None:
    settings.CME_ACCESSIBILITY_STATEMENT_DATE = date(2027, 3, 4)
    settings.SESSION_COOKIE_AGE = 4 * 60 * 60
    page = _text(Client().get(reverse("notices:accessibility")))
    assert "prepared on 4 March 2027" in page
    assert "axe-core" in page and "WCAG 2.2 AA" in page
    assert "JavaScript turned off" in page
    assert "have not yet tested the service with screen readers" in page
    assert "end after 4 hours" in page
    assert "equalityadvisoryservice.com" in page


@pytest.mark.django_db
def test_the_cookies_page_lists_the_cookies_by_their_configured_names(settings: Any) -> None:
    settings.SESSION_COOKIE_NAME = "cme_session"
    settings.CSRF_COOKIE_NAME = "cme_csrf"
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    page = _text(Client().get(reverse("notices:cookies")))
    assert "<code>cme_session</code>" in page and "<code>cme_csrf</code>" in page
    assert "after 8 hours" in page
    assert "analytics" in page


def test_the_cookie_list_follows_the_settings_that_decide_it(settings: Any) -> None:
    assert [c.name for c in cookies_set()] == ["sessionid", "csrftoken", "messages"]
    assert cookies_set()[1].expires == "After 52 weeks"
    settings.CSRF_USE_SESSIONS = True
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False
    settings.SESSION_COOKIE_AGE = 2 * 24 * 60 * 60
    assert [(c.name, c.expires) for c in cookies_set()] == [("sessionid", "After 2 days")]


def test_a_real_request_sets_no_cookie_the_page_does_not_list(world: Any) -> None:
    """Sign in, act, sign out: every cookie the service sent is one the cookies page names."""
    listed = {c.name for c in cookies_set()}
    client = Client()
    sent: set[str] = set()
    for response in (
        client.get(reverse("accounts:sign-in")),
        client.post(
            reverse("accounts:sign-in"),
            {"username": "officer", "password": "a long test password"},
        ),
        client.get(reverse("worklist:home")),
        client.get(reverse("public_referral:start")),
        client.post(
            reverse("public_referral:question", args=["child-name"]),
            {"first_name": "Maisy", "last_name": "Fictional"},
        ),
    ):
        sent |= set(response.cookies)
    assert sent and sent <= listed


def _footer(page: str) -> str:
    return page[page.index('<footer class="govuk-footer"') :]


def _links_to_every_notice(page: str) -> bool:
    footer = _footer(page)
    return all(f'href="{reverse(name)}"' in footer for name in NOTICES)


def test_every_kind_of_page_links_to_the_notices_in_its_footer(world: Any) -> None:
    staff = Client()
    staff.force_login(world.users["officer"])
    pages = {
        "staff home": staff.get(reverse("worklist:home")),
        "staff case": staff.get(reverse("cases:detail", args=[world.case_at_a.pk])),
        "public start": Client().get(reverse("public_referral:start")),
        "public question": Client().get(reverse("public_referral:question", args=["child-name"])),
        "sign-in": Client().get(reverse("accounts:sign-in")),
        "not found": staff.get("/no-such-page/"),
        "a notice": Client().get(reverse("notices:privacy")),
    }
    assert pages["not found"].status_code == 404
    assert {name: _links_to_every_notice(_text(r)) for name, r in pages.items()} == dict.fromkeys(
        pages, True
    )


@pytest.mark.django_db
def test_the_public_form_links_to_the_privacy_notice_before_it_starts() -> None:
    page = _text(Client().get(reverse("public_referral:start")))
    main = page[: page.index('<footer class="govuk-footer"')]
    assert f'href="{reverse("notices:privacy")}"' in main


@pytest.mark.django_db
def test_the_sign_in_page_sends_the_public_to_the_form_with_the_teams_details(
    contact: dict[str, Any],
) -> None:
    page = _text(Client().get(reverse("accounts:sign-in")))
    main = page[: page.index('<footer class="govuk-footer"')]
    assert 'href="/refer/"' in main
    assert contact["CME_CONTACT_EMAIL"] in main and contact["CME_CONTACT_PHONE"] in main
    assert "email or phone the CME team." not in main


@pytest.mark.django_db
def test_a_refused_form_token_gets_a_page_saying_what_to_do(contact: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("public_referral:start"))
    response = client.post(
        reverse("public_referral:question", args=["child-name"]),
        {"first_name": "Zebedee", "last_name": "Quillfeather-Unlikely"},
    )
    assert response.status_code == 403
    page = _text(response).replace("&#x27;", "'")
    assert "Sorry, we could not accept that form" in _headings(page)
    assert "allow cookies for this site" in page
    assert "go back to the form, reload the page, and send it again" in page
    assert contact["CME_CONTACT_PHONE"] in page and contact["CME_CONTACT_EMAIL"] in page
    assert _links_to_every_notice(page)
    # Nothing that was sent comes back, and none of Django's developer wording.
    assert "Zebedee" not in page and "Quillfeather" not in page
    assert "CSRF" not in page and "Referer" not in page


def test_a_refused_token_for_signed_in_staff_gets_the_same_page(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["officer"])
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 403
    assert "Sorry, we could not accept that form" in _text(response)
    # Refusing the form did not sign them out or change anything.
    assert client.get(reverse("worklist:home")).status_code == 200


def test_the_deploy_check_warns_while_contact_details_are_fictional(
    settings: Any, db: None
) -> None:
    def flagged() -> list[str]:
        return [
            m.msg.split(" ")[0]
            for m in run_checks(include_deployment_checks=True)
            if m.id == "cme.notices.W001"
        ]

    assert set(flagged()) == {
        "CME_CONTACT_EMAIL",
        "CME_DPO_EMAIL",
        "CME_CONTACT_PHONE",
        "CME_CONTACT_ADDRESS",
    }
    settings.CME_CONTACT_EMAIL = "cme@liverpool.gov.uk"
    settings.CME_DPO_EMAIL = "dpo@liverpool.gov.uk"
    settings.CME_CONTACT_PHONE = "0151 233 1607"
    settings.CME_CONTACT_ADDRESS = ["Cunard Building", "Water Street", "Liverpool", "L3 1AH"]
    assert flagged() == []
