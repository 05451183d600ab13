"""The admin pages: for administering users and reference data, with every change audited.

Every ModelAdmin registered on this site (the register's own and those of the libraries it
uses) is given `AuditedAdminMixin`, so an addition, change or deletion made in the admin is
an audit event, written in the admin's own transaction. Signing in to the admin is the
register's one sign-in page, with its lockout, second factor and audit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from cme.audit.models import Verb
from cme.audit.services import audit_record


def _change_summary(message: Any) -> list[dict[str, Any]]:
    """Which fields and which kinds of inline object changed, never their values."""
    if not isinstance(message, list):
        return []
    summary = []
    for entry in message:
        for kind, about in entry.items():
            item: dict[str, Any] = {"kind": kind}
            if isinstance(about, dict):
                if "fields" in about:
                    item["fields"] = list(about["fields"])
                if "name" in about:
                    item["of"] = str(about["name"])
            summary.append(item)
    return summary


def _model_label(obj: models.Model) -> str:
    return obj._meta.label_lower


class AuditedAdminMixin:
    """Turns Django's admin log calls into audit events as well."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        _audit(request, obj, "add", _change_summary(message))
        return entry

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        _audit(request, obj, "change", _change_summary(message))
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        entries = super().log_deletions(request, queryset)  # type: ignore[misc]
        for obj in queryset:
            _audit(request, obj, "delete", [])
        return entries


def _audit(request: HttpRequest, obj: models.Model, action: str, changes: list[Any]) -> None:
    details: dict[str, Any] = {"action": action, "model": _model_label(obj), "id": obj.pk}
    if changes:
        details["changes"] = changes
    audit_record(
        actor=request.user,
        verb=Verb.ADMIN_CHANGE,
        subject=obj,
        subject_type=obj._meta.model_name or "",
        details=details,
    )


class CmeAdminSite(admin.AdminSite):
    site_header = "CME Register administration"
    site_title = "CME Register administration"
    index_title = "Users and reference data"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdminMixin):
            base = type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {})
        super().register(model_or_iterable, base, **options)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One way in: the register's sign-in page, with its lockout and second factor."""
        return redirect(f"{reverse('accounts:sign-in')}?next={reverse('admin:index')}")
