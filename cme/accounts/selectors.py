"""Reads about the people who sign in, for the CME manager's pages. No child data here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .permissions import Action, can


def users_for_management(*, by: Any) -> QuerySet[User]:
    """Everyone who signs in, with whether their authenticator app is set up."""
    if not can(by, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied
    has_device = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.select_related("organisation")
        .annotate(has_authenticator=Exists(has_device))
        .order_by("last_name", "first_name", "username")
    )


def user_for_management(*, by: Any, pk: int) -> User:
    return get_object_or_404(users_for_management(by=by), pk=pk)
