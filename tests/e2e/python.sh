#!/usr/bin/env bash
# The Python package and Spark, end to end (issue 16; run by tests/run-all.sh, so by CI):
#   1. the venv at $ELIGO_VENV (default target/venv) with maturin, pytest, mypy, pyarrow, pyspark
#      and Java >= 17, made or checked by .ci/install-python (reused when its pins are there);
#   2. `pip install ./lang/python` builds the package and installs it into the venv, maturin being
#      pip's build backend (--no-build-isolation: the venv's maturin) in the dev profile
#      (MATURIN_PEP517_ARGS="--profile dev --locked"), so that it reuses the debug build `cargo
#      test` made: nothing is compiled in release. Only when maturin's cargo fails its probe of
#      rustc (a known fault of the CI host, below), or with ELIGO_PY_BUILD=cargo, is the module
#      built by plain cargo installed instead, with a WARNING line in the log. Then mypy's
#      stubtest checks the type stubs (.pyi) against the installed package;
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

cargo build --locked -q -p eligo-cli </dev/null
export ELIGO_BIN="$repo/target/debug/eligo"

# How the package is built here: `pip install ./lang/python`, as the README says, with maturin as
# pip's build backend (from the venv: --no-build-isolation, so nothing is fetched), in the dev
# profile, so that it reuses the workspace's debug artifacts in target/ (a release build would
# compile every eligo crate again). The same wheel a user's `pip install` builds, less optimised.
install_with_pip() {
  PATH="$ELIGO_VENV/bin:$PATH" MATURIN_PEP517_ARGS="--profile dev --locked" \
    "$ELIGO_VENV/bin/pip" install -q --no-compile --no-build-isolation ./lang/python </dev/null
}
# On the 2-core CI host, cargo's probe of rustc (`rustc - --print=cfg …`, under maturin's
# environment) has twice read other compiler output as its program and cached that failure in
# target/.rustc_info.json ("failed to run `rustc` to learn about target-specific information").
# Only for that failure, and loudly: the cache file is dropped and the module built by plain
# cargo (target/debug/lib_eligo.so) is installed as maturin lays it out, the Python sources
# and the module beside them. Any other failure fails the script.
install_cargo_build() {
  rm -f "$repo/target/.rustc_info.json"
  cargo build --locked -q -p eligo-python </dev/null
  local site
  site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  rm -rf "$site/eligo" "$site"/eligo-*.dist-info "$site"/eligo.pth "$site"/_eligo.pth
  cp -r lang/python/python/eligo "$site/eligo"
  cp target/debug/lib_eligo.so "$site/eligo/_eligo.abi3.so"
}
step=$SECONDS
log="$repo/target/pip-install-eligo.log"
if [[ "${ELIGO_PY_BUILD:-pip}" == cargo ]]; then
  echo "python.sh: WARNING: ELIGO_PY_BUILD=cargo: the module built by plain cargo, not pip install" >&2
  install_cargo_build
elif install_with_pip 2>"$log"; then
  echo "python.sh: pip install ./lang/python (maturin, dev profile): $((SECONDS - step)) s"
else
  cat "$log" >&2
  grep -q "to learn about target-specific information" "$log" || exit 1
  echo "python.sh: WARNING: maturin's cargo failed its probe of rustc; pip install is NOT tested in this run: installing the module built by plain cargo" >&2
  install_cargo_build
fi
# The type stubs against the installed package: mypy's stubtest (its cache goes to target/).
(cd target && "$py" -m mypy.stubtest --mypy-config-file ../lang/python/pyproject.toml eligo)

spark_tmp=$(mktemp -d -t eligo-spark.XXXXXX)
trap 'rm -rf "$spark_tmp"' EXIT
export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$spark_tmp"
(cd lang/python && "$py" -m pytest -q -p no:cacheprovider --durations=6 tests)

echo "python.sh: passed in $((SECONDS - start)) s"
