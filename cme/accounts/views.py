"""Signing in and out: Django's views, with every success, failure and sign-out audited.

django-axes (see `lockout`) counts the failures; its middleware swaps the response for the
locked-out page once the limit is reached.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .services import sign_in_failure_record, sign_in_record, sign_out_record


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        sign_in_record(
            user=form.get_user(), complete=not settings.CME_REQUIRE_SECOND_FACTOR, step="password"
        )
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = str(form.data.get("username") or "")
        # Django only checks a password when both boxes are filled; an empty box is no guess.
        if username and form.data.get("password"):
            sign_in_failure_record(request=self.request, username=username, step="password")
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Signing out is a POST (a link must not sign anyone out); the address typed or
        reloaded goes home rather than to a blank 405."""
        return redirect("worklist:home")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            sign_out_record(user=request.user)
        return super().post(request, *args, **kwargs)
