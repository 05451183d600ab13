"""What an app holds about a child, declared by the app itself.

Each app that keeps rows about a child has a `records.py` whose `CHILD_RECORDS` says which of
its models they are, how to export them and how to remove them. `cme.records` finds these
modules and runs the retention job and the subject access export over all of them, so a new
app adds its own `records.py` and never edits a central list. It lives in the kernel because
every floor fills it in; the app that runs it sits on the top floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

# A child or a case; typed loosely because the kernel may not import the models above it.
Exporter = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class ChildRecords:
    """One app's part of a child's record.

    `models` are every model of the app holding rows about a child: the records app removes
    the part whose rows point at another part's rows first, so the order follows the foreign
    keys and no app has to know who points at it. `remove(child)` deletes the app's rows for
    that child and nothing else. `export(child)` gives keys of the top level of the subject
    access export; `export_case(case)` gives keys added to each of the child's cases.
    """

    models: tuple[type[Model], ...]
    remove: Callable[[Any], None]
    export: Exporter | None = None
    export_case: Exporter | None = None
