"""Local development and the demo: `make run`."""

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-" + "x" * 40
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
CME_DEMO = True
# Serve the built assets straight from cme/static without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment] # whitenoise serves from the finders; collectstatic is for production
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Demo and test sign-ins need no authenticator app; production requires one.
CME_REQUIRE_SECOND_FACTOR = env_bool("CME_REQUIRE_SECOND_FACTOR", False)
# runserver answers each request in a new thread, and a persistent connection belongs to its
# thread: kept open, every request of a burst would leave one idle connection behind (84 in
# one test). Close each at the end of its request, as Django advises for development.
DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 0}}
