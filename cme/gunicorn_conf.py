"""gunicorn's settings for the CME Register: `gunicorn -c python:cme.gunicorn_conf cme.wsgi`.

Threaded workers (gthread): most of a request's time is spent waiting for PostgreSQL, so a few
threads per process serve more people than more processes would, and each process holds one
copy of the matching index rather than one per request. One process per core, four threads
each (2 by 4 on a two-core server). Every value can be changed from the environment.
"""

from __future__ import annotations

import os

# Read as environment variables so that an operator can tune a server without editing code.
WORKERS_VARIABLE = "CME_WEB_WORKERS"
THREADS_VARIABLE = "CME_WEB_THREADS"
TIMEOUT_VARIABLE = "CME_WEB_TIMEOUT"
BIND_VARIABLE = "CME_WEB_BIND"


def positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more (it is {raw!r}).")
    return value


def default_workers(cpus: int | None) -> int:
    # At least two, so that one process restarting (max_requests) never leaves nobody serving.
    return max(2, cpus or 1)


def default_threads(cpus: int | None) -> int:
    return 4


_cpus = os.cpu_count()

wsgi_app = "cme.wsgi:application"
bind = [os.environ.get(BIND_VARIABLE, "127.0.0.1:8000")]
worker_class = "gthread"
workers = positive_int(WORKERS_VARIABLE, default_workers(_cpus))
threads = positive_int(THREADS_VARIABLE, default_threads(_cpus))

# The app is loaded once, in the master, and the register's match index built there before the
# workers are forked (when_ready): they share its memory, copy on write, rather than each
# building its own, and each keeps it current from the child change log
# (cme.matching.sources). New code therefore needs a restart, not a HUP (docs/operations.md).
preload_app = True


def when_ready(server: object) -> None:
    from cme.wsgi import warm

    warm()


# A request still running after this many seconds is stuck: its worker is killed and replaced.
# The slowest pages (an import, a full check) finish well inside it.
timeout = positive_int(TIMEOUT_VARIABLE, 60)
# On a restart or deploy (SIGHUP, SIGTERM) requests under way get this long to finish.
graceful_timeout = 30
# Behind a load balancer that reuses connections; its idle timeout should be longer than this.
keepalive = 5
# Each process is replaced after about a thousand requests (jittered, so that they do not all
# restart together), which caps slow memory growth without anyone noticing.
max_requests = 1000
max_requests_jitter = 100
# Restarts come as signals from the service manager; gunicorn's control socket (one path per
# user, so two servers on one host would share it) is not needed.
control_socket_disable = True

# One JSON line per request, in the same format as the app's own log (cme/core/jsonlog.py):
# method, path without its query string, status, duration, bytes and the request id. No client
# address, no user agent, no referrer.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cme.core.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        # gunicorn's defaults name this one; keep it, in JSON, so nothing prints plain text.
        "error_console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
    },
}
