#!/usr/bin/env bash
# The Python package and Spark, end to end (issue 16; run by tests/run-all.sh, so by CI):
#   1. the venv at $ELIGO_VENV (default target/venv) with maturin, pytest, pyarrow, pyspark and
#      Java >= 17, made or checked by .ci/install-python (reused when its pins are there);
#   2. `maturin develop` builds lang/python into it (the dev profile, as `cargo test` builds:
#      nothing is compiled in release); when maturin's cargo fails its probe of rustc, or with
#      ELIGO_PY_BUILD=cargo, the module built by plain cargo is installed instead;
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
develop() {
  (cd lang/python && VIRTUAL_ENV="$ELIGO_VENV" PATH="$ELIGO_VENV/bin:$PATH" maturin develop --locked -q </dev/null)
}
# On the 2-core CI host, cargo's probe of rustc (`rustc - --print=cfg …`, under maturin's
# environment) has twice read other compiler output as its program and cached that failure in
# target/.rustc_info.json, failing the build with "failed to run `rustc` to learn about
# target-specific information". Not our code: the cache entry is dropped and the build run once
# more, loudly; any other failure fails at once.
# The same module built by plain cargo (the workspace build makes it: target/debug/lib_eligo.so)
# and installed as maturin would lay it out: the Python sources and the module beside them.
install_cargo_build() {
  cargo build --locked -q -p eligo-python </dev/null
  local site
  site=$("$ELIGO_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  rm -rf "$site/eligo" "$site"/eligo-*.dist-info "$site"/eligo.pth "$site"/_eligo.pth
  cp -r lang/python/python/eligo "$site/eligo"
  cp target/debug/lib_eligo.so "$site/eligo/_eligo.abi3.so"
}
if [[ "${ELIGO_PY_BUILD:-maturin}" == cargo ]] || ! develop 2>"$repo/target/maturin-develop.log"; then
  if [[ "${ELIGO_PY_BUILD:-maturin}" != cargo ]]; then
    cat "$repo/target/maturin-develop.log" >&2
    grep -q "to learn about target-specific information" "$repo/target/maturin-develop.log" || exit 1
    echo "python.sh: maturin's cargo failed its probe of rustc; installing the module built by plain cargo" >&2
  fi
  install_cargo_build
fi

spark_tmp=$(mktemp -d -t eligo-spark.XXXXXX)
trap 'rm -rf "$spark_tmp"' EXIT
export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$spark_tmp"
(cd lang/python && "$py" -m pytest -q -p no:cacheprovider tests)

echo "python.sh: passed in $((SECONDS - start)) s"
