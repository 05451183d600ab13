"""Estimate the model's parameters with Splink (DuckDB) and write the versioned model file.

u probabilities come from random sampling of record pairs, m probabilities from expectation
maximisation over two blocking passes (same date of birth; same forename and surname sound),
and the prior from a strict deterministic rule with an assumed recall. Retrain with
``python -m bench.train_model --out cme/matching/models/cme-child-vN.json`` (see
docs/matching.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from cme.matching.comparisons import splink_comparisons
from cme.matching.features import splink_frame
from cme.matching.model import Model, model_from_dict
from cme.matching.records import Record

_DOUBLE_BARRELLED = "(l.sn_first <> l.sn_last OR r.sn_first <> r.sn_last)"

BLOCKING_FOR_PREDICTION = [
    # Every rule is an equi-join so that DuckDB (or Spark) can hash-join it, and each is
    # narrow: a date of birth alone pairs a referral with ~200 children in a million, a
    # forename with its surname sound thousands. At 100,000 x 1,000,000 these rules make
    # about 8 million pairs (the rules before v2 made 65 million) and find more of the true
    # pairs; see docs/matching.md.
    "l.upn = r.upn",
    "l.dob = r.dob AND l.pc_district = r.pc_district",
    "l.dob = r.dob AND l.fn_phon = r.fn_phon",
    "l.dob = r.dob AND l.sn_phon = r.sn_phon",
    "l.dob_swapped = r.dob AND l.pc_district = r.pc_district",
    "l.dob_swapped = r.dob AND l.fn_phon = r.fn_phon",
    "l.dob_swapped = r.dob AND l.sn_phon = r.sn_phon",
    "l.fn_phon = r.fn_phon AND l.sn_phon = r.sn_phon AND l.dob_year = r.dob_year",
    "l.pc_unit = r.pc_unit",
    "l.address = r.address",
    # A child who moved and whose date of birth is missing or mistyped shares no date or
    # address key; the lookup finds them by a given name with a surname part
    # (blocking.record_keys), so bulk does too: the same forename and surname, or, where
    # either surname is double-barrelled, the same forename and either part (parts are
    # sorted, so first and last cover both orders).
    "l.fn = r.fn AND l.sn = r.sn",
    f"l.fn = r.fn AND l.sn_first = r.sn_first AND {_DOUBLE_BARRELLED}",
    f"l.fn = r.fn AND l.sn_last = r.sn_last AND {_DOUBLE_BARRELLED}",
    # The lookup also probes a date of birth alone and a given name (first or middle) with a
    # surname part, which bulk cannot afford at a million records; a middle name narrows
    # them instead (a nickname with a mistyped surname; a middle name used as the first).
    # Each of these makes under a million pairs at 100,000 x 1,000,000; the same forename and
    # middle name alone would make 8.5 million for 0.1% of the true pairs.
    "l.dob = r.dob AND l.mid = r.mid",
    "l.mid = r.mid AND l.sn_phon = r.sn_phon AND l.dob_year = r.dob_year",
    "l.mid = r.fn AND l.sn_first = r.sn_first AND l.dob_year = r.dob_year",
    "l.fn = r.mid AND l.sn_first = r.sn_first AND l.dob_year = r.dob_year",
    # The second middle name used as the first name is left to the lookup: the same two rules
    # with `mid2` ran Spark's driver out of heap on 20,000 x 4,000 (bench.matching.spark),
    # which these rules alone do not; not yet understood (docs/matching.md, "Known limits").
]


def settings(link_type: str) -> dict[str, Any]:
    return {
        "link_type": link_type,
        "comparisons": splink_comparisons(),
        "blocking_rules_to_generate_predictions": BLOCKING_FOR_PREDICTION,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
    }


def _linker(frames: Sequence[Any], link_type: str) -> Any:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    registered = [db_api.register(f) for f in frames]
    data = registered[0] if len(registered) == 1 else registered
    return Linker(data, settings(link_type), log_level=logging.WARNING)


def neutralise_untrained(data: dict[str, Any]) -> dict[str, Any]:
    """Give a level that training never saw among matches (or non-matches) m = u: no weight.

    `model_from_dict` already reads such a level as weightless; writing it into the file makes
    Splink (bulk) agree, instead of filling in its default m, which against a tiny u would
    count an unseen level as strong evidence.
    """
    for comparison in data["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is None or u is None:
                level["m_probability"] = level["u_probability"] = u if m is None and u else m or 1.0
    return data


def floor_levels(data: dict[str, Any]) -> dict[str, Any]:
    """No level counts against a pair more than "different" does, and no partial agreement
    counts against it at all.

    A level that training data rarely shows among matches (a mistyped middle name, a middle
    name given as a known variant, when the generator seldom does either) gets an m near zero
    from EM and so a weight below "different" (v3: a middle name given as a known variant of
    the other's weighed -4.2 bits), which would make a near-agreement stronger evidence
    against than no agreement at all. Every level but the last of each comparison says the
    values agree at least in part, so it is floored at no weight (m = u) and at the weight of
    "different", whichever is higher.
    """
    for comparison in data["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        last = levels[-1]
        if not last.get("m_probability") or not last.get("u_probability"):
            continue
        ratio = max(last["m_probability"] / last["u_probability"], 1.0)
        for level in levels[:-1]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is not None and u and m / u < ratio:
                level["m_probability"] = min(1.0, u * ratio)
    return data


def train(
    left: Sequence[Record],
    right: Sequence[Record] | None = None,
    *,
    seed: int = 1,
    recall: float = 0.7,
    max_pairs: float = 5e6,
    version: str = "dev",
    note: str = "",
    sibling_guard: bool = True,
) -> Model:
    """Train on one set of records (dedupe) or two (link), returning the Model.

    `sibling_guard` (on for children's data) keeps pairs with different first names out of
    the "likely" band; turn it off for data without siblings and twins.
    """
    from splink import block_on

    frames = [splink_frame(left)] + ([splink_frame(right)] if right is not None else [])
    link_type = "link_only" if right is not None else "dedupe_only"
    linker = _linker(frames, link_type)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("fn", "sn", "dob"), "l.upn = r.upn"], recall=recall
    )
    training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    training.estimate_parameters_using_expectation_maximisation(block_on("fn_phon", "sn_phon"))
    data = floor_levels(neutralise_untrained(linker.misc.save_model_to_json()))
    data["cme"] = {
        "version": version,
        "trained_on": note or f"{len(frames[0])} + {len(frames[-1]) if right else 0} records",
        "link_type": link_type,
        # the prior is scaled from this size to the register searched (Model.prior_for)
        "register_size": len(frames[-1]),
    }
    model = model_from_dict(data)
    model.sibling_guard = sibling_guard
    return model
