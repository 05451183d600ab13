"""Request-wide guards: pages with children's data are never cached, and audits know the source."""

from __future__ import annotations

from collections.abc import Callable

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
