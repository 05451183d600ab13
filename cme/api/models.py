"""API tokens: a school MIS or another council's system acts as the person who owns the token."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 hash is kept; the token itself is shown once.

    The token carries no permissions of its own: a request made with it may see and do exactly
    what its owner may (cme.accounts.permissions), so revoking or changing the owner's role
    changes what the token can reach at once.
    """

    name = models.CharField(max_length=120, help_text="What the token is for, e.g. 'School MIS'.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key_hash__regex=r"^[0-9a-f]{64}$"),
                name="api_token_key_hash_is_sha256_hex",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"


class IdempotencyKey(models.Model):
    """A POST's `Idempotency-Key`, kept with the first successful response to it, so that a
    retry (a timeout, a crash, a double click in the MIS) gets that response again instead of
    creating a second referral or return. Keys are per token (per account for a signed-in
    session), so two systems cannot collide, and expire after CME_IDEMPOTENCY_KEY_HOURS."""

    # "token:<id>" or "session:<user id>": who may replay it.
    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    # SHA-256 of the method, the path and the body as sent: the same key with another request
    # is refused, never answered with the first one's response.
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope")
        ]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_key_expiry")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
