"""The CME manager's pages of partner agencies (cme/accounts/agencies.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest

from .agencies import (
    partner_agencies,
    partner_agency_create,
    partner_agency_get,
    partner_agency_update,
)
from .forms import PartnerAgencyForm
from .partner_agencies import NOT_SEEDED


@login_required
def agency_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "accounts/agencies.html",
        {"agencies": partner_agencies(user=request.user), "not_seeded": NOT_SEEDED},
    )


@login_required
def agency_new(request: AuthedRequest) -> HttpResponse:
    partner_agencies(user=request.user)  # managers only, before anything is read or written
    form = PartnerAgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = partner_agency_create(
                name=form.cleaned_data["name"],
                safeguarding_role=form.cleaned_data["safeguarding_role"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{agency.name} added")
            return redirect("accounts:agencies")
    status = 400 if form.errors else 200
    return render(request, "accounts/agency_form.html", {"form": form}, status=status)


@login_required
def agency_edit(request: AuthedRequest, organisation_id: int) -> HttpResponse:
    agency = partner_agency_get(user=request.user, organisation_id=organisation_id)
    shown: dict[str, Any] = {"name": agency.name, "safeguarding_role": agency.safeguarding_role}
    initial = {
        "name": agency.name,
        "safeguarding_role": "yes" if agency.safeguarding_role else "no",
        "shown_name": agency.name,
        "shown_safeguarding": "yes" if agency.safeguarding_role else "no",
    }
    form = PartnerAgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner_agency_update(
                organisation=agency,
                name=form.cleaned_data["name"],
                safeguarding_role=form.cleaned_data["safeguarding_role"],
                shown={
                    "name": form.cleaned_data["shown_name"],
                    "safeguarding_role": form.cleaned_data["shown_safeguarding"] == "yes",
                },
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            # The next attempt is made against what is there now.
            latest = request.POST.copy()
            latest["shown_name"] = shown["name"]
            latest["shown_safeguarding"] = "yes" if shown["safeguarding_role"] else "no"
            form.data = latest
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved")
            return redirect("accounts:agencies")
    status = 400 if form.errors else 200
    return render(
        request, "accounts/agency_form.html", {"form": form, "agency": agency}, status=status
    )
