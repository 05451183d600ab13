"""REST framework and OpenAPI settings, imported by cme.settings.base."""

from __future__ import annotations

import os

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The first class's challenge is sent with a 401, so token auth comes first.
        "cme.api.authentication.BearerTokenAuthentication",
        # Signed-in staff in a browser; DRF enforces CSRF for these requests.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cme.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "cme.api.throttling.AnonThrottle",
        "cme.api.throttling.UserThrottle",
        "cme.api.throttling.ScopedThrottle",
    ],
    # Per user (a token acts as its owner), per client address when signed out. Counted
    # atomically in the database, so every app process shares one count.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CME_API_ANON_RATE", "60/hour"),
        "user": os.environ.get("CME_API_USER_RATE", "1200/hour"),
        "referral_create": os.environ.get("CME_API_REFERRAL_RATE", "120/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CME Register API",
    "DESCRIPTION": (
        "Create referrals of children missing education and read the cases and referrals "
        "your organisation may see. A token acts as the account it was issued for. "
        "See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cme.cases.models.CaseStatus",
        "ReferralStatusEnum": "cme.referrals.models.ReferralStatus",
    },
}
