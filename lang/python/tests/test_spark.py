"""eligo on Spark (local[2]) gives exactly the answers of `eligo batch`, for every partner of a
generated population (ELIGO_SPARK_PARTNERS, default 2000), through the example job."""

import json
import os
import subprocess
import sys
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from conftest import REPO, eligo_bin, run_eligo

AS_OF = "2024-08-06"
PARTNERS = int(os.environ.get("ELIGO_SPARK_PARTNERS", "2000"))
SEED = 16


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
    table = pq.read_table(out)
    assert table.num_rows == PARTNERS
    outcome_names = [n for n in table.schema.names if n not in ("partner", "as_of", "error")]
    seen = set()
    for row in table.to_pylist():
        partner = row["partner"]
        assert partner not in seen
        seen.add(partner)
        assert row["error"] is None
        as_of, outcomes = expected[partner]
        assert row["as_of"].isoformat() == as_of
        assert canonical({n: row[n] for n in outcome_names}) == outcomes, partner
    assert seen == set(expected)


def test_nested_struct_facts_equal_json_text(population, spark):
    import pyspark.sql.functions as F

    import eligo.spark

    path, expected = population
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
