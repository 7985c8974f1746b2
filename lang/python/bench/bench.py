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

Each figure comes with the CPU time per partner (this process's threads, the children it waited
for, and for Spark the live JVM and Python workers below it, read from /proc), which a shared
machine disturbs far less than wall time. Results are printed as text and, with --json FILE,
written as JSON. docs/performance.md ("Python
and Spark") has the figures of a run and how to read them.
"""

import argparse
import json
import os
import re
import resource
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


def show(name, figure, unit, cpu=None):
    text = (f"  {name:<64} {figure['median']:>10.1f} {unit:<12} "
            f"(range {figure['min']:.1f}–{figure['max']:.1f})")
    if cpu is not None:
        text += f"  CPU {cpu['median']:.0f} µs/partner"
    print(text, flush=True)


TICK = os.sysconf("SC_CLK_TCK")


def _descendants_cpu():
    """CPU seconds of the live processes below this one (the JVM, Spark's Python workers)."""
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    mine, total = {os.getpid()}, 0.0
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in mine and pid not in mine:
                mine.add(pid)
                total += cpu[pid]
                grew = True
    return total


def cpu_seconds(descendants=False):
    """CPU seconds used so far by this process (every thread) and the children it waited for,
    plus, with descendants, the live processes below it."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = time.process_time() + children.ru_utime + children.ru_stime
    return total + (_descendants_cpu() if descendants else 0.0)


def timed(fn, descendants=False):
    """(wall seconds, CPU seconds) of fn()."""
    cpu = cpu_seconds(descendants)
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start, cpu_seconds(descendants) - cpu


def rate(fn, n, repeat, descendants=False):
    """Partners per wall second and CPU µs per partner, each the median of repeat runs."""
    runs = [timed(fn, descendants) for _ in range(repeat)]
    return median_of([n / w for w, _ in runs]), median_of([c / n * 1e6 for _, c in runs])


def per_partner(fn, n, repeat):
    """Wall µs per partner and CPU µs per partner, medians of repeat runs."""
    runs = [timed(fn) for _ in range(repeat)]
    return median_of([w / n * 1e6 for w, _ in runs]), median_of([c / n * 1e6 for _, c in runs])


def run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode not in (0, 1):
        command = " ".join(map(str, cmd))
        raise SystemExit(f"failed ({done.returncode}): {command}\n{done.stderr[-2000:]}")
    return done


def record(results, key, name, unit, figures):
    results[key], results[key + "_cpu_us"] = figures
    show(name, figures[0], unit, figures[1])


def per_call(args, eligo_bin, lines, tmp):
    import eligo
    import pyarrow as pa

    policies = eligo.Policies()
    sample = lines[: args.calls]
    n = len(sample)
    dicts = [json.loads(line) for line in sample]
    for line in sample[:50]:  # warm up: caches, allocator
        policies.evaluate(line, as_of=AS_OF)
    results = {}
    record(results, "evaluate_json_text_us", "Policies.evaluate(JSON text)", "µs/partner",
           per_partner(lambda: [policies.evaluate(t, as_of=AS_OF) for t in sample], n, args.repeat))
    record(results, "evaluate_dict_us", "Policies.evaluate(dict)", "µs/partner",
           per_partner(lambda: [policies.evaluate(d, as_of=AS_OF) for d in dicts], n, args.repeat))
    inner = policies._inner
    record(results, "extension_call_us", "  of which the extension's call (JSON text in and out)",
           "µs/partner",
           per_partner(lambda: [inner.evaluate_json(t, AS_OF, None) for t in sample], n,
                       args.repeat))
    singles = [pa.RecordBatch.from_arrays([pa.array([t])], names=["facts"]) for t in sample]
    record(results, "evaluate_arrow_one_row_us", "evaluate_arrow, one row a call", "µs/partner",
           per_partner(lambda: [policies.evaluate_arrow(b, as_of=AS_OF) for b in singles], n,
                       args.repeat))

    sample_file = tmp / "sample.ndjson"
    sample_file.write_text("".join(line + "\n" for line in sample))
    record(results, "batch_jobs1_us_per_line",
           f"eligo batch --jobs 1 ({n} lines, process included)", "µs/partner",
           per_partner(lambda: run([eligo_bin, "batch", "--population", str(sample_file), "--as-of",
                                    AS_OF, "--jobs", "1", "--out", os.devnull]), n, args.repeat))

    files = []
    for i, line in enumerate(sample[: args.processes]):
        f = tmp / f"facts-{i}.json"
        f.write_text(line)
        files.append(f)
    record(results, "eval_process_us",
           f"eligo eval, one process per partner ({len(files)} partners)", "µs/partner",
           per_partner(lambda: [run([eligo_bin, "eval", "--facts", str(f), "--as-of", AS_OF,
                                     "--format", "json"]) for f in files], len(files), args.repeat))
    return results


def throughput(args, eligo_bin, population, lines):
    import pyarrow as pa

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
        return rows

    assert arrow(text_batches) == n  # warm up, and every row is there
    record(results, "evaluate_arrow_text_pps",
           f"evaluate_arrow, JSON text, {ARROW_BATCH_ROWS} rows a call", "partners/s",
           rate(lambda: arrow(text_batches), n, args.repeat))

    # Nested structs, as Parquet or spark.read.json hold them (dates as text): pyarrow infers
    # each batch's struct type from the parsed documents.
    struct_batches = [
        pa.RecordBatch.from_arrays(
            [pa.array([json.loads(t) for t in lines[i:i + ARROW_BATCH_ROWS]])], names=["facts"])
        for i in range(0, n, ARROW_BATCH_ROWS)
    ]
    record(results, "evaluate_arrow_struct_pps", "evaluate_arrow, nested structs, 4096 rows a call",
           "partners/s", rate(lambda: arrow(struct_batches), n, args.repeat))

    for jobs in (1, 2):
        command = [eligo_bin, "batch", "--population", str(population), "--as-of", AS_OF,
                   "--jobs", str(jobs), "--out", os.devnull]
        record(results, f"batch_jobs{jobs}_pps",
               f"eligo batch --jobs {jobs} (reading and writing included)", "partners/s",
               rate(lambda: run(command), n, args.repeat))
    return results


def spark(args, population, n, tmp):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               SPARK_LOCAL_IP="127.0.0.1")
    results = {}
    job_runs, wall_runs = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        done = run([sys.executable, str(REPO / "examples" / "spark" / "eligibility.py"),
                    "--population", str(population), "--out", str(tmp / "outcomes.parquet"),
                    "--as-of", AS_OF, "--master", "local[2]"], env=env)
        wall_runs.append(time.perf_counter() - start)
        found = re.search(r"eligibility: (\d+) partner\(s\), (\d+) error\(s\), ([0-9.]+) s",
                          done.stdout)
        if not found or int(found.group(1)) != n or found.group(2) != "0":
            raise SystemExit(f"unexpected output of the example job: {done.stdout!r}")
        job_runs.append(n / float(found.group(3)))
    results["example_job_pps"] = median_of(job_runs)
    results["example_job_wall_s"] = median_of(wall_runs)
    show("Spark local[2], the example job (JVM start-up excluded)", results["example_job_pps"],
         "partners/s")
    show("  the same, whole process (JVM start-up included)", results["example_job_wall_s"], "s")

    import pyarrow as pa
    from pyspark.sql import SparkSession

    import eligo.spark

    os.environ.update(env)
    session = (
        SparkSession.builder.master("local[2]").appName("eligo-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.files.maxPartitionBytes", str(8 << 20))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    df = session.read.text(str(population)).withColumnRenamed("value", "facts")
    df = df.filter(df.facts != "").cache()
    assert df.count() == n
    results["spark_tasks"] = tasks = df.rdd.getNumPartitions()

    def evaluate():
        eligo.spark.evaluate(df, as_of=AS_OF).write.format("noop").mode("overwrite").save()

    def count_rows(batches):
        for batch in batches:
            rows = pa.array([batch.num_rows], pa.int64())
            yield pa.RecordBatch.from_arrays([rows], names=["rows"])

    def empty_map():
        rows = df.mapInArrow(count_rows, "rows long").groupBy().sum("rows").collect()[0][0]
        assert rows == n

    evaluate()  # warm up: Python workers started, policies compiled in each
    empty_map()
    record(results, "spark_warm_pps", f"Spark local[2], evaluate, warm ({tasks} tasks, noop sink)",
           "partners/s", rate(evaluate, n, args.repeat, descendants=True))
    record(results, "spark_empty_map_pps",
           "Spark local[2], the same map without eligo (rows counted)", "partners/s",
           rate(empty_map, n, args.repeat, descendants=True))
    session.stop()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--partners", type=int, default=20000, help="population size (default 20000)")
    ap.add_argument("--calls", type=int, default=2000, help="partners for the per-call figures")
    ap.add_argument("--processes", type=int, default=40, help="`eligo eval` processes per run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is reported")
    ap.add_argument("--eligo", default=str(REPO / "target" / "release" / "eligo"),
                    help="the CLI to compare (default: target/release/eligo)")
    ap.add_argument("--no-spark", action="store_true", help="skip the Spark figures")
    ap.add_argument("--json", default=None, help="also write the results to this file")
    args = ap.parse_args()

    eligo_bin = args.eligo
    if not Path(eligo_bin).exists():
        raise SystemExit(
            f"no eligo binary at {eligo_bin}: cargo build --release --locked -p eligo-cli")
    results = {"partners": args.partners, "repeat": args.repeat, "nproc": os.cpu_count(),
               "load_average_at_start": os.getloadavg()}
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
    results["load_average_at_end"] = os.getloadavg()
    print("load average (1, 5, 15 min) at the start: %.2f %.2f %.2f, at the end: %.2f %.2f %.2f"
          % (tuple(results["load_average_at_start"]) + tuple(results["load_average_at_end"])))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
