#!/usr/bin/env bash
# The editor support's tests: builds what they need, runs them, and packages the VS Code extension.
# The TextMate grammar (VS Code) and the tree-sitter grammar (Neovim, Helix) are both held to the
# parse of every eligo source of the repository by lang/eligo's grammar.pest.
# Exits non-zero on any failure, and when a tool is missing (never skips). Safe to run again: the npm
# packages are reinstalled only when package-lock.json changed.
#
#   bash editors/test.sh
#
# Needs: cargo and a C compiler (editors/grammar-oracle runs grammar.pest and the generated tree-sitter
# parser), Node 20+ and npm (the npm registry).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

step() { printf '\n== %s (at %ss)\n' "$*" "$SECONDS"; }
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "editors/test.sh: \`$1\` is not installed: $2" >&2; exit 1; }
}
need cargo "install Rust (rustup) to build editors/grammar-oracle"
need cc "install a C compiler (Debian: gcc) to build the tree-sitter parser"
need node "install Node.js 20 or later"
need npm "install npm (it comes with Node.js)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "editors/test.sh: Node.js $(node --version) is too old: 20 or later is needed" >&2
  exit 1
fi

step "grammar-oracle: grammar.pest (run by pest_vm) and the tree-sitter parser"
cargo build --release --locked --quiet --manifest-path "$here/grammar-oracle/Cargo.toml"
export ELIGO_PEST_TOKENS="$here/grammar-oracle/target/release/pest-tokens"
export ELIGO_TREE_SITTER_TOKENS="$here/grammar-oracle/target/release/tree-sitter-tokens"

step "vscode: npm packages"
cd "$here/vscode"
stamp="node_modules/.installed-from-package-lock"
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$stamp"
else
  echo "up to date"
fi

step "vscode: type-check the client"
npm run --silent check

step "vscode: grammar, language configuration and client tests"
npm test

step "tree-sitter: the grammar and its highlighting queries"
node --test "$here"/tree-sitter-eligo/test/*.test.js

step "vscode: package"
rm -f eligo.vsix
npm run --silent package
listing="$(npx vsce ls)"
for file in package.json language-configuration.json syntaxes/eligo.tmLanguage.json src/extension.js src/settings.js \
            node_modules/vscode-languageclient/lib/node/main.js; do
  grep -qx "$file" <<<"$listing" || { echo "editors/test.sh: the package lacks $file" >&2; exit 1; }
done
if grep -q '^test/' <<<"$listing"; then echo "editors/test.sh: the package holds the tests" >&2; exit 1; fi
echo "wrote $here/vscode/eligo.vsix"
echo "editors/test.sh: all passed in ${SECONDS}s"
