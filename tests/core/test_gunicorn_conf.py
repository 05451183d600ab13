"""The production web server's settings: sized from the cores, overridable, sane."""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

import pytest

import cme.gunicorn_conf
from cme.core.jsonlog import JsonFormatter


def _load(monkeypatch: pytest.MonkeyPatch, cpus: int | None, **env: str) -> ModuleType:
    for name in ("CME_WEB_WORKERS", "CME_WEB_THREADS", "CME_WEB_TIMEOUT", "CME_WEB_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("os.cpu_count", lambda: cpus)
    return importlib.reload(cme.gunicorn_conf)


@pytest.fixture(autouse=True)
def _restore_module(monkeypatch: pytest.MonkeyPatch):
    yield
    monkeypatch.undo()
    importlib.reload(cme.gunicorn_conf)


@pytest.mark.parametrize(("cpus", "workers"), [(None, 2), (1, 2), (2, 2), (8, 8)])
def test_one_process_per_core_with_four_threads_each(monkeypatch, cpus, workers) -> None:
    conf = _load(monkeypatch, cpus)
    assert (conf.workers, conf.threads, conf.worker_class) == (workers, 4, "gthread")


def test_restarts_are_graceful_and_staggered(monkeypatch) -> None:
    conf = _load(monkeypatch, 2)
    assert 0 < conf.graceful_timeout <= conf.timeout
    assert conf.max_requests > 0 and 0 < conf.max_requests_jitter < conf.max_requests
    assert conf.keepalive < conf.timeout
    assert conf.control_socket_disable is True
    assert conf.bind == ["127.0.0.1:8000"]
    assert conf.wsgi_app == "cme.wsgi:application"


def test_the_environment_overrides_the_sizes(monkeypatch) -> None:
    conf = _load(
        monkeypatch,
        2,
        CME_WEB_WORKERS="3",
        CME_WEB_THREADS="8",
        CME_WEB_TIMEOUT="90",
        CME_WEB_BIND="0.0.0.0:9000",
    )
    assert (conf.workers, conf.threads, conf.timeout, conf.bind) == (3, 8, 90, ["0.0.0.0:9000"])


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_size_that_is_not_a_whole_number_is_refused_by_name(monkeypatch, value) -> None:
    with pytest.raises(ValueError, match="CME_WEB_WORKERS must be a whole number"):
        _load(monkeypatch, 2, CME_WEB_WORKERS=value)


def test_the_access_log_is_json_without_the_query_string(monkeypatch) -> None:
    conf = _load(monkeypatch, 2)
    formatters = conf.logconfig_dict["formatters"]
    assert formatters["json"]["()"] == "cme.core.jsonlog.JsonFormatter"
    # The record gunicorn writes for one request: its atoms, as gunicorn.glogging builds them.
    atoms = {
        "r": "GET /register/?q=Alfie HTTP/1.1",
        "m": "GET",
        "U": "/register/",
        "q": "q=Alfie",
        "s": "200",
        "B": 512,
        "D": 12345,
        "h": "192.0.2.1",
        "a": "Mozilla",
        "{x-request-id}o": "0123456789abcdef0123456789abcdef",
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(r)s", (atoms,), None)
    line = JsonFormatter().format(record)
    assert "Alfie" not in line and "192.0.2.1" not in line and "Mozilla" not in line
    assert '"path": "/register/"' in line and '"status": 200' in line
    assert '"request_id": "0123456789abcdef0123456789abcdef"' in line
    assert '"duration_ms": 12.3' in line


def test_the_master_builds_the_register_index_once_for_the_workers(monkeypatch) -> None:
    conf = _load(monkeypatch, 2)
    assert conf.preload_app is True
    built: list[int] = []
    closed: list[int] = []

    def index(self: object) -> list[object]:
        built.append(1)
        return []

    monkeypatch.setattr("cme.cases.sources.RegisterSource.index", index)
    monkeypatch.setattr("django.db.connections.close_all", lambda: closed.append(1))
    conf.when_ready(object())
    assert built == [1] and closed == [1]  # no worker inherits the master's connection
