"""The public online referral at /refer/: no account, one question a page, nothing given back.

Answers live in the server-side session between pages, never in URLs. The confirmation is
the same whatever was entered, and nothing here looks anything up, so the form cannot be
used to learn about any child. Robots are kept off by ``abuse``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from . import abuse
from .models import Route
from .public_forms import STEPS, check_rows, described_from, referrer_from
from .services import new_submission_key, referral_record

JOURNEY = "public_referral"  # this visit's answers, and when it started
SENT = "public_referral_sent"  # the reference of the last referral this session sent
SLUGS = [slug for slug, _, _ in STEPS]
REQUIRED = ("child-name", "reason")
TEMPLATES = {
    "date-of-birth": "referrals/public/date_of_birth.html",
    "school": "referrals/public/single_question.html",
    "reason": "referrals/public/single_question.html",
    "anything-else": "referrals/public/single_question.html",
}
HINTS = {
    "child-name": "If you only know one of their names, or a name they are called by, enter that.",
    "address": "If you know. Leave empty anything you do not know.",
    "your-details": (
        "You do not have to give your name. If you tell us how to contact you, we may get in "
        "touch if we need to know more."
    ),
}


def _journey(request: HttpRequest) -> dict[str, Any]:
    journey: dict[str, Any] = request.session.setdefault(JOURNEY, {})
    journey.setdefault("answers", {})
    if not journey.get("submission_key"):
        # One referral per journey: sent twice at once (a double click), it is recorded once.
        journey["submission_key"] = new_submission_key()
        request.session.modified = True
    if journey.get("started_at") is None:
        journey["started_at"] = abuse.started_now()
        request.session.modified = True
    return journey


def _question_url(slug: str) -> str:
    return reverse("public_referral:question", args=[slug])


def _neighbours(journey: dict[str, Any], slug: str) -> tuple[str, str]:
    """Where Back and Continue go: the pages either side, or check your answers if changing."""
    check = reverse("public_referral:check")
    index = SLUGS.index(slug)
    back = _question_url(SLUGS[index - 1]) if index else reverse("public_referral:start")
    forward = _question_url(SLUGS[index + 1]) if index + 1 < len(SLUGS) else check
    if journey.get("checking"):
        return check, check
    return back, forward


def _first_unanswered(journey: dict[str, Any]) -> str | None:
    answers = journey.get("answers", {})
    return next((slug for slug in SLUGS if slug not in answers), None)


def _caught(request: HttpRequest) -> HttpResponse:
    """The honeypot was filled: keep nothing, write nothing, and say so politely."""
    request.session.pop(JOURNEY, None)
    return render(request, "referrals/public/not_sent.html", status=400)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/public/start.html", {"first": _question_url(SLUGS[0])})


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in SLUGS:
        raise Http404
    _, form_class, title = STEPS[SLUGS.index(slug)]
    journey = _journey(request)
    back, forward = _neighbours(journey, slug)
    asked: dict[str, str] | None = None
    if request.method == "POST":
        if abuse.honeypot_filled(request.POST):
            return _caught(request)
        form = form_class(request.POST)
        asked = form.age_question() if form.is_valid() and hasattr(form, "age_question") else None
        if asked:
            # Asked, not refused: the same answer sent again goes through.
            data = request.POST.copy()
            data["age_checked"] = asked["answer"]
            form.data = data
        elif form.is_valid():
            journey["answers"][slug] = form.answers()
            request.session.modified = True
            return redirect(forward)
    else:
        form = form_class(initial=form_class.initial_from(journey["answers"].get(slug, {})))
    context = {
        "form": form,
        "age_question": asked,
        "title": title,
        "hint": HINTS.get(slug, ""),
        "back": back,
        "honeypot": abuse.HONEYPOT_FIELD,
    }
    template = TEMPLATES.get(slug, "referrals/public/question.html")
    return render(request, template, context, status=400 if form.errors else 200)


def _check_page(
    request: HttpRequest, journey: dict[str, Any], problems: list[str] | None = None
) -> HttpResponse:
    context = {
        "rows": check_rows(journey["answers"]),
        "back": _question_url(SLUGS[-1]),
        "honeypot": abuse.HONEYPOT_FIELD,
        "problems": problems or [],
    }
    status = 400 if problems else 200
    return render(request, "referrals/public/check.html", context, status=status)


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    journey = _journey(request)
    unanswered = _first_unanswered(journey)
    if request.method == "GET":
        if unanswered:
            return redirect(_question_url(unanswered))
        journey["checking"] = True
        request.session.modified = True
        return _check_page(request, journey)
    return _send(request, journey, unanswered)


def _send(request: HttpRequest, journey: dict[str, Any], unanswered: str | None) -> HttpResponse:
    if not abuse.submission_attempt(request):
        response = render(request, "referrals/public/rate_limited.html", status=429)
        response.headers["Retry-After"] = str(abuse.retry_after_seconds())
        return response
    if abuse.honeypot_filled(request.POST):
        return _caught(request)
    if unanswered:
        return redirect(_question_url(unanswered))
    if abuse.too_fast(journey.get("started_at")):
        return render(request, "referrals/public/too_fast.html", status=400)
    answers = journey["answers"]
    try:
        referral = referral_record(
            by=None,
            route=Route.ONLINE,
            reason=answers["reason"]["reason"],
            received_on=timezone.localdate(),
            described=described_from(answers),
            details=answers["anything-else"].get("details", ""),
            referrer=referrer_from(answers),
            submission_key=journey["submission_key"],
        )
    except ValidationError as error:
        return _check_page(request, journey, problems=error.messages)
    request.session.pop(JOURNEY, None)
    request.session[SENT] = referral.reference
    return redirect("public_referral:sent")


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SENT)
    if not reference:
        return redirect("public_referral:start")
    return render(request, "referrals/public/sent.html", {"reference": reference})
