#!/usr/bin/env bash
# Regenerates the generated tables of docs/scoring.md: the criteria table (from
# firstline::scoring::registry::CRITERIA) and the calibration table (every bundled play-test
# plus the adversarial corpus in tests/adversarial/cases.ron, scored by the current engine).
#
#   scripts/calibration.sh          rewrite docs/scoring.md in place
#   scripts/calibration.sh --check  exit 1 if docs/scoring.md is out of date
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/scoring.md
out=$(mktemp)
new=$(mktemp)
trap 'rm -f "$out" "$new"' EXIT
cargo test --quiet --test adversarial issue10_calibration_tables -- --ignored --nocapture --exact >"$out"
# Replace each <!-- NAME:begin --> ... <!-- NAME:end --> block of the document by the block
# of the same name in the generated output.
awk -v gen="$out" '
  BEGIN {
    while ((getline line < gen) > 0) {
      if (match(line, /^<!-- [a-z]+:begin -->$/)) { name = substr(line, 6, length(line) - 15); buf = line; inblk = 1; continue }
      if (inblk) { buf = buf "\n" line; if (line == "<!-- " name ":end -->") { block[name] = buf; inblk = 0 } }
    }
  }
  /^<!-- [a-z]+:begin -->$/ { name = substr($0, 6, length($0) - 15); if (name in block) { print block[name]; skip = 1; next } }
  skip && $0 == "<!-- " name ":end -->" { skip = 0; next }
  !skip { print }
' "$doc" >"$new"
if [[ "${1:-}" == "--check" ]]; then
  diff -u "$doc" "$new" && echo "docs/scoring.md is up to date"
else
  cp "$new" "$doc"
  echo "docs/scoring.md: tables regenerated"
fi
