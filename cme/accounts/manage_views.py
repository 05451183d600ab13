"""The CME manager's pages for the people who sign in: roles, set-up links, locked sign-ins."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cme.core.http import AuthedRequest, post_only

from .forms import RoleChangeForm
from .lockout import locked_sign_ins, sign_in_unlock
from .models import Role
from .permissions import Action, can
from .selectors import user_for_management, users_for_management
from .services import enrolment_link_issue, user_role_change


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    users = users_for_management(by=request.user)
    return render(
        request, "accounts/users.html", {"users": users, "system_admin": Role.SYSTEM_ADMIN}
    )


@login_required
def role_change(request: AuthedRequest, pk: int) -> HttpResponse:
    person = user_for_management(by=request.user, pk=pk)
    initial = {"role": person.role, "organisation": person.organisation_id}
    form = RoleChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_role_change(
                user=person,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, "Role changed.")
            return redirect("accounts:users")
    context = {"form": form, "person": person, "own": person.pk == request.user.pk}
    return render(request, "accounts/role_change.html", context, status=400 if form.errors else 200)


@login_required
@post_only("accounts:users")
def set_up_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """Make a one-time set-up link and show it, once: only its hash is kept."""
    person = user_for_management(by=request.user, pk=pk)
    try:
        token = enrolment_link_issue(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:users")
    link = settings.CME_BASE_URL.rstrip("/") + reverse("accounts:enrol", args=[token])
    context = {"person": person, "link": link, "hours": settings.CME_ENROLMENT_LINK_HOURS}
    return render(request, "accounts/set_up_link.html", context)


@login_required
def locked_list(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied
    return render(
        request,
        "accounts/locked.html",
        {"locked": locked_sign_ins(), "settings_limit": settings.AXES_FAILURE_LIMIT},
    )


@login_required
@post_only("accounts:locked")
def unlock(request: AuthedRequest) -> HttpResponse:
    try:
        sign_in_unlock(
            kind=request.POST.get("kind", ""), value=request.POST.get("value", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Sign-in unlocked. They can sign in again now.")
    return redirect("accounts:locked")
