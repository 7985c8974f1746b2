"""Evaluates a population of partners on Apache Spark and writes the outcomes as Parquet.

    python examples/spark/eligibility.py --population partners.ndjson --out outcomes.parquet \
        [--as-of 2024-08-06] [--outcome ID_OR_PREFIX ...] [--policies PATH] [--facts-col facts] \
        [--master local[2]]

The population is NDJSON (one facts document per line, as `eligo generate` writes: read as JSON
text, so every value is exactly what `eligo batch` reads; a blank line before a record is an
error row, as in `eligo batch`) or Parquet (a `--facts-col` column of JSON text or of nested
structs, plus any other columns, which are kept). The output has one row per
partner, in no particular order: the kept columns, `partner`, `as_of`, one typed column per
outcome and `error`. See docs/spark.md.
"""

import argparse
import time
from typing import List, Optional, Tuple

from pyspark.sql import DataFrame, SparkSession

import eligo.spark


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--population", required=True, help="NDJSON (.ndjson, .jsonl, .json) or Parquet")
    ap.add_argument("--out", required=True, help="the Parquet folder to write (replaced)")
    ap.add_argument("--as-of", default=None, help="the evaluation date, YYYY-MM-DD")
    ap.add_argument("--outcome", action="append", default=None, help="an outcome id or prefix; repeatable")
    ap.add_argument("--policies", default=None, help="a policy file or folder (default: the standard policies)")
    ap.add_argument("--facts-col", default="facts", help="the facts column of a Parquet population")
    ap.add_argument("--master", default=None, help="e.g. local[2]; default: what spark-submit gives")
    return ap.parse_args(argv)


def read_ndjson(spark: SparkSession, path: str) -> DataFrame:
    """One row per line, its text in `facts`, as `eligo batch` reads NDJSON: a blank line before
    a record is a row (its output is an error row, "empty line"), the blank lines after a file's
    last record are none."""
    from pyspark.sql import functions as F

    lines = spark.read.text(path).select(
        F.col("value").alias("facts"),
        F.input_file_name().alias("_file"),
        # A line's place in its file: where its split starts, then its order within the split.
        F.struct(F.input_file_block_start(), F.monotonically_increasing_id()).alias("_at"),
    )
    # Blank as Rust's str::trim sees it: Unicode white space only.
    blank = F.col("facts").rlike(r"(?U)^\s*$")
    last = lines.filter(~blank).groupBy("_file").agg(F.max("_at").alias("_last"))
    kept = lines.join(F.broadcast(last), "_file", "left").filter(~blank | (F.col("_at") < F.col("_last")))
    return kept.select("facts")


def read_population(spark: SparkSession, path: str, facts_col: str) -> Tuple[DataFrame, str]:
    """The population and its facts column: Parquet as it is, NDJSON as JSON text in `facts`."""
    if path.endswith(".parquet"):
        return spark.read.parquet(path), facts_col
    return read_ndjson(spark, path), "facts"


def run(spark: SparkSession, args: argparse.Namespace) -> Tuple[int, int]:
    """Evaluates the population into `args.out`; returns how many partners and errors it wrote."""
    df, facts_col = read_population(spark, args.population, args.facts_col)
    result = eligo.spark.evaluate(
        df, facts_col=facts_col, as_of=args.as_of, outcomes=args.outcome, policies=args.policies
    )
    result.write.mode("overwrite").parquet(args.out)
    written = spark.read.parquet(args.out)
    return written.count(), written.filter(written.error.isNotNull()).count()


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    builder = SparkSession.builder.appName("eligo-eligibility")
    if args.master:
        builder = (
            builder.master(args.master)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            # Splits of 8 MB: a few thousand partners (15 kB each) make several tasks, so that
            # every core works; a cluster keeps its own setting (128 MB by default).
            .config("spark.sql.files.maxPartitionBytes", str(8 << 20))
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")

    start = time.monotonic()
    rows, errors = run(spark, args)
    print(f"eligibility: {rows} partner(s), {errors} error(s), {time.monotonic() - start:.1f} s -> {args.out}")
    spark.stop()


if __name__ == "__main__":
    main()
