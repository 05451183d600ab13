"""Every API error has the same shape: a sentence in `detail`, and for bad input, `errors`,
one entry per problem, naming the field as a dotted path (`child.postcode`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .messages import plain_field_message, plain_request_message

INVALID_INPUT = "Nothing was saved. Correct the fields listed in errors and send it again."


def flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail as a flat list of {field, message}, in the service's words."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            out += flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return out
    if isinstance(detail, list):
        return [item for value in detail for item in flatten(value, prefix)]
    return [{"field": prefix, "message": plain_field_message(str(detail), prefix)}]


# Refused (no or a bad token, a role that may not) and not found (outside scope or missing).
AUDITED_REFUSALS = {401, 403, 404}


def _audit_refusal(request: Any, status: int) -> None:
    from cme.audit.services import audit_refusal

    match = getattr(request, "resolver_match", None)
    # The catch-all route's path is whatever was typed, so only the fact is recorded.
    known = match is not None and match.url_name != "not-found"
    audit_refusal(
        actor=getattr(request, "user", None),
        path=request.path if known else "(no such endpoint)",
        method=request.method,
        status=status,
        api=True,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # A service refused the input: its messages are already written for a person.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code in AUDITED_REFUSALS:
        _audit_refusal(context["request"], response.status_code)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": INVALID_INPUT, "errors": flatten(exc.detail)}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": plain_request_message(str(response.data["detail"]))}
    return response


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="Dotted path of the field; empty for the whole request."
    )
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = FieldErrorSerializer(many=True, required=False)
