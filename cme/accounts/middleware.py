"""Staff must confirm a second factor before they see anything but the sign-in pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Reachable with a password alone: signing in and out, the public form, health, static files.
OPEN_PREFIXES = ("/sign-in/", "/sign-out/", "/refer/", "/healthz", "/static/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.CME_REQUIRE_SECOND_FACTOR
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            from django_otp import devices_for_user

            from .second_factor import enrolment_pending

            # With no authenticator, the set-up page says to ask for a link unless one was opened.
            has_device = any(devices_for_user(user, confirmed=True))
            to_verify = has_device and not enrolment_pending(request)
            return redirect(
                reverse("accounts:second-factor" if to_verify else "accounts:second-factor-setup")
            )
        return self.get_response(request)
