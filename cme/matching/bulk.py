"""Bulk linkage and deduplication of CSV files on Splink (DuckDB here, Spark at scale).

The shipped model file is Splink's own JSON, so Splink runs the blocking in SQL and scores
the blocked pairs with the model's weights, which leaves out the pairs far below the wanted
probability; the pairs kept are then scored by `cme.matching.scorer.score`, the scorer the
interactive lookup uses, so both paths give a pair the same probability (docs/matching.md).

`backend="duckdb"` (default) runs in-process. `backend="spark"` uses Splink's SparkAPI on the
active SparkSession, or a new one (`spark_session`), with the same model file and so the same
pairs and probabilities (tests/matching/test_matching_spark.py); it needs `pyspark` (the
`spark` extra) and Java 17, and is for national files that outgrow one machine.
"""

from __future__ import annotations

import copy
import logging
import math
import os
import re
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cme.matching.errors import MatchingError
from cme.matching.features import Vocabularies, encode_many, side_from_matrix, splink_frame
from cme.matching.model import Model, default_model
from cme.matching.records import Record, field, read_csv
from cme.matching.scorer import (
    RIVAL_MIN_WEIGHT,
    TF_MIN_RECORDS,
    TermFrequencies,
    score,
    share_for_one_child,
)
from cme.matching.train import BLOCKING_FOR_PREDICTION
from cme.rules.csv_cells import SafeCsvWriter

OUT_COLUMNS = ("left_id", "right_id", "probability", "band")


def db_api(backend: str) -> Any:
    """The Splink database API for a backend name ("duckdb" or "spark")."""
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        try:
            from splink import SparkAPI
        except ImportError as exc:
            raise MatchingError(
                "backend 'spark' needs pyspark: pip install 'cme-register[spark]'"
            ) from exc
        return SparkAPI(spark_session=spark_session())
    raise MatchingError(f"unknown backend {backend!r}; use 'duckdb' or 'spark'")


def spark_session() -> Any:
    """The active SparkSession (a cluster's, from spark-submit or a notebook), or a new one.

    A new session is given Splink's jar of similarity functions (jaro_winkler and the rest,
    which the comparisons use) and runs where `spark.master` says: local unless spark-submit
    or SPARK_* configuration says otherwise. A cluster's own session must have that jar
    (`splink.backends.spark.similarity_jar_location()`) and a checkpoint directory every
    executor can reach (docs/matching.md); a local one gets a temporary directory, and a
    new local one four shuffle partitions a core unless its configuration sets them.
    """
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise MatchingError(
            "backend 'spark' needs pyspark: pip install 'cme-register[spark]'"
        ) from exc
    session = SparkSession.getActiveSession()
    if session is None:
        session = (
            SparkSession.builder.appName("cme-match")
            .config("spark.jars", similarity_jar_location())
            .getOrCreate()
        )
        context = session.sparkContext
        shuffle = "spark.sql.shuffle.partitions"
        if str(context.master).startswith("local") and not context.getConf().contains(shuffle):
            # Spark's 200 (which Splink halves when it repartitions) are for a cluster; on
            # one machine a few per core finish sooner (20,000 x 4,000 on 2 cores: 44 -> 36 s)
            session.conf.set(shuffle, str(4 * context.defaultParallelism))
    context = session.sparkContext
    if context.getCheckpointDir() is None:
        if not str(context.master).startswith("local"):
            raise MatchingError(
                "the Spark session has no checkpoint directory: set one that every executor "
                "can reach (spark.sparkContext.setCheckpointDir) before linking on a cluster"
            )
        context.setCheckpointDir(tempfile.mkdtemp(prefix="cme-spark-"))
    return session


_CALL = r"\b{name}\(\s*([a-z_]+)\s*,\s*([a-z_]+)\s*\)"


def _spark_hamming(match: re.Match[str]) -> str:
    """hamming(a, b) for the eight-digit date strings, which Spark has no function for."""
    a, b = match.group(1), match.group(2)
    digits = " + ".join(f"IF(substr({a}, {i}, 1) = substr({b}, {i}, 1), 0, 1)" for i in range(1, 9))
    return f"({digits})"


def spark_sql(sql: str) -> str:
    """A comparison level's condition, written for DuckDB, in Spark SQL with Splink's jar.

    Only the functions the comparisons use are translated; a test runs every level on Spark
    and compares the pairs and probabilities with DuckDB's.
    """
    sql = re.sub(_CALL.format(name="hamming"), _spark_hamming, sql)
    sql = re.sub(r"\blist_has_any\(", "arrays_overlap(", sql)
    return re.sub(r"\bjaro_winkler_similarity\(", "jaro_winkler(", sql)


def _for_spark(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings with each level's SQL in Spark's dialect (`spark_sql`)."""
    settings["sql_dialect"] = "spark"
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
            level.pop("sql_dialect", None)
    rules = settings.get("blocking_rules_to_generate_predictions", [])
    for i, rule in enumerate(rules):
        if isinstance(rule, dict):
            rules[i] = {**rule, "blocking_rule": spark_sql(rule["blocking_rule"])}
            rules[i]["sql_dialect"] = "spark"
        else:
            rules[i] = spark_sql(rule)
    return settings


def _settings(
    model: Model,
    link_type: str,
    register_size: int | None = None,
    *,
    tf: bool = True,
    backend: str = "duckdb",
) -> dict[str, Any]:
    settings = copy.deepcopy(model.settings)
    settings["link_type"] = link_type
    settings["probability_two_random_records_match"] = model.prior_for(register_size)
    settings["retain_matching_columns"] = False
    settings["retain_intermediate_calculation_columns"] = False
    # Blocking is the code's, like the lookup's, not the file's: it decides which pairs are
    # looked at, not how they score, and it changes without a retrain.
    settings["blocking_rules_to_generate_predictions"] = list(BLOCKING_FOR_PREDICTION)
    if not tf:  # as the lookup, which adjusts for a name's frequency only in a large register
        for comparison in settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                level.pop("tf_adjustment_column", None)
                level.pop("tf_adjustment_weight", None)
    return _for_spark(settings) if backend == "spark" else settings


# Splink's SQL weight only chooses which pairs reach the scorer; it is the scorer's weight
# before the swap rule (which only raises, and which the second pass looks for) and the sibling
# guard (which only lowers), so a pair is left out only if it is below the threshold anyway.
# The margin absorbs floating-point differences between SQL and numpy.
PREFILTER_MARGIN_BITS = 0.5

# The second pass looks for referrals with forename and surname exchanged: the lookup probes
# the swapped names too (blocking.query_keys), and the swap rule can lift such a pair by
# twenty bits or more, so no threshold on the unswapped weight would keep it.
SWAP_BLOCKING = ["l.fn_phon = r.fn_phon AND l.sn_phon = r.sn_phon"]


# Pairs this likely on their own are kept until each left record's probability is shared
# among its candidates (scorer.share_among_candidates), whatever `min_probability` is.
RIVAL_MIN_PROBABILITY = 1.0 / (1.0 + 2.0**-RIVAL_MIN_WEIGHT)


def _min_weight(min_probability: float) -> float | None:
    if min_probability <= 0:
        return None
    p = min(min_probability, 1 - 1e-12)
    return math.log2(p / (1 - p)) - PREFILTER_MARGIN_BITS


def _tf_tables(api: Any, linker: Any, register: Any, tag: str) -> None:
    """The register's own name frequencies, as the lookup uses (not both inputs')."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = max(register.num_rows, 1)
    for column in ("fn", "sn"):
        counts = pc.value_counts(register[column].drop_null())
        values, n = counts.field("values"), counts.field("counts")
        table = pa.table(
            {column: values, f"tf_{column}": pc.divide(pc.cast(n, pa.float64()), total)}
        )
        registered = api.register(table, dataset_display_name=f"cme_tf_{column}_{tag}")
        linker.table_management.register_term_frequency_lookup(registered, column)


def _swapped_names(frame: Any) -> Any:
    """The frame with forename and surname exchanged, as `Side.swapped_names` reads them."""
    import pyarrow as pa

    fn, sn = frame["fn"], frame["sn"]
    parts = pa.array([[v] if v is not None else [] for v in fn.to_pylist()], pa.list_(pa.string()))
    no_groups = pa.array([[] for _ in range(frame.num_rows)], pa.list_(pa.string()))
    replaced = {
        "fn": sn,
        "sn": fn,
        "fn_phon": frame["sn_phon"],
        "sn_phon": frame["fn_phon"],
        "fn_groups": no_groups,
        "sn_parts": parts,
        "sn_first": fn,
        "sn_last": fn,
    }
    return pa.table({name: replaced.get(name, frame[name]) for name in frame.column_names})


def _row_numbered(frame: Any) -> Any:
    """The frame with its row numbers, as text, for unique_id (see `_splink_pairs`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = pc.cast(pa.array(np.arange(frame.num_rows, dtype=np.int64)), pa.string())
    return frame.set_column(frame.schema.get_field_index("unique_id"), "unique_id", rows)


def _splink_pairs(
    api: Any,
    frames: list[Any],
    settings: dict[str, Any],
    threshold: float | None,
    tf: Any,
    backend: str = "duckdb",
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs Splink keeps, as row numbers into the (left, right) frames."""
    from splink import Linker

    tag = uuid.uuid4().hex[:12]
    # Splink joins its blocked pairs (millions at 100,000 x 1,000,000) back to the records
    # on source_dataset || '-__-' || unique_id. DuckDB keeps a string of up to 12 bytes
    # inline, so one-letter table names and row numbers for ids ("l-__-1234567") make that
    # join cheaper and the pairs table smaller (peak 2.8 -> 2.4 GB there) than the files'
    # ids and long names; the ids are looked up again from the row numbers. A DuckDB API is
    # a new database each pass; a Spark session keeps a temporary view for as long as it
    # lives, across passes and runs, so there each pass has names of its own.
    names = ("l", "r") if backend == "duckdb" else (f"cme_left_{tag}", f"cme_right_{tag}")
    registered = [
        api.register(_row_numbered(f), dataset_display_name=name)
        for name, f in zip(names, frames, strict=False)
    ]
    linker = Linker(
        registered if len(registered) > 1 else registered[0], settings, log_level=logging.WARNING
    )
    if tf is not None:
        _tf_tables(api, linker, tf, tag)
    chunks = max(1, frames[0].num_rows // 50_000)  # bounds the blocked-pairs table held at once
    pairs = linker.inference.predict(
        threshold_match_weight=threshold, num_chunks_left=chunks, num_chunks_right=1
    )
    df = pairs.as_pandas_dataframe()
    left = df["unique_id_l"].astype(np.int64).to_numpy()
    right = df["unique_id_r"].astype(np.int64).to_numpy()
    if "source_dataset_l" in df:
        flip = (df["source_dataset_l"].astype(str) != names[0]).to_numpy()
        left, right = np.where(flip, right, left), np.where(flip, left, right)
    return left, right


def _name_counts(frame: Any) -> dict[str, dict[str, int]]:
    """How often each normalised forename and surname occurs in a Splink frame."""
    import pyarrow.compute as pc

    out = {}
    for column in ("fn", "sn"):
        counts = pc.value_counts(frame[column].drop_null())
        values, n = counts.field("values").to_pylist(), counts.field("counts").to_pylist()
        out[column] = dict(zip(values, n, strict=True))
    return out


def candidate_pairs(
    left_frame: Any,
    register_frame: Any,
    *,
    dedupe: bool,
    model: Model,
    backend: str = "duckdb",
    min_probability: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs Splink's blocking admits whose SQL weight could reach `min_probability`,
    from the records as given and with their names exchanged, as row numbers into the left
    frame and the register's (each pair once and never a record with itself if `dedupe`)."""
    size = register_frame.num_rows
    large = size >= TF_MIN_RECORDS
    threshold = _min_weight(min_probability)
    frames = [left_frame] + ([] if dedupe else [register_frame])
    link_type = "dedupe_only" if dedupe else "link_only"
    settings = _settings(model, link_type, size, tf=large, backend=backend)
    tf = register_frame if large else None
    found = [_splink_pairs(db_api(backend), frames, settings, threshold, tf, backend)]
    swap = _settings(model, "link_only", size, tf=False, backend=backend)
    swap["blocking_rules_to_generate_predictions"] = SWAP_BLOCKING
    swapped = [_swapped_names(left_frame), register_frame]
    found.append(_splink_pairs(db_api(backend), swapped, swap, threshold, None, backend))
    a = np.concatenate([f[0] for f in found])
    b = np.concatenate([f[1] for f in found])
    if dedupe:  # each pair once, never a record with itself (the ids' order is predict's)
        a, b = np.minimum(a, b), np.maximum(a, b)
        keep = a != b
        a, b = a[keep], b[keep]
    return a, b


def score_pairs(
    left: Sequence[Record],
    register: Sequence[Record],
    li: np.ndarray,
    ri: np.ndarray,
    model: Model,
    names: dict[str, dict[str, int]],
    *,
    one_child: bool = True,
) -> np.ndarray:
    """The probability of each pair (rows `li` of `left`, `ri` of `register`), from the
    scorer `MatchIndex.search` uses: the same levels, weights, prior for the register's
    size, name frequencies in the register (`names`, from `_name_counts`), swap rule and
    sibling guard, and each left record's probability shared among the children it could be
    (`one_child`; not for deduplication, where a record may have several duplicates), so a
    pair scores the same on both paths."""
    if not len(li):
        return np.zeros(0)
    vocab = Vocabularies()
    lu, l_at = np.unique(li, return_inverse=True)
    ru, r_at = np.unique(ri, return_inverse=True)
    x_matrix = encode_many(vocab, [left[int(i)] for i in lu])
    y_matrix = encode_many(vocab, [register[int(i)] for i in ru])
    x, y = side_from_matrix(x_matrix[l_at]), side_from_matrix(y_matrix[r_at])
    strings = vocab.names.strings
    # as the index counts them (MatchIndex._count): per normalised name, over the register
    tf = TermFrequencies(
        np.array([names["fn"].get(s, 0) for s in strings], dtype=np.int64),
        np.array([names["sn"].get(s, 0) for s in strings], dtype=np.int64),
        len(register),
    )
    scored = score(model, vocab, x, y, len(li), tf, register_size=len(register))
    if one_child:
        share_for_one_child(
            scored,
            y,
            lambda at: [field(register[int(ri[i])], "id") for i in at],
            query=l_at.reshape(-1),
        )
    return scored.probability


def predict(
    left: Sequence[Record],
    right: Sequence[Record] | None = None,
    *,
    model: Model | None = None,
    backend: str = "duckdb",
    min_probability: float = 0.1,
    limit: int = 10,
) -> Any:
    """Scored pairs as a pandas DataFrame with columns OUT_COLUMNS, best first per left id.

    With `right` None the records are deduplicated (each pair once, lower id on the left).
    Splink (on `backend`) finds the pairs; `score_pairs` scores them.
    """
    import pandas as pd

    model = model or default_model()
    register = right if right is not None else left
    left_frame = splink_frame(left)
    register_frame = splink_frame(right) if right is not None else left_frame
    one_child = right is not None
    a, b = candidate_pairs(
        left_frame,
        register_frame,
        dedupe=right is None,
        model=model,
        backend=backend,
        # every rival that shares a left record's probability (scorer.RIVAL_MIN_WEIGHT)
        min_probability=min(min_probability, RIVAL_MIN_PROBABILITY)
        if one_child
        else min_probability,
    )
    rows = pd.DataFrame({"l": a, "r": b}).drop_duplicates(ignore_index=True)
    li, ri = rows["l"].to_numpy(), rows["r"].to_numpy()
    left_ids = left_frame.column("unique_id").to_numpy(zero_copy_only=False)
    right_ids = register_frame.column("unique_id").to_numpy(zero_copy_only=False)
    out = pd.DataFrame({"left_id": left_ids[li], "right_id": right_ids[ri]})
    if right is None:  # lower id on the left
        low = out["left_id"] <= out["right_id"]
        out = pd.DataFrame(
            {
                "left_id": out["left_id"].where(low, out["right_id"]),
                "right_id": out["right_id"].where(low, out["left_id"]),
            }
        )
        li, ri = np.where(low, li, ri), np.where(low, ri, li)
    out["probability"] = score_pairs(
        left, register, li, ri, model, _name_counts(register_frame), one_child=one_child
    )
    out = out[out["probability"] >= min_probability]
    # the right id breaks ties, so that which of several equal candidates reach `limit`
    # does not depend on the order Splink's threads return the pairs in
    out = out.sort_values(
        ["left_id", "probability", "right_id"], ascending=[True, False, True], kind="stable"
    )
    out = out.groupby("left_id", sort=False).head(limit)
    out["band"] = [model.band(p) for p in out["probability"]]
    return out.reset_index(drop=True)[list(OUT_COLUMNS)]


def _write(df: Any, out_csv: str | Path) -> int:
    """Write atomically: a half-written file never replaces a good one."""
    out = Path(out_csv)
    fd, tmp = tempfile.mkstemp(dir=out.parent or ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = SafeCsvWriter(handle)
            writer.writerow(OUT_COLUMNS)
            for row in df.itertuples(index=False):
                writer.writerow((row.left_id, row.right_id, f"{row.probability:.6f}", row.band))
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(df)


def link(
    left_csv: str | Path,
    right_csv: str | Path,
    out_csv: str | Path,
    *,
    model: Model | None = None,
    backend: str = "duckdb",
    min_probability: float = 0.1,
    limit: int = 10,
) -> int:
    """Link two CSV files; write each left record's candidates; return the number of pairs."""
    left, right = read_csv(left_csv), read_csv(right_csv)
    df = predict(
        left, right, model=model, backend=backend, min_probability=min_probability, limit=limit
    )
    return _write(df, out_csv)


def dedupe(
    csv_path: str | Path,
    out_csv: str | Path,
    *,
    model: Model | None = None,
    backend: str = "duckdb",
    min_probability: float = 0.1,
    limit: int = 10,
) -> int:
    """Find likely duplicates within one CSV file; return the number of pairs written."""
    records = read_csv(csv_path)
    df = predict(
        records, None, model=model, backend=backend, min_probability=min_probability, limit=limit
    )
    return _write(df, out_csv)
