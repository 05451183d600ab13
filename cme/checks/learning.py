"""The officers' decisions on the Check step as labelled pairs, and `cme match retrain`.

Each candidate an officer confirmed or rejected is a pair: the child as the register holds
them and the record the check found, as its source holds it now. docs/matching.md,
"Learning from the officers".
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.cases.sources import RegisterSource
from cme.core.errors import NotAllowed
from cme.matching.retrain import (
    Benchmark,
    LabelledPair,
    RetrainRefused,
    RetrainResult,
    link_benchmark,
    retrain,
)

from .matching_models import active_model, matching_model_add
from .models import CheckCandidate, Decision, MatchingModel
from .sources import child_record, get_source

# The generated benchmark the report compares on: the held-out seed and mix of bench.matching,
# at a size a retrain can afford (bench/ is in a checkout of the project, not in the package).
BENCHMARK_SIZE = (10_000, 2_000)
BENCHMARK_SEED = 2024


@dataclass
class Decisions:
    pairs: list[LabelledPair]
    missing: Counter[str]  # source label -> decisions on records no longer held
    children: list[int]  # whose records were read


def _latest_decisions() -> list[CheckCandidate]:
    """Each (child, source, record) once, as last decided."""
    rows = (
        CheckCandidate.objects.filter(decision__in=[Decision.CONFIRMED, Decision.REJECTED])
        .select_related("check_run__case__child")
        .order_by("decided_at", "pk")
    )
    latest: dict[tuple[int, str, str], CheckCandidate] = {}
    for row in rows.iterator(chunk_size=2000):
        latest[(row.check_run.case.child_id, row.source, row.source_record_id)] = row
    return list(latest.values())


def _records(source: Any, ids: set[str]) -> dict[str, dict[str, Any]]:
    rows = source.records_of(ids) if isinstance(source, RegisterSource) else source.records()
    return {str(r["id"]): r for r in rows if str(r["id"]) in ids}


def officer_decisions() -> Decisions:
    """The decided candidates as labelled pairs; those whose record is gone are counted."""
    rows = _latest_decisions()
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row.source, set()).add(row.source_record_id)
    found: dict[str, dict[str, dict[str, Any]]] = {}
    labels: dict[str, str] = {}
    for name, ids in wanted.items():
        try:
            source = get_source(name)
        except KeyError:
            found[name] = {}
            continue
        labels[name] = source.label
        found[name] = _records(source, ids)
    children: dict[int, dict[str, Any]] = {}
    pairs, missing = [], Counter[str]()
    for row in rows:
        right = found[row.source].get(row.source_record_id)
        if right is None:
            missing[labels.get(row.source, row.source)] += 1
            continue
        child = row.check_run.case.child
        if child.pk not in children:
            children[child.pk] = child_record(child)
        pairs.append(
            LabelledPair(
                left=children[child.pk],
                right=right,
                match=row.decision == Decision.CONFIRMED,
                register_size=row.check_run.records_searched or None,
            )
        )
    return Decisions(pairs, missing, sorted(children))


def refuse_missing(missing: Counter[str]) -> None:
    if missing:
        where = "; ".join(f"{label}: {n}" for label, n in sorted(missing.items()))
        raise RetrainRefused(
            f"{sum(missing.values())} decisions are on records no longer held ({where}), "
            "for example pupils of an EMS extract loaded since. Run again with --skip-missing "
            "to retrain on the others. The current model is kept."
        )


def generated_benchmark() -> Benchmark | None:
    """The generated benchmark, when bench/ is there (a checkout of the project)."""
    root = str(settings.BASE_DIR)
    if root not in sys.path:
        sys.path.append(root)
    try:
        synthetic = importlib.import_module("bench.synthetic")
    except ImportError:
        return None
    task = synthetic.linkage_task(*BENCHMARK_SIZE, seed=BENCHMARK_SEED, mix=synthetic.HELD_OUT_MIX)
    return link_benchmark(task.left, task.right, task.truth)


def retrain_from_decisions(
    *,
    by: Any,
    version: str,
    skip_missing: bool = False,
    benchmark: bool = True,
    **options: Any,
) -> tuple[RetrainResult, MatchingModel]:
    """Re-estimate the model in use from the officers' decisions and keep the new one (not in
    use until a manager switches to it). RetrainRefused: nothing is written."""
    if not can(by, Action.MANAGE_MATCHING):
        raise NotAllowed
    decisions = officer_decisions()
    if not skip_missing:
        refuse_missing(decisions.missing)
    base = active_model()
    result = retrain(
        base,
        decisions.pairs,
        version=version,
        benchmark=generated_benchmark() if benchmark else None,
        **options,
    )
    result.report["left_out_missing"] = sum(decisions.missing.values())
    with transaction.atomic():
        # Each child's record was read to make a pair: one event per child, as a list is.
        audit_record_many(
            actor=by,
            verb=Verb.MATCHING_LABELS_READ,
            subject_type="child",
            rows=[(pk, pk) for pk in decisions.children],
        )
        row = matching_model_add(
            content=result.model.to_json() + "\n", by=by, report=result.report, version=version
        )
        audit_record(
            actor=by,
            verb=Verb.MATCHING_RETRAINED,
            subject=row,
            details={
                "from": base.version,
                "version": version,
                "confirmed": result.report["decisions"]["confirmed"],
                "rejected": result.report["decisions"]["rejected"],
                "left_out_missing": result.report["left_out_missing"],
            },
        )
    return result, row
