"""The officer's provision page for a case: record the place, the start, the review after
the watch, or the place declined. Each view parses, calls one service, redirects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest

from . import services
from .forms import OfferForm, ReviewForm, StartForm, WithdrawForm
from .selectors import case_provision, placement_get


def _page(request: AuthedRequest, case_id: int, **forms: Any) -> HttpResponse:
    page = case_provision(user=request.user, case_id=case_id)
    context = {
        "page": page,
        "case": page.case,
        "offer_form": forms.get("offer_form") or OfferForm(),
        "start_form": forms.get("start_form") or StartForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }
    failed = any(f.errors for f in forms.values())
    return render(request, "provision/case.html", context, status=400 if failed else 200)


@login_required
def case_page(request: AuthedRequest, case_id: int) -> HttpResponse:
    if request.method != "POST":
        return _page(request, case_id)
    page = case_provision(user=request.user, case_id=case_id)
    if not page.can_record:
        raise NotAllowed
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            services.placement_offer(case=page.case, offer=form.offer(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Provision recorded")
            return redirect("provision:case", case_id)
    return _page(request, case_id, offer_form=form)


def _act(
    request: AuthedRequest, placement_id: int, form_class: Any, name: str, act: Any
) -> HttpResponse:
    placement = placement_get(user=request.user, placement_id=placement_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(placement, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Provision updated")
            return redirect("provision:case", placement.case_id)
    return _page(request, placement.case_id, **{name: form})


@login_required
@require_POST
def start(request: AuthedRequest, placement_id: int) -> HttpResponse:
    return _act(
        request,
        placement_id,
        StartForm,
        "start_form",
        lambda p, data: services.placement_start(
            placement=p,
            start_on=data.get("start_on"),
            by=request.user,
            expected_version=data.get("version"),
        ),
    )


@login_required
@require_POST
def review(request: AuthedRequest, placement_id: int) -> HttpResponse:
    return _act(
        request,
        placement_id,
        ReviewForm,
        "review_form",
        lambda p, data: services.placement_review(
            placement=p,
            attending=data.get("attending"),
            note=data.get("note", ""),
            by=request.user,
            expected_version=data.get("version"),
        ),
    )


@login_required
@require_POST
def withdraw(request: AuthedRequest, placement_id: int) -> HttpResponse:
    return _act(
        request,
        placement_id,
        WithdrawForm,
        "withdraw_form",
        lambda p, data: services.placement_withdraw(
            placement=p,
            reason=data.get("reason", ""),
            by=request.user,
            expected_version=data.get("version"),
        ),
    )
