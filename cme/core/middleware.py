"""Request-wide guards: pages with children's data are never cached, and audits know the source."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .request_context import RequestMeta, client_ip, reset_request_meta, set_request_meta


class NoStoreMiddleware:
    """Tells browsers and proxies not to keep a copy of any page (a shared PC is common)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request_meta(
            RequestMeta(
                source="api" if request.path.startswith("/api/") else "web",
                ip_address=client_ip(request),
                anonymous_label="public",
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_meta(token)
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def permissions_policy_header(policy: Mapping[str, tuple[str, ...]]) -> str:
    """`camera=(), geolocation=(self)`: the structured-header form browsers read."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Sends ``CME_PERMISSIONS_POLICY`` on every response, static files and errors included:
    a page that is never meant to use the camera or location cannot be made to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.CME_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
