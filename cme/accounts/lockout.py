"""Sign-in lockout: django-axes counts failures per username and per address in the database.

This module is what the register adds around it: the page a locked-out person sees (the same
whether or not the account exists), log lines without the username typed, the list of locked
sign-ins a CME manager sees, and the audited unlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cme.audit.models import Verb
from cme.audit.services import audit_record

from .permissions import Action, can


def client_str(
    username: str | None, ip_address: str | None, user_agent: str, path_info: str, request: Any
) -> str:
    """What axes writes in its log lines: the path only. The username typed may be a
    person's name or a mistyped password, and the address is personal data too; both are in
    the audit trail, which only a manager reads."""
    return f"{{path_info: {path_info!r}}}"


def cool_off_minutes() -> int | None:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds() // 60) if cool_off else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The page for a refused sign-in. It never says whether the username exists, and it is
    the same page for an unknown username, a locked account and a locked address."""
    context = {"cool_off_minutes": cool_off_minutes()}
    return render(request, "accounts/locked_out.html", context, status=429)


def is_locked(request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


@dataclass(frozen=True)
class LockedSignIn:
    """A username or an address that has reached the failure limit."""

    kind: str  # "username" or "address"
    value: str
    failures: int
    last_failure: datetime


def _threshold() -> datetime | None:
    cool_off: timedelta | None = get_cool_off()
    return timezone.now() - cool_off if cool_off else None


def locked_sign_ins() -> list[LockedSignIn]:
    """Everything sign-in is refused for now, newest first, by username and by address."""
    attempts = AccessAttempt.objects.all()
    threshold = _threshold()
    if threshold is not None:
        attempts = attempts.filter(attempt_time__gte=threshold)
    limit = settings.AXES_FAILURE_LIMIT
    found: list[LockedSignIn] = []
    for kind, field in (("username", "username"), ("address", "ip_address")):
        rows = (
            attempts.exclude(**{f"{field}__isnull": True})
            .exclude(**{field: ""})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        found += [LockedSignIn(kind, row[field], row["failures"], row["last"]) for row in rows]
    return sorted(found, key=lambda locked: locked.last_failure, reverse=True)


@transaction.atomic
def sign_in_unlock(*, kind: str, value: str, by: Any) -> int:
    """Clear the failures counted against a username or an address, so sign-in works again."""
    if not can(by, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied
    if kind not in {"username", "address"} or not value:
        raise ValidationError("Choose a locked username or address to unlock")
    if kind == "username":
        cleared = AxesProxyHandler.reset_attempts(username=value)
    else:
        cleared = AxesProxyHandler.reset_attempts(ip_address=value)
    if not cleared:
        raise ValidationError("That sign-in is no longer locked: it may have been unlocked already")
    audit_record(actor=by, verb=Verb.UNLOCKED, subject_type="sign_in", details={kind: value})
    return cleared
