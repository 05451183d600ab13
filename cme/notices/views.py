"""What a public service must publish: privacy notice, accessibility statement, cookies, contact.

Open to everyone, signed in or not. The council's contact details come from core's context
processor (`council_contact`), as on every page. Every other fact that depends on configuration
(how long records are kept, cookie names and lifetimes, the statement's date) is read from
settings here, so a page cannot drift from what the service really does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from cme.rules.retention import CATEGORIES, retention_schedule


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    expires: str


def _duration(seconds: int) -> str:
    """8 hours, 52 weeks: lifetimes as a person reads them."""
    for unit, size in (("week", 604_800), ("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _ordinal(number: int) -> str:
    """25th, 21st, 12th."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _session_expiry() -> str:
    lifetime = _duration(settings.SESSION_COOKIE_AGE)
    if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        return f"When you close your browser, or after {lifetime}, whichever comes first"
    return f"After {lifetime}"


def _messages_use_a_cookie() -> bool:
    storage = import_string(settings.MESSAGE_STORAGE)
    return issubclass(storage, (CookieStorage, FallbackStorage))


def cookies_set() -> list[Cookie]:
    """Every cookie the service sets, from the settings that decide them."""
    found = [
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose="Keeps you signed in as you move between pages. On the form for telling us "
            "about a child, it remembers your answers until you send them.",
            expires=_session_expiry(),
        )
    ]
    if not settings.CSRF_USE_SESSIONS:
        found.append(
            Cookie(
                name=settings.CSRF_COOKIE_NAME,
                purpose="Stops other websites sending forms to this service pretending to be you.",
                expires=f"After {_duration(settings.CSRF_COOKIE_AGE)}"
                if settings.CSRF_COOKIE_AGE
                else "When you close your browser",
            )
        )
    if _messages_use_a_cookie():
        found.append(
            Cookie(
                name=CookieStorage.cookie_name,
                purpose="Shows a message on the next page to confirm something you did, such as "
                "saving a change. Staff only.",
                expires="As soon as the message has been shown, or when you close your browser",
            )
        )
    return found


def _retention() -> list[tuple[str, str]]:
    """Who, and until which birthday, as the council's schedule says (cme.rules.retention)."""
    years = retention_schedule(settings).years
    return [(c.who, _ordinal(years[c.key])) for c in reversed(CATEGORIES)]


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notices/privacy.html",
        {"retention": _retention()},
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notices/accessibility.html",
        {
            "prepared_on": settings.CME_ACCESSIBILITY_STATEMENT_DATE,
            "session_lifetime": _duration(settings.SESSION_COOKIE_AGE),
        },
    )


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/cookies.html", {"cookies": cookies_set()})


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/contact.html")
