#!/usr/bin/env bash
# Remakes docs/editors/neovim-highlighting.png and neovim-inlay-hints.png. The first: a standard policy file highlighted by Neovim with the
# tree-sitter grammar, set up as docs/editors.md says, exported by Neovim's :TOhtml and photographed
# by headless Chromium. Needs nvim 0.10+, chromium, cc and a built eligo; not part of the tests.
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

# docs/editors/neovim-inlay-hints.png: live values (inlay hints from `eligo lsp`) in the language
# server's test policies, with the error of broken.elg fixed so that they compile.
eligo="${ELIGO_BIN:-$repo/target/debug/eligo}"
[ -x "$eligo" ] || { echo "screenshot.sh: build eligo first (cargo build), or set ELIGO_BIN" >&2; exit 1; }
cp -r "$repo/tests/lsp/policies" "$work/policies"
sed -i 's/qualifes/qualifies/' "$work/policies/broken.elg"
cat > "$work/hints.lua" <<LUA
vim.lsp.start({ name = "eligo", cmd = { "$eligo", "lsp" }, root_dir = "$work/policies" })
vim.lsp.inlay_hint.enable(true)
vim.wait(30000, function() return #vim.lsp.inlay_hint.get({ bufnr = 0 }) > 0 end, 50)
vim.treesitter.get_parser(0):parse(true)
-- Neovim draws inlay hints with a decoration provider, which :TOhtml does not see: the same hints
-- are put back as extmarks with inline virtual text, as Neovim shows them.
local ns = vim.api.nvim_create_namespace("eligo-screenshot")
for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = 0 })) do
  local label, p = h.inlay_hint.label, h.inlay_hint.position
  if type(label) == "table" then
    local parts = {}
    for _, part in ipairs(label) do parts[#parts + 1] = part.value end
    label = table.concat(parts)
  end
  vim.api.nvim_buf_set_extmark(0, ns, p.line, p.character,
    { virt_text = { { " " .. label, "LspInlayHint" } }, virt_text_pos = "inline" })
end
vim.lsp.inlay_hint.enable(false)
LUA
XDG_CONFIG_HOME="$work" nvim --headless "$work/policies/rules.elg" \
  -c 'set termguicolors background=dark' -c 'colorscheme retrobox' -c 'hi LspInlayHint guifg=#928374 gui=italic' \
  -c "luafile $work/hints.lua" -c "TOhtml $work/hints.html" -c 'qa!' >/dev/null 2>&1
sed -i 's/\* {font-family: monospace}/* {font-family: "DejaVu Sans Mono", monospace; font-size: 13px}/' "$work/hints.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,420 \
  --screenshot="$repo/docs/editors/neovim-inlay-hints.png" "file://$work/hints.html" >/dev/null 2>&1
echo "wrote docs/editors/neovim-inlay-hints.png"
