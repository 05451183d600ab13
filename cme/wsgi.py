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


def warm() -> None:
    """Build the register's match index before gunicorn forks its workers (cme.gunicorn_conf
    when_ready): they share it, copy on write, instead of each building its own, and each
    applies the child change log from there. The database connection used is closed, so no
    worker inherits the master's socket. A database that is not there yet is no reason to
    stop serving: the first check then builds the index in its own worker."""
    import logging

    from django.db import connections

    from cme.cases.sources import RegisterSource

    try:
        size = len(RegisterSource().index())
        logging.getLogger("cme.wsgi").info("register match index built", extra={"records": size})
    except Exception:
        logging.getLogger("cme.wsgi").exception("register match index not built at start-up")
    finally:
        connections.close_all()
