from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ApiToken
from .tokens import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `cme create-api-token`; here they are listed and revoked."""

    columns = ("id", "name", "owner", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_display = columns
    list_filter = ["revoked_at"]
    readonly_fields = columns
    fields = columns
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                api_token_revoke(token=token, by=request.user)
            except ValidationError:  # revoked meanwhile
                continue
        messages.success(request, "Tokens revoked.")
