"""Running one piece of work in many threads at once, for tests of behaviour under a burst."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import connection, connections

T = TypeVar("T")

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent writers: SQLite lets only one write at a time anyway",
)


def all_at_once(count: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(n)` in `count` threads released together, each on its own connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as error:
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    return results
