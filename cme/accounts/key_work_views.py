"""The CME manager's page of organisations approved for key work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cme.core.http import AuthedRequest

from .key_work import key_work_organisations, organisation_set_key_work


@login_required
def organisations(request: AuthedRequest) -> HttpResponse:
    listed = key_work_organisations(user=request.user)
    if request.method == "POST":
        organisation = get_object_or_404(listed, pk=request.POST.get("organisation") or 0)
        approve = request.POST.get("approved") == "yes"
        try:
            organisation_set_key_work(organisation=organisation, approved=approve, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{organisation} {'approved' if approve else 'no longer approved'} for key work",
            )
        return redirect("accounts:key-work")
    return render(request, "accounts/key_work.html", {"organisations": listed})
