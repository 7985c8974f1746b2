#!/usr/bin/env bash
# Regenerates the parser (src/) from grammar.js and the Helix queries from queries/highlights.scm.
# Needs the tree-sitter CLI of the version below: `cargo install tree-sitter-cli --version 0.27.1 --locked`
# (the npm package tree-sitter-cli downloads its binary from GitHub when installed, which may be out
# of reach). The generated files are committed, so building and testing the grammar needs no CLI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
version="0.27.1"
command -v tree-sitter >/dev/null || { echo "generate.sh: install the CLI: cargo install tree-sitter-cli --version $version --locked" >&2; exit 1; }
tree-sitter --version | grep -q " $version" || echo "generate.sh: warning: $(tree-sitter --version), the parser was generated with $version" >&2
# ABI 14: Neovim 0.10 and Helix before 25.07 load nothing newer. Its one loss: reserved words
# (`and`, `where`, …) are not refused as names, as ABI 15 would (see test/corpus.test.js).
tree-sitter generate --abi 14
node scripts/helix-queries.js
# The tests compare this with grammar.js: a grammar edited without regenerating fails them.
sha256sum grammar.js | cut -d' ' -f1 > src/grammar.js.sha256
echo "generated src/ from grammar.js"
