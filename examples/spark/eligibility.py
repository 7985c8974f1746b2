"""Evaluates a population of partners on Apache Spark and writes the outcomes as Parquet.

    python examples/spark/eligibility.py --population partners.ndjson --out outcomes.parquet \
        [--as-of 2024-08-06] [--outcome ID_OR_PREFIX ...] [--policies PATH] [--master local[2]]

The population is NDJSON (one facts document per line, as `eligo generate` writes: read as JSON
text, so every value is exactly what `eligo batch` reads) or Parquet (a `facts` column of JSON
text or of nested structs, plus any other columns, which are kept). The output has one row per
partner, in no particular order: the kept columns, `partner`, `as_of`, one typed column per
outcome and `error`. See docs/spark.md.
"""

import argparse
import time

from pyspark.sql import SparkSession

import eligo.spark


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--population", required=True, help="NDJSON (.ndjson, .jsonl, .json) or Parquet")
    ap.add_argument("--out", required=True, help="the Parquet folder to write (replaced)")
    ap.add_argument("--as-of", default=None, help="the evaluation date, YYYY-MM-DD")
    ap.add_argument("--outcome", action="append", default=None, help="an outcome id or prefix; repeatable")
    ap.add_argument("--policies", default=None, help="a policy file or folder (default: the standard policies)")
    ap.add_argument("--facts-col", default="facts", help="the facts column of a Parquet population")
    ap.add_argument("--master", default=None, help="e.g. local[2]; default: what spark-submit gives")
    args = ap.parse_args()

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
    if args.population.endswith(".parquet"):
        df = spark.read.parquet(args.population)
        facts_col = args.facts_col
    else:
        # Each line is one partner's facts, kept as JSON text.
        df = spark.read.text(args.population).withColumnRenamed("value", "facts")
        df = df.filter(df.facts != "")
        facts_col = "facts"
    result = eligo.spark.evaluate(
        df, facts_col=facts_col, as_of=args.as_of, outcomes=args.outcome, policies=args.policies
    )
    result.write.mode("overwrite").parquet(args.out)
    written = spark.read.parquet(args.out)
    rows = written.count()
    errors = written.filter(written.error.isNotNull()).count()
    print(f"eligibility: {rows} partner(s), {errors} error(s), {time.monotonic() - start:.1f} s -> {args.out}")
    spark.stop()


if __name__ == "__main__":
    main()
