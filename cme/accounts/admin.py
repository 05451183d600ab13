"""Admin pages for people and organisations, and for authenticator apps.

Administrators administer; they do not decide who reads what. Role, organisation and every
permission flag are read-only here: a CME manager changes role and organisation through the
audited `user_role_change` page, and nobody grants themselves more in the admin. An
authenticator's secret key is never shown: a lost one is reset, and its owner sets up a new
one from a set-up link.
"""

from __future__ import annotations

from typing import Any

# Imported first so that its registration exists to be replaced below.
import django_otp.plugins.otp_totp.admin  # noqa: F401
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Organisation, User
from .services import enrolment_link_issue, second_factor_reset

# Who may see or do what follows from these; the admin never changes them.
PROTECTED_USER_FIELDS = ("role", "organisation", "is_staff", "is_superuser", "groups")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        (
            "Role in the CME Register",
            {
                "fields": ("role", "organisation", "job_title", "phone"),
                "description": "A CME manager changes role and organisation on the "
                "“People who sign in” page.",
            },
        ),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = (*PROTECTED_USER_FIELDS, "last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    actions = ["make_set_up_links"]

    @admin.action(description="Make set-up links for their authenticator apps")
    def make_set_up_links(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        links, refused = [], []
        for person in queryset:
            try:
                token = enrolment_link_issue(user=person, by=request.user)  # type: ignore[arg-type]
            except (ValidationError, PermissionDenied) as error:
                refused.append((person, getattr(error, "messages", ["Not allowed"])[0]))
                continue
            url = settings.CME_BASE_URL.rstrip("/") + reverse("accounts:enrol", args=[token])
            links.append((person, url))
        context = {
            **self.admin_site.each_context(request),
            "title": "Set-up links",
            "links": links,
            "refused": refused,
            "hours": settings.CME_ENROLMENT_LINK_HOURS,
        }
        return TemplateResponse(request, "admin/accounts/set_up_links.html", context)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "establishment")
    list_filter = ("kind",)


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Lists authenticator apps and resets lost ones. No key, no QR code, no editing."""

    columns = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_display = columns
    list_filter = ("confirmed",)
    fields = columns
    readonly_fields = columns
    search_fields = ("user__username", "user__last_name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        entry = actions.get("delete_selected")
        if entry is not None:
            actions["delete_selected"] = (
                entry[0],
                entry[1],
                "Reset the selected authenticator apps",
            )
        return actions

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        second_factor_reset(device=obj, by=request.user)  # type: ignore[arg-type]
        messages.info(request, "Make a set-up link so that they can set up a new one.")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        for device in queryset:
            second_factor_reset(device=device, by=request.user)  # type: ignore[arg-type]
