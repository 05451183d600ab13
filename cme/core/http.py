"""Typing for views behind `login_required` (their request always carries a real User), and
the decorator for a form's POST-only address."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

from cme.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User


def post_only(
    page: str, *keep: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """For an address that only takes a form's POST (post-redirect-get: docs/forms.md).

    A GET or HEAD here (the address typed again, bookmarked, restored with the browser's tabs,
    or loaded after a refused form was shown at it) goes to `page`, the page the form lives on,
    instead of Django's blank 405. `keep` names the view's URL arguments `page` takes.
    Anything else is refused with a 405 that says which methods are allowed.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in {"GET", "HEAD"}:
                return redirect(page, **{name: kwargs[name] for name in keep})
            return HttpResponseNotAllowed(["GET", "POST"])

        return wrapped

    return decorator
