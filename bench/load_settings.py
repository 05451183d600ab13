"""Settings for the load test (bench/load.py): production's, served over plain HTTP on this
machine with no TLS proxy in front, so the cookies are not marked Secure and nothing is
redirected to https; the second factor is off, as the load users have no authenticator."""

from cme.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CME_REQUIRE_SECOND_FACTOR = False
# No collectstatic for a load test: the pages are timed, not their stylesheets.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
