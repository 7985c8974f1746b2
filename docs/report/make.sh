#!/usr/bin/env bash
# Rewrites docs/report/: a partner report of every example in examples/ (HTML and a screenshot
# of its top) and a population report over `eligo generate --partners 2000` (the same).
# ONLY_POPULATION=1 rewrites only the population report.
# Needs Chromium (.ci/install-browser) and a built eligo: `cargo build`, then
#   bash docs/report/make.sh [path/to/eligo]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
eligo="$(realpath "${1:-target/debug/eligo}")"
out="docs/report"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
shot() { # page.html shot.png height
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$(mktemp -d -p "$tmp")" --virtual-time-budget=5000 \
    --window-size="1280,$3" --screenshot="$PWD/$2" "file://$PWD/$1" 2>/dev/null
}
for facts in ${ONLY_POPULATION:+}examples/*.json; do
  [[ -n "${ONLY_POPULATION:-}" ]] && break
  name="$(basename "$facts" .json)"
  "$eligo" report --facts "$facts" --out "$out/$name.html" 2>/dev/null
  shot "$out/$name.html" "$out/$name.png" 1600
done
"$eligo" generate --partners 2000 --out "$tmp/population.ndjson"
(cd "$tmp" && "$eligo" report --population population.ndjson --out population-2000.html 2>/dev/null)
mv "$tmp/population-2000.html" "$out/"
shot "$out/population-2000.html" "$out/population-2000.png" 2200
echo "docs/report: $(ls "$out"/*.html | wc -l) pages, $(ls "$out"/*.png | wc -l) screenshots"
