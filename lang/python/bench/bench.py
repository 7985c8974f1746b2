"""Benchmarks of eligo from Python and on Spark (issue 16): not a test, nothing asserted.

Build the release package and the release CLI first, then run it with the venv's Python from
the repository's root:

    cargo build --release --locked -p eligo-cli
    (cd lang/python && maturin develop --release --locked)      # in the active venv
    python lang/python/bench/bench.py                          # all of it (~10 min on 2 cores)
    python lang/python/bench/bench.py --no-spark --partners 2000   # a quick look

It generates a population (`eligo generate --partners N --seed 16`) and measures, each figure
the median of --repeat runs (3 by default; the runs' range is printed too):

1. per partner: `Policies.evaluate` with JSON text and with a dict (plus the extension's call
   alone, without turning the result into Python objects), against `eligo eval` (one process
   per partner) and `eligo batch --jobs 1` (per line);
2. throughput, all outcomes: `evaluate_arrow` over the population in batches of 4,096 rows of
   JSON text (and of nested structs), one thread, against `eligo batch --jobs 1` and `--jobs 2`;
3. Spark local[2]: the example job examples/spark/eligibility.py as it is (its own printed
   time: read, evaluate, write Parquet, count; JVM start-up excluded), and the evaluation alone
   in a warm session (written to Spark's `noop` sink).

Results are printed as text and, with --json FILE, written as JSON. docs/performance.md ("Python
and Spark") has the figures of a run and how to read them.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
AS_OF = "2024-08-06"
SEED = 16
ARROW_BATCH_ROWS = 4096


def median_of(runs):
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "runs": runs}


def show(name, figure, unit):
    print(f"  {name:<58} {figure['median']:>10.1f} {unit:<12} "
          f"(range {figure['min']:.1f}–{figure['max']:.1f})", flush=True)


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(map(str, cmd))}\n{done.stderr[-2000:]}")
    return done


def per_call(args, eligo_bin, lines, tmp):
    import eligo

    policies = eligo.Policies()
    sample = lines[: args.calls]
    dicts = [json.loads(line) for line in sample]
    for line in sample[:50]:  # warm up: caches, allocator
        policies.evaluate(line, as_of=AS_OF)
    results = {}

    def loop(fn, items):
        return timed(lambda: [fn(x) for x in items]) / len(items) * 1e6

    results["evaluate_json_text_us"] = median_of(
        [loop(lambda t: policies.evaluate(t, as_of=AS_OF), sample) for _ in range(args.repeat)])
    show("Policies.evaluate(JSON text)", results["evaluate_json_text_us"], "µs/partner")
    results["evaluate_dict_us"] = median_of(
        [loop(lambda d: policies.evaluate(d, as_of=AS_OF), dicts) for _ in range(args.repeat)])
    show("Policies.evaluate(dict)", results["evaluate_dict_us"], "µs/partner")
    inner = policies._inner
    results["extension_call_us"] = median_of(
        [loop(lambda t: inner.evaluate_json(t, AS_OF, None), sample) for _ in range(args.repeat)])
    show("  of which the extension's call (JSON text in, JSON text out)",
         results["extension_call_us"], "µs/partner")

    sample_file = tmp / "sample.ndjson"
    sample_file.write_text("".join(line + "\n" for line in sample))
    batch_runs = []
    for _ in range(args.repeat):
        seconds = timed(lambda: run([eligo_bin, "batch", "--population", str(sample_file), "--as-of",
                                     AS_OF, "--jobs", "1", "--out", os.devnull]))
        batch_runs.append(seconds / len(sample) * 1e6)
    results["batch_jobs1_us_per_line"] = median_of(batch_runs)
    show(f"eligo batch --jobs 1 ({len(sample)} lines, process included)",
         results["batch_jobs1_us_per_line"], "µs/partner")

    files = []
    for i, line in enumerate(sample[: args.processes]):
        f = tmp / f"facts-{i}.json"
        f.write_text(line)
        files.append(f)
    eval_runs = []
    for _ in range(args.repeat):
        seconds = timed(lambda: [run([eligo_bin, "eval", "--facts", str(f), "--as-of", AS_OF,
                                      "--format", "json"]) for f in files])
        eval_runs.append(seconds / len(files) * 1e6)
    results["eval_process_us"] = median_of(eval_runs)
    show(f"eligo eval, one process per partner ({len(files)} partners)",
         results["eval_process_us"], "µs/partner")
    return results


def throughput(args, eligo_bin, population, lines):
    import pyarrow as pa
    import pyarrow.json as pj

    import eligo

    policies = eligo.Policies()
    n = len(lines)
    results = {}
    texts = pa.array(lines, type=pa.string())
    text_batches = [pa.RecordBatch.from_arrays([texts.slice(i, ARROW_BATCH_ROWS)], names=["facts"])
                    for i in range(0, n, ARROW_BATCH_ROWS)]

    def arrow(batches):
        rows = 0
        for b in batches:
            rows += policies.evaluate_arrow(b, as_of=AS_OF).num_rows
        assert rows == n

    arrow(text_batches[:1])  # warm up
    results["evaluate_arrow_text_pps"] = median_of(
        [n / timed(lambda: arrow(text_batches)) for _ in range(args.repeat)])
    show("evaluate_arrow, JSON text, 1 thread", results["evaluate_arrow_text_pps"], "partners/s")

    # Nested structs, as Parquet or spark.read.json hold them: pyarrow infers one struct type
    # for the whole population.
    table = pj.read_json(str(population), read_options=pj.ReadOptions(block_size=64 << 20))
    structs = pa.StructArray.from_arrays([table.column(c).combine_chunks() for c in table.column_names],
                                         names=table.column_names)
    struct_batches = [pa.RecordBatch.from_arrays([structs.slice(i, ARROW_BATCH_ROWS)], names=["facts"])
                      for i in range(0, n, ARROW_BATCH_ROWS)]
    results["evaluate_arrow_struct_pps"] = median_of(
        [n / timed(lambda: arrow(struct_batches)) for _ in range(args.repeat)])
    show("evaluate_arrow, nested structs, 1 thread", results["evaluate_arrow_struct_pps"], "partners/s")

    for jobs in (1, 2):
        runs = []
        for _ in range(args.repeat):
            seconds = timed(lambda: run([eligo_bin, "batch", "--population", str(population), "--as-of",
                                         AS_OF, "--jobs", str(jobs), "--out", os.devnull]))
            runs.append(n / seconds)
        results[f"batch_jobs{jobs}_pps"] = median_of(runs)
        show(f"eligo batch --jobs {jobs} (reading and writing included)", results[f"batch_jobs{jobs}_pps"],
             "partners/s")
    return results


def spark(args, population, n, tmp):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               SPARK_LOCAL_IP="127.0.0.1")
    results = {}
    job_runs, wall_runs = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        done = run([sys.executable, str(REPO / "examples" / "spark" / "eligibility.py"), "--population",
                    str(population), "--out", str(tmp / "outcomes.parquet"), "--as-of", AS_OF,
                    "--master", "local[2]"], env=env)
        wall_runs.append(time.perf_counter() - start)
        found = re.search(r"eligibility: (\d+) partner\(s\), (\d+) error\(s\), ([0-9.]+) s", done.stdout)
        if not found or int(found.group(1)) != n or found.group(2) != "0":
            raise SystemExit(f"unexpected output of the example job: {done.stdout!r}")
        job_runs.append(n / float(found.group(3)))
    results["example_job_pps"] = median_of(job_runs)
    results["example_job_wall_s"] = median_of(wall_runs)
    show("Spark local[2], the example job (JVM start-up excluded)", results["example_job_pps"], "partners/s")
    show("  the same, whole process (JVM start-up included)", results["example_job_wall_s"], "s")

    from pyspark.sql import SparkSession

    import eligo.spark

    os.environ.update(env)
    session = (
        SparkSession.builder.master("local[2]").appName("eligo-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.files.maxPartitionBytes", str(8 << 20))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    df = session.read.text(str(population)).withColumnRenamed("value", "facts")
    df = df.filter(df.facts != "").cache()
    assert df.count() == n
    tasks = df.rdd.getNumPartitions()

    def evaluate():
        eligo.spark.evaluate(df, as_of=AS_OF).write.format("noop").mode("overwrite").save()

    evaluate()  # warm up: Python workers started, policies compiled in each
    results["spark_warm_pps"] = median_of([n / timed(evaluate) for _ in range(args.repeat)])
    results["spark_tasks"] = tasks
    show(f"Spark local[2], evaluation alone, warm ({tasks} tasks, noop sink)", results["spark_warm_pps"],
         "partners/s")
    session.stop()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--partners", type=int, default=20000, help="population size (default 20000)")
    ap.add_argument("--calls", type=int, default=2000, help="partners for the per-call figures")
    ap.add_argument("--processes", type=int, default=40, help="`eligo eval` processes per run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is reported")
    ap.add_argument("--eligo", default=str(REPO / "target" / "release" / "eligo"), help="the CLI to compare")
    ap.add_argument("--no-spark", action="store_true", help="skip the Spark figures")
    ap.add_argument("--json", default=None, help="also write the results to this file")
    args = ap.parse_args()

    eligo_bin = args.eligo
    if not Path(eligo_bin).exists():
        raise SystemExit(f"no eligo binary at {eligo_bin}: cargo build --release --locked -p eligo-cli")
    results = {"partners": args.partners, "repeat": args.repeat, "nproc": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="eligo-bench.") as folder:
        tmp = Path(folder)
        population = tmp / "partners.ndjson"
        run([eligo_bin, "generate", "--partners", str(args.partners), "--seed", str(SEED), "--out",
             str(population)])
        lines = [line for line in population.read_text().splitlines() if line]
        size = population.stat().st_size
        print(f"population: {len(lines)} partners, {size / 1e6:.0f} MB, as of {AS_OF}; "
              f"medians of {args.repeat} runs", flush=True)
        print("per partner:")
        results["per_call"] = per_call(args, eligo_bin, lines, tmp)
        print("throughput, all outcomes:")
        results["throughput"] = throughput(args, eligo_bin, population, lines)
        if not args.no_spark:
            print("Spark:")
            results["spark"] = spark(args, population, len(lines), tmp)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
