"""How an API request says who it is: `Authorization: Bearer <token>`, or a signed-in session."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken
from .tokens import api_token_live

KEYWORD = "bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A token from `cme create-api-token`. The request acts as the token's owner, no more."""

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.encode():
            return None  # not ours: let session authentication try
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>', with nothing after it."
            )
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        row = api_token_live(token)
        if row is None:
            # One message for unknown, revoked and expired tokens: nothing to probe.
            raise exceptions.AuthenticationFailed(
                "The token is not valid: it may be mistyped, revoked or expired."
            )
        # request.auth is the token: what is kept per token (Idempotency-Key) is kept by it.
        return row.owner, row

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "cme.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `cme create-api-token USERNAME --name NAME`.",
        }
