"""WSGI entry point for gunicorn: `gunicorn cme.wsgi`.

Django runs its system checks before management commands, not under gunicorn; the checks of
settings a council sets (tag `cme_settings`: the retention schedule) run here too, so that a
bad value stops the server at start-up, naming the setting, instead of surfacing later.
"""

import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cme.settings.production")
application = get_wsgi_application()

_errors = [e for e in checks.run_checks(tags=["cme_settings"]) if e.is_serious()]
if _errors:
    raise ImproperlyConfigured(" ".join(f"{e.msg} {e.hint or ''}".strip() for e in _errors))
