#!/usr/bin/env bash
# Every test of the repository, on a fresh machine: installs what the end-to-end tests need
# (Chromium, Neovim, Node.js 20+, a Python venv with maturin, pyarrow and pyspark; see .ci/README.md), then runs
#   1. the Rust suites: cargo test --workspace --locked
#   2. the end-to-end suites that drive real clients (tests/e2e_*.rs: a browser, an editor),
#      declared with `test = false` so that a plain `cargo test` does not need those tools
#   3. the editor support's tests (editors/test.sh)
#   4. every other end-to-end script (tests/e2e/*.sh: the Python package, Spark)
# It stops at the first failure with a non-zero exit. A missing tool is a failure, never a skip.
#
#   bash tests/run-all.sh            # everything (the README's test command)
#   ELIGO_SKIP_INSTALL=1 bash tests/run-all.sh   # tools already installed: do not try to install
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"

step() { printf '\n== %s (at %ss)\n' "$*" "$SECONDS"; }

export ELIGO_VENV="${ELIGO_VENV:-$repo/target/venv}"
if [[ "${ELIGO_SKIP_INSTALL:-}" != 1 ]]; then
  step "installing the end-to-end tools"
  .ci/install-browser
  .ci/install-editor
  .ci/install-node
  .ci/install-python
fi

step "cargo test --workspace --locked"
cargo test --workspace --locked

shopt -s nullglob
for suite in tests/e2e_*.rs; do
  name="$(basename "$suite" .rs)"
  step "end to end: $name"
  cargo test --locked -p eligo-cli --test "$name"
done

step "editors/test.sh"
bash editors/test.sh

for script in tests/e2e/*.sh; do
  step "end to end: $script"
  bash "$script"
done

# Nothing run above may damage the machine: `--out /dev/null` once replaced the device with a
# regular file (tests/cli_output.rs, docs/reliability.md), and every later reader of /dev/null
# read what had been written there.
[[ -c /dev/null ]] || { echo "run-all.sh: /dev/null is no longer a device" >&2; exit 1; }

step "all tests passed"
