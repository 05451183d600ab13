"""Settings that guard against faults seen under load."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest


def _fresh(name: str) -> ModuleType:
    return importlib.reload(importlib.import_module(name))


def test_the_dev_server_keeps_no_connection_past_its_request(monkeypatch) -> None:
    """runserver starts a thread a request; a connection kept by each leaked 84 idle
    PostgreSQL connections in one burst. Production workers keep theirs, checked first."""
    monkeypatch.setenv("DATABASE_URL", "postgres://cme@db.invalid:5432/cme")
    try:
        base, dev = _fresh("cme.settings.base"), _fresh("cme.settings.dev")
        assert dev.DATABASES["default"]["CONN_MAX_AGE"] == 0
        assert base.DATABASES["default"]["CONN_MAX_AGE"] == pytest.approx(60)
        assert base.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    finally:
        monkeypatch.undo()
        _fresh("cme.settings.base")
        _fresh("cme.settings.dev")
