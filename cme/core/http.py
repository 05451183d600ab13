"""Typing for views behind `login_required`: their request always carries a real User."""

from __future__ import annotations

from django.http import HttpRequest

from cme.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
