"""`Idempotency-Key` on the API's POSTs that create something: a retry gets the first answer.

A school's MIS that times out cannot know whether its referral or return arrived. Sent again
with the same `Idempotency-Key`, the same request is answered with the response the first one
got (and the header `Idempotent-Replayed: true`), so nothing is created twice. The same key
with a different request is refused (422): the key names one request, never another.

Only a successful (2xx) response is kept: a refused request changed nothing, so sending it
again, corrected or not, is simply tried again. Keys are kept per token (per account for a
signed-in session) for CME_IDEMPOTENCY_KEY_HOURS, then forgotten.

The key is claimed in the same transaction as the work it guards: a second request with the
same key waits for the first to finish (the unique index), then replays its answer; if the
first fails, its claim is rolled back with everything else.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from .models import ApiToken, IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 255

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A key you make for this request (a UUID, say), up to 255 printable characters. "
        "Send the same request again with the same key and you get the first response "
        "again, with `Idempotent-Replayed: true`, and nothing is created twice. The same key "
        "with a different request is refused with 422. Keys are kept per token for "
        "CME_IDEMPOTENCY_KEY_HOURS (24 by default)."
    ),
)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was already used for a different request. Nothing was saved. "
        "Use a new key for a new request; send exactly the same request to get the first "
        "response again."
    )


def _scope(request: Request) -> str:
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    return f"session:{request.user.pk}"


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_LENGTH or not key.isascii() or not key.isprintable():
        raise exceptions.ValidationError(
            {
                HEADER: [
                    f"Send an {HEADER} of 1 to {MAX_LENGTH} printable characters "
                    "(letters, digits and punctuation), such as a UUID"
                ]
            }
        )
    return key


def _request_hash(request: Request) -> str:
    """The request as sent: its method, path and body. A JSON body is compared as JSON, so
    the same object sent with other spacing or key order is the same request."""
    try:
        body: Any = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    except (TypeError, ValueError):
        body = request.body.decode("utf-8", "replace")
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def idempotency_keys_prune(*, now: datetime) -> int:
    """Forget every expired key and the response kept with it. A kept response can name a
    pupil (a deletion return's assessment does), so it is held no longer than the retry window:
    every keyed POST prunes, and `cme prune-idempotency-keys` daily covers a quiet service."""
    removed, _ = IdempotencyKey.objects.filter(expires_at__lte=now).delete()
    return removed


def _replay(row: IdempotencyKey) -> Response:
    headers = {REPLAYED: "true"}
    if row.location:
        headers["Location"] = row.location
    return Response(row.body, status=row.status, headers=headers)


def idempotent(post: Callable[..., Response]) -> Callable[..., Response]:
    """Make an APIView's `post` honour `Idempotency-Key` (see the module's docstring)."""

    @functools.wraps(post)
    def wrapped(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _key(request)
        if key is None:
            return post(view, request, *args, **kwargs)
        scope, digest, now = _scope(request), _request_hash(request), timezone.now()
        with transaction.atomic():
            idempotency_keys_prune(now=now)
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(
                        scope=scope,
                        key=key,
                        request_hash=digest,
                        status=0,
                        body={},
                        created_at=now,
                        expires_at=now + timedelta(hours=settings.CME_IDEMPOTENCY_KEY_HOURS),
                    )
            except IntegrityError:
                first = IdempotencyKey.objects.get(scope=scope, key=key)
                if first.request_hash != digest:
                    raise KeyReused from None
                return _replay(first)
            response = post(view, request, *args, **kwargs)
            if not status.is_success(response.status_code):
                # Nothing was made: forget the key, so the request can be sent again.
                row.delete()
                return response
            row.status = response.status_code
            row.body = json.loads(JSONRenderer().render(response.data) or b"null")
            row.location = str(response.headers.get("Location", ""))[:200]
            row.save(update_fields=["status", "body", "location"])
        return response

    wrapped.honours_idempotency_key = True  # type: ignore[attr-defined]
    return wrapped
