"""eligo on Spark (local[2]) gives exactly the answers of `eligo batch`, for every partner of a
generated population (ELIGO_SPARK_PARTNERS, default 2000), through the example job."""

import datetime
import importlib.util
import json
import os
import subprocess
import sys
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO, eligo_bin, run_eligo

AS_OF = "2024-08-06"
PARTNERS = int(os.environ.get("ELIGO_SPARK_PARTNERS", "2000"))
SEED = 16
SUBSET = 200  # the partners of the Parquet jobs (the first of the population)


def canonical(outcomes) -> str:
    """Outcome values as canonical JSON: numbers exact and normalised, dates as text."""

    def value(v):
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        if isinstance(v, (int, Decimal)):
            d = Decimal(v).normalize()
            return f"#{d:f}" if d != 0 else "#0"
        if hasattr(v, "isoformat"):
            return v.isoformat()
        if isinstance(v, list):
            return [value(x) for x in v]
        if isinstance(v, dict):
            return {k: value(x) for k, x in v.items()}
        raise TypeError(type(v))

    return json.dumps(value(outcomes), sort_keys=True)


@pytest.fixture(scope="module")
def population(tmp_path_factory):
    folder = tmp_path_factory.mktemp("population")
    path = folder / "partners.ndjson"
    run_eligo("generate", "--partners", str(PARTNERS), "--seed", str(SEED), "--out", str(path))
    batch = folder / "batch.ndjson"
    done = subprocess.run(
        [eligo_bin(), "batch", "--population", str(path), "--as-of", AS_OF, "--out", str(batch)],
        capture_output=True, text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    expected = {}
    for line in batch.read_text().splitlines():
        record = json.loads(line, parse_float=Decimal)
        assert "error" not in record, record
        expected[record["partner"]] = (record["as_of"], canonical(record["outcomes"]))
    assert len(expected) == PARTNERS
    return path, expected


def test_example_job_equals_eligo_batch(population, tmp_path):
    path, expected = population
    out = tmp_path / "outcomes.parquet"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "spark" / "eligibility.py"), "--population", str(path),
         "--out", str(out), "--as-of", AS_OF, "--master", "local[2]"],
        capture_output=True, text=True, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"eligibility: {PARTNERS} partner(s), 0 error(s)" in done.stdout
    assert_equals_batch(pq.read_table(out), expected)


def assert_equals_batch(table, expected, kept=()):
    """Every row of the job's output has the outcomes `eligo batch` gave its partner, once each;
    `kept` names the population's columns that come along (`id`: the partner's id)."""
    assert table.num_rows == len(expected)
    assert table.schema.names[: len(kept)] == list(kept)
    outcome_names = [n for n in table.schema.names[len(kept):] if n not in ("partner", "as_of", "error")]
    seen = set()
    for row in table.to_pylist():
        partner = row["partner"]
        assert partner not in seen
        seen.add(partner)
        assert row["error"] is None
        if "id" in kept:
            assert row["id"] == partner
        as_of, outcomes = expected[partner]
        assert row["as_of"].isoformat() == as_of
        assert canonical({n: row[n] for n in outcome_names}) == outcomes, partner
    assert seen == set(expected)


@pytest.fixture(scope="module")
def job():
    """examples/spark/eligibility.py as a module: its `run` on the session the tests share."""
    spec = importlib.util.spec_from_file_location("eligibility", REPO / "examples" / "spark" / "eligibility.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_job(job, spark, *argv):
    args = job.parse_args(list(argv))
    return job.run(spark, args)


@pytest.fixture(scope="module")
def subset(population, tmp_path_factory):
    """The population's first SUBSET partners (NDJSON) and what `eligo batch` gave them."""
    path, expected = population
    lines = path.read_text().splitlines()[:SUBSET]
    small = tmp_path_factory.mktemp("subset") / "partners.ndjson"
    small.write_text("".join(line + "\n" for line in lines))
    ids = [json.loads(line)["partner"]["id"] for line in lines]
    return small, {i: expected[i] for i in ids}


def test_example_job_reads_parquet_of_json_text(subset, spark, job, tmp_path):
    path, expected = subset
    lines = path.read_text().splitlines()
    ids = [json.loads(line)["partner"]["id"] for line in lines]
    parquet = tmp_path / "partners.parquet"
    pq.write_table(pa.table({"id": ids, "facts": lines}), parquet)
    out = tmp_path / "outcomes.parquet"
    assert run_job(job, spark, "--population", str(parquet), "--out", str(out), "--as-of", AS_OF) == (len(expected), 0)
    assert_equals_batch(pq.read_table(out), expected, kept=["id"])


def test_example_job_reads_parquet_of_nested_facts(subset, spark, job, tmp_path):
    import pyspark.sql.functions as F

    path, expected = subset
    documents = spark.read.json(str(path))
    nested = documents.select(F.col("partner.id").alias("id"), F.struct(*documents.columns).alias("document"))
    parquet = tmp_path / "nested.parquet"
    nested.write.parquet(str(parquet))
    assert dict(spark.read.parquet(str(parquet)).dtypes)["document"].startswith("struct<")
    out = tmp_path / "outcomes.parquet"
    argv = ["--population", str(parquet), "--out", str(out), "--as-of", AS_OF, "--facts-col", "document"]
    assert run_job(job, spark, *argv) == (len(expected), 0)
    assert_equals_batch(pq.read_table(out), expected, kept=["id"])


def test_example_job_keeps_blank_lines_as_eligo_batch_does(spark, job, repo, tmp_path):
    good = [json.dumps(json.loads((repo / "examples" / n).read_text())) for n in ("contoso-isv.json", "just-below-70.json")]
    # A blank line before a record is an error row; the blank lines after the last record are none.
    text = f"{good[0]}\n\n\n{good[1]}\n \t\u3000\nnot json\n{good[0]}\n\n  \n\n"
    path = tmp_path / "partners.ndjson"
    path.write_text(text, encoding="utf-8")
    batch = subprocess.run(
        [eligo_bin(), "batch", "--population", str(path), "--as-of", AS_OF, "--outcome", "annual_fee_usd"],
        capture_output=True, text=True,
    )
    assert batch.returncode == 1, batch.stderr
    lines = [json.loads(line, parse_float=Decimal) for line in batch.stdout.splitlines()]
    assert [r.get("line") for r in lines] == [None, 2, 3, None, 5, 6, None]
    out = tmp_path / "outcomes.parquet"
    argv = ["--population", str(path), "--out", str(out), "--as-of", AS_OF, "--outcome", "annual_fee_usd"]
    assert run_job(job, spark, *argv) == (7, 4)
    rows = pq.read_table(out).to_pylist()

    def key(partner, error, fee):
        return (partner or "", error or "", canonical(fee))

    from_batch = [key(r["partner"], r.get("error"), r.get("outcomes", {}).get("annual_fee_usd")) for r in lines]
    from_job = [key(r["partner"], r["error"], r["annual_fee_usd"]) for r in rows]
    assert sorted(from_job) == sorted(from_batch)
    assert sum(1 for r in rows if (r["error"] or "").startswith("empty line")) == 3


def test_nested_struct_facts_equal_json_text(subset, spark):
    import pyspark.sql.functions as F

    import eligo.spark

    path, expected = subset
    documents = spark.read.json(str(path)).limit(100)
    df = documents.select(F.col("partner.id").alias("id"), F.struct(*documents.columns).alias("facts"))
    assert dict(df.dtypes)["facts"].startswith("struct<")
    rows = eligo.spark.evaluate(df, as_of=AS_OF).collect()
    assert len(rows) == 100
    outcome_names = [n for n in rows[0].asDict() if n not in ("id", "partner", "as_of", "error")]
    for row in rows:
        d = row.asDict(recursive=True)
        assert d["error"] is None, d["error"]
        assert d["partner"] == d["id"]
        assert canonical({n: d[n] for n in outcome_names}) == expected[d["partner"]][1]


def test_bad_rows_are_kept_with_their_error(spark, repo):
    import eligo.spark

    good = (repo / "examples" / "contoso-isv.json").read_text()
    df = spark.createDataFrame(
        [(1, "not json"), (2, good), (3, '{"format": "eligo.partner-facts/1", "partner": 3}')],
        ["n", "facts"],
    )
    rows = sorted(eligo.spark.evaluate(df, as_of=AS_OF, outcomes="annual_fee_usd").collect())
    assert [r["n"] for r in rows] == [1, 2, 3]
    assert rows[0]["error"].startswith("E0401: ") and rows[0]["partner"] is None
    assert rows[1]["error"] is None and rows[1]["partner"] == "contoso"
    assert rows[1]["annual_fee_usd"] == Decimal("4730")
    assert rows[2]["error"] == "E0402: partner: expected an object, found the number `3`"
    assert rows[2]["annual_fee_usd"] is None


def test_custom_policies_compile_once_per_executor_process(spark, repo):
    """`policies=` a folder of one's own; each executor Python process compiles it once, however
    many tasks and batches it runs, and a second evaluate in the session compiles nothing."""
    import eligo.spark

    tiers = str(repo / "examples" / "partner-tiers")
    facts_path = repo / "examples" / "partner-tiers" / "facts" / "northwind.json"
    expected = json.loads(run_eligo("eval", tiers, "--facts", str(facts_path), "--format", "json").stdout, parse_float=Decimal)
    facts = facts_path.read_text()
    df = spark.createDataFrame([(i, facts) for i in range(24)], ["n", "facts"]).repartition(4)

    def probe(batches):
        import os

        import pyarrow as pa

        import eligo.spark

        for _ in batches:
            yield pa.RecordBatch.from_pydict({"pid": [os.getpid()], "loads": [eligo.spark.loads(tiers)]})

    def loads_per_process():
        """(pid, loads) of the Python workers that the next tasks get (idle workers are reused)."""
        found = spark.range(0, 6, 1, 6).mapInArrow(probe, "pid long, loads long").collect()
        return {(r["pid"], r["loads"]) for r in found}

    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "4")  # several batches per task
    try:
        for _ in range(2):
            rows = eligo.spark.evaluate(df, policies=tiers).collect()  # as_of: the facts' own
            assert len(rows) == 24
            for row in rows:
                d = row.asDict(recursive=True)
                assert d["error"] is None and d["partner"] == "northwind"
                assert d["as_of"] == datetime.date.fromisoformat(expected["as_of"])
                outcomes = {k: v for k, v in d.items() if k not in ("n", "partner", "as_of", "error")}
                assert canonical(outcomes) == canonical(expected["outcomes"])
            seen = loads_per_process()
            assert seen and all(n == 1 for _, n in seen), f"(pid, compilations): {sorted(seen)}"
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
