"""`cme match link` on Splink's Spark backend (a local Spark, local[1], with the machine's
Java 17) gives the pairs and probabilities that DuckDB gives, with the same model file."""

from __future__ import annotations

import csv
import logging
import shutil

import pytest

from bench.synthetic import linkage_task
from cme.matching import bulk
from cme.matching.cli import main
from cme.matching.comparisons import COMPARISONS
from cme.matching.records import COLUMNS


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    assert shutil.which("java"), "the Spark backend needs Java 17 (apt-get install openjdk-17-jre)"
    session = (
        SparkSession.builder.master("local[1]")
        .appName("cme-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # A run of seconds: the JVM's quick compiler alone and one-thread GC halve its CPU
        # time (the optimising compiler's work never pays back here, and under load it is
        # most of the test's time).
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        # small data: compiling each stage to Java costs more than running it interpreted
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    logging.getLogger("py4j").setLevel(logging.ERROR)  # its shutdown chatter after capture ends
    yield session
    session.stop()


def _write(path, records) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in COLUMNS} for r in records)


def _pairs(path) -> dict[tuple[str, str], tuple[float, str]]:
    with open(path, newline="") as handle:
        return {
            (row["left_id"], row["right_id"]): (float(row["probability"]), row["band"])
            for row in csv.DictReader(handle)
        }


def test_spark_links_the_same_pairs_with_the_same_probabilities_as_duckdb(spark, tmp_path):
    task = linkage_task(600, 80, seed=3)
    left, right = tmp_path / "referrals.csv", tmp_path / "register.csv"
    _write(left, task.left)
    _write(right, task.right)
    for backend in ("duckdb", "spark"):
        out = tmp_path / f"{backend}.csv"
        assert main(["link", str(left), str(right), "--out", str(out), "--backend", backend]) == 0
    duck, sparked = _pairs(tmp_path / "duckdb.csv"), _pairs(tmp_path / "spark.csv")
    assert sparked.keys() == duck.keys()
    for pair, (probability, band) in duck.items():
        assert sparked[pair][0] == pytest.approx(probability, abs=1e-6), pair
        assert sparked[pair][1] == band, pair
    likely = {pair for pair, (_, band) in duck.items() if band == "likely"}
    assert len(likely & task.truth) > 0.8 * len(task.truth)  # it found the children


def test_every_level_is_written_in_spark_sql():
    """DuckDB's list_has_any, jaro_winkler_similarity and hamming have no Spark builtin of
    that name: each becomes arrays_overlap, Splink's jaro_winkler and a sum of digits."""
    for comparison in COMPARISONS:
        for level in comparison.levels:
            sql = bulk.spark_sql(level.sql)
            assert "list_has_any" not in sql and "hamming" not in sql
            assert "jaro_winkler_similarity" not in sql
    assert bulk.spark_sql("hamming(dob_l, dob_r) = 1").count("IF(substr(dob_l, ") == 8
