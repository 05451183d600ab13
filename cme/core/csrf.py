"""The page for a form refused because its security token is missing or out of date.

Django's own page is written for developers. A person sees this one: most often their browser
blocks cookies, or the page sat open while their sign-in ended. It never repeats what was sent.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. `reason` is Django's technical wording; Django logs it already."""
    return render(request, "core/csrf_failure.html", status=403)
