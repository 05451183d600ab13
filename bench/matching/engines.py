"""The two engines under test: this engine (MatchIndex) and Splink with stock comparisons."""

from __future__ import annotations

import logging

import pandas as pd

from cme.matching import MatchIndex
from cme.matching.model import Model

THRESHOLD = 0.95  # Splink stock: a pair at or above it counts as a predicted match


def ours_link(left, right, model: Model | None, limit: int = 5) -> set:
    index = MatchIndex(right, model)
    pairs = set()
    for record in left:
        for m in index.search(record, limit=limit, min_probability=index.model.likely):
            pairs.add((record["id"], m.id))
    return pairs


def ours_dedupe(records, model: Model | None, limit: int = 6) -> set:
    index = MatchIndex(records, model, one_child=False)  # a record may have several duplicates
    pairs = set()
    for record in records:
        for m in index.search(record, limit=limit, min_probability=index.model.likely):
            if m.id != record["id"]:
                pairs.add(tuple(sorted((record["id"], m.id))))
    return pairs


def stock_frame(records) -> pd.DataFrame:
    """The raw columns Splink's stock comparisons expect (lower-cased, as its tutorials do)."""
    df = pd.DataFrame(records).rename(
        columns={"id": "unique_id", "forename": "first_name", "date_of_birth": "dob"}
    )
    for col in ("first_name", "surname", "postcode", "address", "sex", "upn", "dob"):
        if col not in df:
            df[col] = None
        df[col] = df[col].astype("string").str.strip().str.lower().replace("", None)
    df["postcode"] = df["postcode"].str.upper()
    return df[["unique_id", "first_name", "surname", "dob", "sex", "postcode", "address", "upn"]]


def stock_settings(link_type: str, uk_postcodes: bool):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.PostcodeComparison("postcode") if uk_postcodes else cl.ExactMatch("postcode"),
        cl.LevenshteinAtThresholds("address", [2, 5]),
        cl.ExactMatch("sex"),
        cl.ExactMatch("upn"),
    ]
    return SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("surname"),
            block_on("postcode"),
        ],
    )


def stock_linker(frames, link_type: str, uk_postcodes: bool):
    from splink import DuckDBAPI, Linker, block_on

    api = DuckDBAPI()
    registered = [api.register(f) for f in frames]
    data = registered[0] if len(registered) == 1 else registered
    linker = Linker(data, stock_settings(link_type, uk_postcodes), log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    return linker


def stock_pairs(linker, link_type: str, left_ids: set | None = None) -> set:
    df = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    pairs = set()
    for a, b in zip(df["unique_id_l"].astype(str), df["unique_id_r"].astype(str), strict=True):
        if link_type == "dedupe_only":
            pairs.add(tuple(sorted((a, b))))
        else:
            pairs.add((a, b) if left_ids is None or a in left_ids else (b, a))
    return pairs
