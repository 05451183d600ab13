"""The test suite: `make test`. DATABASE_URL still chooses SQLite or PostgreSQL."""

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = "test-only-not-secret-" + "x" * 40
DEBUG = False
# Fast hashing in tests only; production keeps Argon2 (see base).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment] # whitenoise serves from the finders; collectstatic is for production
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Demo and test sign-ins need no authenticator app; production requires one.
CME_REQUIRE_SECOND_FACTOR = env_bool("CME_REQUIRE_SECOND_FACTOR", False)
# WeasyPrint takes a second or more a letter on a loaded machine: tests that need the letter
# open it (cme.enquiries.services.letters renders it then), the rest skip it.
CME_ENQUIRY_LETTER_ON_SEND = False
