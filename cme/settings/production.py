"""Production: behind TLS, PostgreSQL from DATABASE_URL, secrets from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production will not start without it.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Set DATABASE_URL to a PostgreSQL database for production.")

DEBUG = False
SECURE_SSL_REDIRECT = True
# A load balancer probes the health checks over plain HTTP inside the network; they show nothing.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/ready)?$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Rate limits (the public referral form's and the API's) must be counted across every app
# process: a database cache needs no extra service (create it once: `cme createcachetable`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cme_cache",
    },
    "public_referral": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cme_cache",
    },
}
CME_PUBLIC_REFERRAL_CACHE = "public_referral"
# Behind one load balancer that sets X-Forwarded-For; change to match the deployment.
CME_TRUSTED_PROXY_COUNT = int(os.environ.get("CME_TRUSTED_PROXY_COUNT", "1"))
