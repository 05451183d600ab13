"""Finds every app's part of a child's record (its `records.py`) and puts them in order."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.module_loading import module_has_submodule

from cme.core.child_records import ChildRecords


def _points_at(part: ChildRecords, other: ChildRecords) -> bool:
    """Whether any of `part`'s models has a foreign key to one of `other`'s."""
    targets: set[type[Model]] = set(other.models)
    return any(
        field.related_model in targets
        for model in part.models
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one)
    )


def _referrers_first(parts: list[ChildRecords]) -> list[ChildRecords]:
    """The parts in an order that can be removed: one whose rows point at another's comes
    before it (the foreign keys protect). Ties keep the INSTALLED_APPS order."""
    ordered: list[ChildRecords] = []
    left = list(parts)
    while left:
        ready = [p for p in left if not any(_points_at(q, p) for q in left if q is not p)]
        if not ready:
            raise ImproperlyConfigured("The apps' child records point at each other in a loop.")
        ordered.append(ready[0])
        left.remove(ready[0])
    return ordered


@cache
def child_record_parts() -> tuple[ChildRecords, ...]:
    """Every installed app's CHILD_RECORDS, in removal order (referrers first)."""
    parts = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "records"):
            continue
        module = import_module(f"{config.name}.records")
        part = getattr(module, "CHILD_RECORDS", None)
        if not isinstance(part, ChildRecords):
            raise ImproperlyConfigured(f"{config.name}.records must define CHILD_RECORDS.")
        parts.append(part)
    return tuple(_referrers_first(parts))
