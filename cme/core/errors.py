"""Errors that services raise for a person to read and act on."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class NotAllowed(PermissionDenied):
    """The user may not do this. Views turn it into 403 without saying more."""


class StaleEdit(ValidationError):
    """Someone else changed the record since this form was opened."""


__all__ = ["NotAllowed", "StaleEdit", "ValidationError"]
