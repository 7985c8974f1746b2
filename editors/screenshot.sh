#!/usr/bin/env bash
# Remakes docs/editors/neovim-highlighting.png: a standard policy file highlighted by Neovim with the
# tree-sitter grammar, set up as docs/editors.md says, exported by Neovim's :TOhtml and photographed
# by headless Chromium. Needs nvim 0.10+, chromium and cc; not part of the tests.
#
#   bash editors/screenshot.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
for tool in nvim chromium cc; do command -v "$tool" >/dev/null || { echo "screenshot.sh: needs $tool" >&2; exit 1; }; done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/nvim/parser" "$work/nvim/queries/eligo"
cc -O2 -shared -fPIC -I "$here/tree-sitter-eligo/src" "$here/tree-sitter-eligo/src/parser.c" -o "$work/nvim/parser/eligo.so"
cp "$here/tree-sitter-eligo/queries/highlights.scm" "$work/nvim/queries/eligo/"
cat > "$work/nvim/init.lua" <<'LUA'
vim.filetype.add({ extension = { elg = "eligo" } })
vim.api.nvim_create_autocmd("FileType", { pattern = "eligo", callback = function() vim.treesitter.start() end })
LUA
XDG_CONFIG_HOME="$work" nvim --headless "$repo/stdlib-policies/designations.elg" \
  -c 'set termguicolors background=dark' -c 'colorscheme retrobox' \
  -c 'lua vim.treesitter.get_parser(0):parse(true)' -c "TOhtml $work/page.html" -c 'qa!' >/dev/null 2>&1
sed -i 's/\* {font-family: monospace}/* {font-family: "DejaVu Sans Mono", monospace; font-size: 13px}/' "$work/page.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,900 \
  --screenshot="$repo/docs/editors/neovim-highlighting.png" "file://$work/page.html" >/dev/null 2>&1
echo "wrote docs/editors/neovim-highlighting.png"
