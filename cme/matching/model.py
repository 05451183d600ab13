"""The trained Fellegi-Sunter model: reading the versioned JSON file and scoring pairs.

The file is Splink's own model JSON (so `bulk` can hand it straight to Splink) with one
extra key, ``"cme"``, that carries the model version, the band thresholds and a note of what
it was trained on. The fast scorer here applies, per comparison, the log2(m/u) weight of the
level the pair falls in, and for an exact name match the term-frequency adjusted weight
log2(m / max(tf, tf_min)) that Splink would use.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from cme.matching.comparisons import COMPARISONS, NAME_COMPARISONS
from cme.matching.errors import ModelError

DEFAULT_MODEL = "models/cme-child-v5.json"

# Bands by match probability; see docs/matching.md for why these values.
LIKELY = 0.95
POSSIBLE = 0.5


@dataclass
class ComparisonWeights:
    name: str
    keys: tuple[str, ...]
    m: np.ndarray
    u: np.ndarray
    # weight per level, with an extra 0.0 at the end so that level -1 (missing) weighs nothing
    weights: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.weights = np.append(np.log2(self.m / self.u), 0.0)


@dataclass
class Model:
    settings: dict[str, Any]
    comparisons: dict[str, ComparisonWeights]
    prior: float
    likely: float = LIKELY
    possible: float = POSSIBLE
    swap_penalty: float = 3.0  # bits taken off when forename and surname are swapped
    sibling_guard: bool = True  # different first names cap the band at "possible"
    tf_minimum_u: float = 1e-6
    version: str = "unknown"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def register_size(self) -> int | None:
        """The size of the register the prior was estimated on (None if not recorded)."""
        size = self.meta.get("register_size")
        return int(size) if size else None

    def prior_for(self, register_size: int | None = None) -> float:
        """The prior for a register of this size: λ scaled down in proportion when it is larger.

        A referral matches at most a child or two in the register, so the chance that a
        random pair matches falls as 1/N. The prior is only ever lowered (a small register
        keeps the trained value), so a model scores no more boldly than it was trained to.
        """
        trained = self.register_size
        if not register_size or not trained or register_size <= trained:
            return self.prior
        return self.prior * trained / register_size

    def prior_weight_for(self, register_size: int | None = None) -> float:
        prior = self.prior_for(register_size)
        return math.log2(prior / (1.0 - prior))

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def band(self, probability: float) -> str:
        if probability >= self.likely:
            return "likely"
        if probability >= self.possible:
            return "possible"
        return "unlikely"

    def to_json(self) -> str:
        data = dict(self.settings)
        data["cme"] = {
            **self.meta,
            "version": self.version,
            "bands": {"likely": self.likely, "possible": self.possible},
            "swap_penalty_bits": self.swap_penalty,
            "sibling_guard": self.sibling_guard,
        }
        return json.dumps(data, indent=2, sort_keys=False)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


def probability(weight: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp2(-weight))


REQUIRED = frozenset({"forename", "surname", "date_of_birth"})


def _comparison_weights(entry: dict[str, Any]) -> ComparisonWeights:
    name = entry["output_column_name"]
    levels = [lv for lv in entry["comparison_levels"] if not lv.get("is_null_level")]
    keys = tuple(lv["label_for_charts"] for lv in levels)
    m = np.array([lv.get("m_probability", np.nan) for lv in levels], dtype=float)
    u = np.array([lv.get("u_probability", np.nan) for lv in levels], dtype=float)
    if np.isnan(m).all() and np.isnan(u).all() and name in REQUIRED:
        raise ModelError(f"comparison {name} has no trained levels")
    # A level never seen in training (no middle names, no sex recorded) carries no weight.
    untrained = np.isnan(m) | np.isnan(u)
    m, u = np.where(untrained, 1.0, m), np.where(untrained, 1.0, u)
    return ComparisonWeights(name, keys, np.clip(m, 1e-9, 1), np.clip(u, 1e-9, 1))


def model_from_dict(data: dict[str, Any]) -> Model:
    """Build a Model from Splink's model JSON (with or without the "cme" block)."""
    data = dict(data)
    meta = data.pop("cme", {})
    found = {c["output_column_name"]: _comparison_weights(c) for c in data["comparisons"]}
    for comp in COMPARISONS:
        keys = tuple(level.key for level in comp.levels)
        if comp.name not in found or found[comp.name].keys != keys:
            raise ModelError(
                f"model does not fit this code: comparison {comp.name} should have levels {keys}"
            )
    bands = meta.get("bands", {})
    return Model(
        settings=data,
        comparisons=found,
        prior=float(data["probability_two_random_records_match"]),
        likely=float(bands.get("likely", LIKELY)),
        possible=float(bands.get("possible", POSSIBLE)),
        swap_penalty=float(meta.get("swap_penalty_bits", 3.0)),
        sibling_guard=bool(meta.get("sibling_guard", True)),
        tf_minimum_u=float(data.get("tf_minimum_u_value") or 1e-6),
        version=str(meta.get("version", "unknown")),
        meta={
            k: v
            for k, v in meta.items()
            if k not in {"bands", "version", "swap_penalty_bits", "sibling_guard"}
        },
    )


def load_model(path: str | Path | None = None) -> Model:
    """Load a model file; with no path, the model shipped in the package."""
    try:
        if path is None:
            text = resources.files("cme.matching").joinpath(DEFAULT_MODEL).read_text("utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return model_from_dict(json.loads(text))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot read model {path or DEFAULT_MODEL}: {exc}") from exc


@cache
def default_model() -> Model:
    return load_model()


# Where the model in use comes from: the register records it (cme.checks.matching_models)
# and installs its lookup here when it starts, so this package stays free of Django.
_provider: Callable[[], Model] | None = None


def set_model_provider(provider: Callable[[], Model] | None) -> None:
    """Make `active_model` ask `provider` (None: the shipped model)."""
    global _provider
    _provider = provider


def active_model() -> Model:
    """The model searches score with: the provider's, or the shipped one."""
    return _provider() if _provider is not None else default_model()


NAME_SET = frozenset(NAME_COMPARISONS)
