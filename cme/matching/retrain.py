"""Re-estimate the model from officers' decisions: each confirmed or rejected candidate is a
labelled pair (docs/matching.md, "Learning from the officers").

The m probabilities are re-estimated from the confirmed pairs with Splink's
`estimate_m_from_pairwise_labels`, and then blended with the model they start from, as if
that model were `prior_strength` decisions more: a council's first few dozen decisions never
see most levels (a transposed date, a middle name as an initial), and a level with no
confirmed pair would otherwise get m = 0, which would make it a veto. u and the prior are the
base model's: a confirmed or rejected candidate is not a random pair, so they say nothing
about how often strangers agree. The bands are the base model's too; the report shows what
the change does to precision and recall at them, on the decisions (cross-validated: each
decision is scored by a model estimated without it) and on a generated benchmark if given.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cme.matching.comparisons import COMPARISONS, LEVEL_FUNCTIONS, Context
from cme.matching.errors import MatchingError
from cme.matching.features import Vocabularies, encode_many, side_from_matrix, splink_frame
from cme.matching.index import MatchIndex
from cme.matching.model import Model, model_from_dict
from cme.matching.records import Record
from cme.matching.scorer import score
from cme.matching.train import floor_levels, neutralise_untrained

MIN_CONFIRMED = 20
MIN_REJECTED = 10
# The base model counts as this many confirmed decisions when the two are blended.
PRIOR_STRENGTH = 50
FOLDS = 5


class RetrainRefused(MatchingError):
    """A retrain that must not produce a model; the message says why, for the operator."""


@dataclass(frozen=True)
class LabelledPair:
    """A child as searched for and a record an officer confirmed (match) or rejected."""

    left: Record
    right: Record
    match: bool
    register_size: int | None = None  # the records searched, which sets the prior


@dataclass(frozen=True)
class Scores:
    """Precision and recall at the likely band (None where nothing to divide by)."""

    precision: float | None
    recall: float | None
    predicted: int
    true_positives: int
    matches: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "predicted_likely": self.predicted,
            "true_positives": self.true_positives,
            "matches": self.matches,
        }


def scores(probabilities: np.ndarray, match: np.ndarray, likely: float) -> Scores:
    predicted = probabilities >= likely
    tp = int((predicted & match).sum())
    n_pred, n_match = int(predicted.sum()), int(match.sum())
    return Scores(
        tp / n_pred if n_pred else None, tp / n_match if n_match else None, n_pred, tp, n_match
    )


@dataclass
class RetrainResult:
    model: Model
    report: dict[str, Any] = field(default_factory=dict)


def refuse_too_few(pairs: Sequence[LabelledPair], min_confirmed: int, min_rejected: int) -> None:
    confirmed = sum(p.match for p in pairs)
    rejected = len(pairs) - confirmed
    if confirmed < min_confirmed or rejected < min_rejected:
        raise RetrainRefused(
            f"Too few decisions to retrain: {confirmed} confirmed and {rejected} rejected. "
            f"At least {min_confirmed} confirmed and {min_rejected} rejected are needed, so "
            "that the new model is estimated from more than a handful of children and can be "
            "compared with the current one. The current model is kept."
        )


def _levels(pairs: Sequence[LabelledPair]) -> dict[str, np.ndarray]:
    """Each pair's level in each comparison (-1: cannot compare), as the scorer puts it."""
    vocab = Vocabularies()
    x = side_from_matrix(encode_many(vocab, [p.left for p in pairs]))
    y = side_from_matrix(encode_many(vocab, [p.right for p in pairs]))
    ctx = Context(vocab.names, vocab.groups, vocab.addresses)
    return {c.name: LEVEL_FUNCTIONS[c.name](ctx, x, y, len(pairs)) for c in COMPARISONS}


def splink_m_from_labels(model: Model, confirmed: Sequence[LabelledPair]) -> dict[str, Any]:
    """Splink's own estimate of m from the confirmed pairs, as a Splink model dictionary.

    Splink leaves a level it saw in no labelled pair at the value it had, so the caller must
    know which levels were seen (`_levels`).
    """
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    left = [{**p.left, "id": f"p{i}"} for i, p in enumerate(confirmed)]
    right = [{**p.right, "id": f"p{i}"} for i, p in enumerate(confirmed)]
    api = DuckDBAPI()
    settings = json.loads(json.dumps(model.settings))
    settings["link_type"] = "link_only"
    frames = [
        api.register(splink_frame(left), dataset_display_name="cme_left"),
        api.register(splink_frame(right), dataset_display_name="cme_right"),
    ]
    linker = Linker(frames, settings, log_level=logging.WARNING)
    ids = [r["id"] for r in left]
    labels = pa.table(
        {
            "source_dataset_l": ["cme_left"] * len(ids),
            "unique_id_l": ids,
            "source_dataset_r": ["cme_right"] * len(ids),
            "unique_id_r": ids,
        }
    )
    linker.table_management.register_table(labels, "cme_labels", overwrite=True)
    linker.training.estimate_m_from_pairwise_labels("cme_labels")
    return linker.misc.save_model_to_json()


def estimate(
    base: Model, pairs: Sequence[LabelledPair], *, prior_strength: float = PRIOR_STRENGTH
) -> Model:
    """A new model: m from the confirmed pairs (Splink), blended with the base model's m."""
    confirmed = [p for p in pairs if p.match]
    levels = _levels(confirmed)
    learnt = splink_m_from_labels(base, confirmed)
    data = json.loads(json.dumps(base.settings))
    by_name = {c["output_column_name"]: c for c in learnt["comparisons"]}
    for comparison in data["comparisons"]:
        name = comparison["output_column_name"]
        seen = levels[name]
        n = int((seen >= 0).sum())
        trained = [lv for lv in by_name[name]["comparison_levels"] if not lv.get("is_null_level")]
        own = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for i, (level, new) in enumerate(zip(own, trained, strict=True)):
            # Splink leaves a level no confirmed pair fell in at its old value: it is 0 here.
            observed = float(new.get("m_probability") or 0.0) if (seen == i).any() else 0.0
            old = float(level.get("m_probability") or 0.0)
            level["m_probability"] = (n * observed + prior_strength * old) / (n + prior_strength)
    data = floor_levels(neutralise_untrained(data))
    data["cme"] = json.loads(base.to_json())["cme"]
    return model_from_dict(data)


def probabilities(model: Model, pairs: Sequence[LabelledPair]) -> np.ndarray:
    """Each pair's probability, as the Check step scored it (its register's size sets the
    prior; without the register, names count at their trained weight, not their frequency)."""
    out = np.zeros(len(pairs))
    vocab = Vocabularies()
    x_all = encode_many(vocab, [p.left for p in pairs])
    y_all = encode_many(vocab, [p.right for p in pairs])
    for size in {p.register_size for p in pairs}:
        rows = np.array([i for i, p in enumerate(pairs) if p.register_size == size])
        x, y = side_from_matrix(x_all[rows]), side_from_matrix(y_all[rows])
        out[rows] = score(model, vocab, x, y, len(rows), None, register_size=size).probability
    return out


def cross_validated(
    base: Model, pairs: Sequence[LabelledPair], *, folds: int, prior_strength: float
) -> np.ndarray:
    """Each decision scored by a model estimated from the other folds' decisions."""
    fold = np.arange(len(pairs)) % folds
    out = np.zeros(len(pairs))
    for k in range(folds):
        held = np.flatnonzero(fold == k)
        rest = [p for i, p in enumerate(pairs) if fold[i] != k]
        if not held.size or not any(p.match for p in rest):
            continue
        model = estimate(base, rest, prior_strength=prior_strength)
        out[held] = probabilities(model, [pairs[int(i)] for i in held])
    return out


# A benchmark takes a model and gives its precision and recall at the likely band.
Benchmark = Callable[[Model], Scores]


def link_benchmark(
    left: Sequence[Record], right: Sequence[Record], truth: set[tuple[str, str]]
) -> Benchmark:
    """Each left record looked up in an index of `right`, as the Check step does; a pair in
    the likely band counts as predicted (the generated benchmark of `bench.matching`)."""
    index = MatchIndex(right)

    def run(model: Model) -> Scores:
        index.model = model  # the index holds features only; the model is what scores
        found = {
            (record["id"], m.id)
            for record in left
            for m in index.search(record, limit=5, min_probability=model.likely)
        }
        tp = len(found & truth)
        return Scores(
            tp / len(found) if found else None,
            tp / len(truth) if truth else None,
            len(found),
            tp,
            len(truth),
        )

    return run


def retrain(
    base: Model,
    pairs: Sequence[LabelledPair],
    *,
    version: str,
    note: str = "",
    benchmark: Benchmark | None = None,
    min_confirmed: int = MIN_CONFIRMED,
    min_rejected: int = MIN_REJECTED,
    prior_strength: float = PRIOR_STRENGTH,
    folds: int = FOLDS,
) -> RetrainResult:
    """The new model and a report of how it moves precision and recall; RetrainRefused when
    there are too few decisions (nothing is estimated)."""
    refuse_too_few(pairs, min_confirmed, min_rejected)
    model = estimate(base, pairs, prior_strength=prior_strength)
    model.version = version
    confirmed = sum(p.match for p in pairs)
    model.meta = {
        **base.meta,
        "trained_on": (
            f"{base.version} with m re-estimated from {confirmed} confirmed officers' decisions "
            f"(Splink estimate_m_from_pairwise_labels), blended with {base.version} as "
            f"{prior_strength:g} decisions; u, prior and bands from {base.version}"
            + (f"; {note}" if note else "")
        ),
        "retrained_from": base.version,
        "decisions": {"confirmed": confirmed, "rejected": len(pairs) - confirmed},
    }
    match = np.array([p.match for p in pairs])
    report: dict[str, Any] = {
        "base": base.version,
        "version": version,
        "likely": base.likely,
        "decisions": model.meta["decisions"],
        "decisions_base": scores(probabilities(base, pairs), match, base.likely).as_dict(),
        "decisions_new": scores(
            cross_validated(base, pairs, folds=folds, prior_strength=prior_strength),
            match,
            model.likely,
        ).as_dict(),
        "folds": folds,
    }
    if benchmark is not None:
        report["benchmark_base"] = benchmark(base).as_dict()
        report["benchmark_new"] = benchmark(model).as_dict()
    return RetrainResult(model, report)


def describe(report: dict[str, Any]) -> str:
    """The report in plain words, for the command line."""

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    def line(label: str, before: dict[str, Any], after: dict[str, Any]) -> str:
        return (
            f"  {label}: precision {pct(before['precision'])} -> {pct(after['precision'])}, "
            f"recall {pct(before['recall'])} -> {pct(after['recall'])}"
        )

    d = report["decisions"]
    out = [
        f"Model {report['version']} re-estimated from {report['base']} with {d['confirmed']} "
        f"confirmed and {d['rejected']} rejected decisions; likely band at "
        f"{report['likely']:.4f} (unchanged).",
        line(
            f"the council's decisions ({report['folds']}-fold cross-validated)",
            report["decisions_base"],
            report["decisions_new"],
        ),
    ]
    if "benchmark_base" in report:
        out.append(line("generated benchmark", report["benchmark_base"], report["benchmark_new"]))
    return "\n".join(out)
