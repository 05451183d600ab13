"""A request id for every request: taken from a trusted proxy when it is safe, made otherwise.

The id goes into every log line written while the request is handled and back to the caller in
the `X-Request-ID` header, so a person reporting a problem can quote it and the operator can
find the lines, without the log ever needing a name or a search term to tell requests apart.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("cme.request")

HEADER = "X-Request-ID"
# Only hexadecimal digits and hyphens (a UUID, nginx's $request_id): an incoming id is copied
# into the log, so it must not be able to carry a name or any other words.
SAFE_REQUEST_ID = re.compile(r"[0-9A-Fa-f-]{16,64}")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "cme_request_id", default=None
)


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_for(incoming: str | None) -> str:
    if incoming and SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost, so that every other middleware's log lines carry the id too.

    It also writes one line per request naming the page (the URL pattern's name) and how long
    the app took, which the front door's access log cannot know: times per page, from the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request.headers.get(HEADER))
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            match = request.resolver_match
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    # The path alone: a query string can carry what someone searched for.
                    "path": request.path,
                    "view": match.view_name if match else "-",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        finally:
            _request_id.reset(token)
        response.headers[HEADER] = request_id
        return response
