#!/usr/bin/env bash
# The Python package and Spark, end to end (issue 16; run by tests/run-all.sh, so by CI):
#   1. the venv at $ELIGO_VENV (default target/venv) with maturin, pytest, pyarrow, pyspark and
#      Java >= 17, made or checked by .ci/install-python (reused when its pins are there);
#   2. `maturin develop` builds lang/python into it (the dev profile, as `cargo test` builds:
#      nothing is compiled in release);
#   3. pytest lang/python/tests: the package against `eligo eval`/`explain`/`batch` (the debug
#      binary, built here if missing), and a Spark local[2] job (examples/spark/eligibility.py)
#      over a generated population of $ELIGO_SPARK_PARTNERS partners (default 2000) whose every
#      partner's outcomes equal `eligo batch`'s.
# A missing tool is a failure, never a skip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo="$PWD"
export ELIGO_VENV="${ELIGO_VENV:-$repo/target/venv}"
start=$SECONDS

if [[ "${ELIGO_SKIP_INSTALL:-}" != 1 ]]; then
  .ci/install-python
fi
py="$ELIGO_VENV/bin/python"
[[ -x "$py" ]] || { echo "python.sh: no virtual environment at $ELIGO_VENV (run .ci/install-python)" >&2; exit 1; }
command -v java >/dev/null || [[ -n "${JAVA_HOME:-}" ]] || { echo "python.sh: no java (run .ci/install-python)" >&2; exit 1; }

cargo build --locked -q -p eligo-cli
export ELIGO_BIN="$repo/target/debug/eligo"

echo "python.sh: maturin develop (lang/python)"
(cd lang/python && VIRTUAL_ENV="$ELIGO_VENV" PATH="$ELIGO_VENV/bin:$PATH" maturin develop --locked -q)

spark_tmp=$(mktemp -d -t eligo-spark.XXXXXX)
trap 'rm -rf "$spark_tmp"' EXIT
export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$spark_tmp"
(cd lang/python && "$py" -m pytest -q -p no:cacheprovider tests)

echo "python.sh: passed in $((SECONDS - start)) s"
