"""The sources a check searches, in the order they are shown. Each is registered by name."""

from __future__ import annotations

from cme.matching.sources import Source

_registry: dict[str, type[Source]] = {}


def register(cls: type[Source]) -> type[Source]:
    _registry[cls.name] = cls
    return cls


def all_sources() -> list[Source]:
    """One instance of every registered source, in the order they were registered."""
    return [cls() for cls in _registry.values()]


def get_source(name: str) -> Source:
    return _registry[name]()
