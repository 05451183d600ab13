"""The second factor: a six-digit code from an authenticator app (TOTP), set up once per person.

django-otp keeps the device and checks codes (with replay protection); this module is the
pages around it, in the GOV.UK style. An authenticator is set up only from a one-time link a
manager or administrator issued: the password alone never reaches the set-up page. Wrong
codes count towards the same sign-in lockout as wrong passwords.
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.core.forms import GovukForm
from cme.core.http import AuthedRequest

from . import lockout
from .services import (
    enrolment_link_find,
    enrolment_link_for_session,
    enrolment_token_hash,
    second_factor_enrol,
    sign_in_failure_record,
    sign_in_record,
)

# The hash of the set-up link this browser opened; the token itself is never kept.
ENROLMENT_SESSION_KEY = "cme_enrolment_link"


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 numbers your app shows now, for example 123456.",
        max_length=10,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code is 6 numbers, like 123456")
        return code


def _wrong(form: CodeForm, *, throttled: bool) -> None:
    form.add_error(
        "code",
        "Too many wrong codes. Wait a few seconds, then try the newest code"
        if throttled
        else "That code is not right. Codes change every 30 seconds: try the newest",
    )


def _locked_out(request: AuthedRequest) -> HttpResponse:
    """Sign the half-signed-in person out and show the same page as a locked password."""
    logout(request)
    return lockout.lockout_response(request, None, None)


def _count_failure(request: AuthedRequest) -> bool:
    """Count a wrong code against the account's lockout; True if that locked it."""
    username = request.user.get_username()
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    sign_in_failure_record(request=request, username=username, step="second factor")
    return bool(getattr(request, "axes_locked_out", False))


def enrolment_pending(request: HttpRequest) -> bool:
    """Has this browser opened a set-up link that is still usable for the signed-in user?"""
    token_hash = request.session.get(ENROLMENT_SESSION_KEY)
    return enrolment_link_for_session(token_hash=token_hash, user=request.user) is not None


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices or enrolment_pending(request):
        return redirect("accounts:second-factor-setup")
    if lockout.is_locked(request, request.user.get_username()):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = not all(d.verify_is_allowed()[0] for d in devices)
        device = next((d for d in devices if d.verify_token(form.cleaned_data["code"])), None)
        if device is not None:
            otp_login(request, device)
            sign_in_record(user=request.user, complete=True, step="second factor")
            return redirect("worklist:home")
        if _count_failure(request):
            return _locked_out(request)
        _wrong(form, throttled=throttled)
    return render(
        request, "accounts/second_factor.html", {"form": form}, status=400 if form.errors else 200
    )


def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """The set-up link: remember it in this browser, then sign in with the password."""
    try:
        link = enrolment_link_find(token=token)
    except ValidationError as error:
        return render(
            request,
            "accounts/enrolment_link_unusable.html",
            {"error": error.messages[0]},
            status=410,
        )
    if request.user.is_authenticated and request.user.pk != link.user_id:
        logout(request)
    request.session[ENROLMENT_SESSION_KEY] = enrolment_token_hash(token)
    setup_url = reverse("accounts:second-factor-setup")
    if request.user.is_authenticated:
        return redirect(setup_url)
    return redirect(f"{reverse('accounts:sign-in')}?next={setup_url}")


@login_required
def setup(request: AuthedRequest) -> HttpResponse:
    """Add the register to an authenticator app, then prove it with a code. Needs a set-up link."""
    link = enrolment_link_for_session(
        token_hash=request.session.get(ENROLMENT_SESSION_KEY), user=request.user
    )
    if link is None:
        if any(devices_for_user(request.user, confirmed=True)):
            return redirect("accounts:second-factor")
        return render(request, "accounts/second_factor_needs_link.html", status=403)
    if lockout.is_locked(request, request.user.get_username()):
        return _locked_out(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, confirmed=False, name="Authenticator app"
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = not device.verify_is_allowed()[0]
        if device.verify_token(form.cleaned_data["code"]):
            try:
                second_factor_enrol(user=request.user, device=device, link=link)
            except ValidationError as error:
                return render(
                    request,
                    "accounts/enrolment_link_unusable.html",
                    {"error": error.messages[0]},
                    status=410,
                )
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            sign_in_record(user=request.user, complete=True, step="second factor set up")
            return redirect("worklist:home")
        if _count_failure(request):
            return _locked_out(request)
        _wrong(form, throttled=throttled)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code to scan")
    context = {
        "form": form,
        "qr": mark_safe(qr),  # noqa: S308 - segno writes the SVG from our own URL, no user text
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render(
        request, "accounts/second_factor_setup.html", context, status=400 if form.errors else 200
    )
