"""The CME manager's page for the team's public contact details (cme/core/contact.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cme.accounts.permissions import Action, can

from .contact import ContactDetails, council_contact, council_contact_update
from .errors import NotAllowed, StaleEdit
from .forms import GovukForm, add_service_errors
from .http import AuthedRequest


class ContactDetailsForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the team's email address",
            "invalid": "Enter an email address in the right format, like cme@council.gov.uk",
        },
    )
    phone = forms.CharField(
        label="Telephone",
        max_length=40,
        error_messages={
            "required": "Enter the team's telephone number",
            "max_length": "The telephone number must be 40 characters or fewer",
        },
    )
    hours = forms.CharField(
        label="Opening hours",
        max_length=120,
        help_text="For example, Monday to Friday, 9am to 5pm",
        error_messages={
            "required": "Enter when the team answers the telephone",
            "max_length": "The opening hours must be 120 characters or fewer",
        },
    )
    address = forms.CharField(
        label="Postal address",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One line of the address a line",
        error_messages={
            "required": "Enter the team's postal address",
            "max_length": "The address must be 500 characters or fewer",
        },
    )
    dpo_email = forms.EmailField(
        label="Data protection officer's email address",
        max_length=254,
        help_text="Families write here to see, correct or object to what the council holds",
        error_messages={
            "required": "Enter the data protection officer's email address",
            "invalid": "Enter an email address in the right format, like dpo@council.gov.uk",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _initial(details: ContactDetails) -> dict[str, object]:
    return {
        "email": details.email,
        "phone": details.phone,
        "hours": details.hours,
        "address": "\n".join(details.address),
        "dpo_email": details.dpo_email,
        "version": details.version,
    }


@login_required
def contact_details(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Action.MANAGE_REFERENCE_DATA):
        raise NotAllowed
    details = council_contact()
    form = ContactDetailsForm(request.POST or None, initial=_initial(details))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council_contact_update(
                email=data["email"],
                phone=data["phone"].strip(),
                hours=data["hours"].strip(),
                address=data["address"],
                dpo_email=data["dpo_email"],
                version=data["version"] or 0,
                by=request.user,
            )
        except ValidationError as error:
            if isinstance(error, StaleEdit):
                # Show what is saved now, to check and change again.
                form = ContactDetailsForm(_initial(council_contact()))
                form.is_valid()
            add_service_errors(form, error)
        else:
            messages.success(request, "The contact details are saved and on every page")
            return redirect("core:contact-details")
    status = 400 if form.errors else 200
    return render(
        request,
        "core/contact_details.html",
        {"form": form, "details": details},
        status=status,
    )
