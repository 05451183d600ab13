"""The second factor: a six-digit code from an authenticator app (TOTP), set up once per person.

django-otp keeps the device and checks codes (with replay protection); this module is the
two pages around it, in the GOV.UK style.
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.http import AuthedRequest


class CodeForm(forms.Form):
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


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("accounts:second-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = not all(d.verify_is_allowed()[0] for d in devices)
        device = next((d for d in devices if d.verify_token(form.cleaned_data["code"])), None)
        if device is not None:
            otp_login(request, device)
            return redirect("worklist:home")
        _wrong(form, throttled=throttled)
    return render(
        request, "accounts/second_factor.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def setup(request: AuthedRequest) -> HttpResponse:
    """First sign-in: add the register to an authenticator app, then prove it with a code."""
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:second-factor")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = not device.verify_is_allowed()[0]
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(
                actor=request.user,
                verb=Verb.CREATE,
                subject_type="second_factor",
                details={"device": device.pk},
            )
            return redirect("worklist:home")
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
