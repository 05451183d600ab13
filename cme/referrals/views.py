from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.cases.models import Case
from cme.cases.scopes import case_scope
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only
from cme.people.selectors import child_get

from . import services
from .forms import DeclineForm, ReferralForm
from .models import Referral, ReferralStatus
from .selectors import described_for, known_children_seen, referral_get

# The referrals this browser session sent, newest last: only it sees their confirmation page.
SENT = "referrals_sent"
SENT_KEPT = 20


def _sent_by_this_session(request: AuthedRequest, referral: Referral) -> HttpResponse:
    sent = [i for i in request.session.get(SENT, []) if i != referral.pk]
    request.session[SENT] = [*sent, referral.pk][-SENT_KEPT:]
    return redirect("referrals:sent", referral_id=referral.pk)


@login_required
def new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not can(user, Action.RECORD_REFERRAL):
        raise NotAllowed
    if request.method != "POST":
        form = ReferralForm(user=user, initial={"submission_key": services.new_submission_key()})
        return render(request, "referrals/new.html", {"form": form})
    form = ReferralForm(request.POST, user=user)
    key = form.sent_key()
    already = services.referral_sent_with(submission_key=key, by=user) if key else None
    if already is not None:
        # This form was sent before (Back, then send again; a second click): nothing new.
        messages.info(
            request,
            f"You had already sent this form: it made referral {already.reference}. "
            "Nothing was sent twice.",
        )
        return _sent_by_this_session(request, already)
    if form.is_valid():
        data = form.cleaned_data
        terms, problems = services.staff_referral_terms(
            by=user,
            route=data.get("route", ""),
            school=data.get("school"),
            referrer={
                "name": data.get("referrer_name", ""),
                "role": data.get("referrer_role", ""),
                "phone": data.get("referrer_phone", ""),
                "email": data.get("referrer_email", ""),
            },
        )
        try:
            if problems:
                raise ValidationError(problems)
            referral = services.staff_referral_record(
                by=user,
                terms=terms,
                reason=data["reason"],
                received_on=data.get("received_on") or timezone.localdate(),
                described=form.described(),
                details=data.get("details", ""),
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _sent_by_this_session(request, referral)
    if "submission_key" in form.errors:
        # A page from before the key, or a broken one: a fresh key, so sending again works.
        data = request.POST.copy()
        data["submission_key"] = services.new_submission_key()
        form.data = data
    return render(request, "referrals/new.html", {"form": form}, status=400)


@login_required
def sent(request: AuthedRequest, referral_id: int) -> HttpResponse:
    """The confirmation: a page of its own, so reloading it sends nothing. Only the session
    that sent the referral sees it; anyone else who may read the referral has its page."""
    if referral_id not in request.session.get(SENT, []):
        raise Http404
    referral = referral_get(user=request.user, referral_id=referral_id)
    return render(request, "referrals/done.html", {"referral": referral})


@login_required
def detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = referral_get(user=request.user, referral_id=referral_id)
    return render(request, "referrals/detail.html", _detail_context(request, referral))


def _detail_context(
    request: AuthedRequest, referral: Referral, **extra: object
) -> dict[str, object]:
    triage = can(request.user, Action.TRIAGE) and referral.status == ReferralStatus.RECEIVED
    known = known_children_seen(user=request.user, referral=referral) if triage else None
    return {
        "referral": referral,
        "described": described_for(user=request.user, referral=referral),
        "case_visible": referral.case_id is not None
        and Case.objects.filter(case_scope(request.user), pk=referral.case_id).exists(),
        "can_triage": triage,
        "known": known,
        "decline_form": DeclineForm(),
        "recent_days": settings.CME_RECENT_REFERRAL_DAYS,
        **extra,
    }


def _whole_number(value: str) -> int | None:
    """A count or id as posted by the page's own form; None for anything else (a database id
    has at most 18 digits)."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@login_required
@post_only("referrals:detail", "referral_id")
def open_case(request: AuthedRequest, referral_id: int) -> HttpResponse:
    """Open a case for a new child, or for a known one the officer chose from the matches."""
    referral = referral_get(user=request.user, referral_id=referral_id)
    chosen, shown = request.POST.get("child", ""), request.POST.get("matches_shown", "")
    child_id, matches_shown = _whole_number(chosen), _whole_number(shown) if shown else 0
    if (chosen and child_id is None) or matches_shown is None:
        # Only a tampered or broken form sends these: say so, change nothing.
        messages.error(
            request,
            "The page sent something the register could not read. Open the referral again "
            "and choose the child from the list.",
        )
        context = _detail_context(request, referral)
        return render(request, "referrals/detail.html", context, status=400)
    child = child_get(user=request.user, child_id=child_id) if child_id is not None else None
    try:
        decision = services.referral_accept(
            referral=referral,
            by=request.user,
            child=child,
            take_details=request.POST.get("take_details") == "yes",
            matches_shown=matches_shown,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referrals:detail", referral_id=referral.pk)
    messages.success(
        request,
        "Case opened" if decision.opened_a_case else "Referral added to the child's open case",
    )
    return redirect("cases:detail", case_id=decision.case.pk)


@login_required
@post_only("referrals:detail", "referral_id")
def decline(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = referral_get(user=request.user, referral_id=referral_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.referral_decline(
                referral=referral, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Referral closed: not a CME case")
            return redirect("worklist:home")
    return render(
        request,
        "referrals/detail.html",
        _detail_context(request, referral, decline_form=form),
        status=400,
    )
