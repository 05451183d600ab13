"""Bulk linkage and deduplication of CSV files on Splink (DuckDB here, Spark at scale).

The shipped model file is Splink's own JSON, so Splink runs the blocking and scoring in SQL;
the same sibling guard as the interactive scorer is then applied (see docs/matching.md).

`backend="duckdb"` (default) runs in-process. `backend="spark"` uses Splink's SparkAPI on the
active SparkSession, or a new one (`spark_session`), with the same model file and so the same
pairs and probabilities (tests/matching/test_matching_spark.py); it needs `pyspark` (the
`spark` extra) and Java 17, and is for national files that outgrow one machine.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cme.matching.errors import MatchingError
from cme.matching.features import splink_frame
from cme.matching.model import Model, default_model
from cme.matching.records import Record, read_csv
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
    executor can reach (docs/matching.md); a local one gets a temporary directory.
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
    settings = copy.deepcopy(settings)
    settings["sql_dialect"] = "spark"
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
            level.pop("sql_dialect", None)
    for rule in settings.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict):
            rule["blocking_rule"] = spark_sql(rule["blocking_rule"])
            rule["sql_dialect"] = "spark"
    return settings


def _settings(
    model: Model, link_type: str, register_size: int | None = None, backend: str = "duckdb"
) -> dict[str, Any]:
    settings = _for_spark(model.settings) if backend == "spark" else dict(model.settings)
    settings["link_type"] = link_type
    settings["probability_two_random_records_match"] = model.prior_for(register_size)
    settings["retain_matching_columns"] = False
    settings["retain_intermediate_calculation_columns"] = True  # mw_* for the guard
    return settings


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
    """
    from splink import Linker

    model = model or default_model()
    api = db_api(backend)
    frames = [api.register(splink_frame(left), dataset_display_name="cme_left")]
    if right is not None:
        frames.append(api.register(splink_frame(right), dataset_display_name="cme_right"))
    link_type = "dedupe_only" if right is None else "link_only"
    linker = Linker(
        frames if len(frames) > 1 else frames[0],
        _settings(model, link_type, len(left) if right is None else len(right), backend),
        log_level=logging.WARNING,
    )
    chunks = max(1, len(left) // 50_000)  # bounds the blocked-pairs table held at once
    pairs = linker.inference.predict(
        threshold_match_probability=min_probability, num_chunks_left=chunks, num_chunks_right=1
    )
    df = pairs.as_pandas_dataframe()
    return _finish(df, model, link_type, limit)


def _finish(df: Any, model: Model, link_type: str, limit: int) -> Any:
    import pandas as pd

    if df.empty:
        return pd.DataFrame(columns=list(OUT_COLUMNS))
    left, right = df["unique_id_l"].astype(str), df["unique_id_r"].astype(str)
    if link_type == "link_only" and "source_dataset_l" in df:
        flip = df["source_dataset_l"].astype(str) != "cme_left"
        left, right = left.where(~flip, right), right.where(~flip, left)
    weight = df["match_weight"].to_numpy(dtype=float)
    # Splink 5 reports each comparison's weight (mw_*), which identifies the level.
    forename_else = model.comparisons["forename"].weights[-2]
    upn_exact = model.comparisons["upn"].weights[0]
    guard = np.isclose(df["mw_forename"].to_numpy(dtype=float), forename_else)
    guard &= ~np.isclose(df["mw_upn"].to_numpy(dtype=float), upn_exact)
    cap = np.log2(model.likely / (1 - model.likely)) - 0.01
    if model.sibling_guard:
        weight = np.where(guard, np.minimum(weight, cap), weight)
    probability = 1.0 / (1.0 + np.exp2(-weight))
    out = pd.DataFrame({"left_id": left, "right_id": right, "probability": probability})
    out = out.sort_values(["left_id", "probability"], ascending=[True, False], kind="stable")
    out = out.groupby("left_id", sort=False).head(limit)
    out["band"] = [model.band(p) for p in out["probability"]]
    return out.reset_index(drop=True)


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
