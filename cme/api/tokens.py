"""Issuing, checking and revoking API tokens. Only a hash of each token is ever stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.audit.models import Verb
from cme.audit.services import audit_record

from .models import ApiToken

TOKEN_PREFIX = "cme_"  # noqa: S105 - a label on the token, not a secret
# Writing last_used_at on every request would make each read a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, owner: Any, name: str, expires_at: datetime | None = None, by: Any = None
) -> tuple[ApiToken, str]:
    """A new token for `owner`. Returns the row and the token, which is not kept anywhere."""
    if not owner.is_active:
        raise ValidationError({"owner": ["This account is not active; activate it first"]})
    if not name.strip():
        raise ValidationError({"name": ["Say what the token is for, e.g. 'School MIS'"]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": ["The expiry must be in the future"]})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        owner=owner, name=name.strip(), key_hash=hash_token(token), expires_at=expires_at
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=by,
        verb=Verb.CREATE,
        subject=row,
        details={"owner_id": owner.pk, "expires_at": expires_at.isoformat() if expires_at else ""},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any = None) -> ApiToken:
    """Stop a token working from now on. Revoking twice is refused, so the first date stands."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        on = timezone.localtime(token.revoked_at)
        raise ValidationError(f"This token was already revoked on {on.day} {on:%B %Y}.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=by, verb=Verb.UPDATE, subject=token, details={"revoked": True})
    return token


def api_token_live(token: str) -> ApiToken | None:
    """The token's row, its owner loaded, if it is live (not revoked, not expired)."""
    now = timezone.now()
    row = (
        ApiToken.objects.select_related("owner", "owner__organisation")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row
